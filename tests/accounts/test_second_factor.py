"""The second factor of professionals and admins: setting up the app at the first login, a code that
works once, recovery codes that work once, a pending login that runs out, young people and parents
never asked, the admin's reset (logged, and the professional's sessions end), throttled attempts."""
import hashlib
import json
import random
import secrets

import pyotp
import segno
from flask import session
from sqlalchemy import select

from accounts.models import AccountEvent, AccountEventKind, RecoveryCode, User
from accounts.second_factor import carry, checked_elsewhere
from core.extensions import db
from tests.conftest import PASSWORD, SECRET, csrf_token, login, one_time_code, post
from tests.helpers import alert_text, count, field_error, page, sign_in, translated

SECRET_KARI = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WRONG_CODE = "This code does not work. Type the code the app shows now: each code works once."
USED_RECOVERY = "This recovery code does not work. It may be used already, or mistyped."
TOO_MANY = "Too many attempts. Wait a minute and try again."


def password(client, login_name="kari@test.no"):
    """Step 1: the right password. Returns where the person is sent."""
    response = client.post("/login", data={"login": login_name, "password": PASSWORD,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 303
    return response.headers["Location"]


def code(client, value, url="/login/code"):
    return client.post(url, data={"code": value, "csrf_token": csrf_token(client, "/login")})


def recovery(client, value):
    return client.post("/login/recovery-code",
                       data={"recovery_code": value, "csrf_token": csrf_token(client, "/login")})


def set_up(app, user_id, secret=SECRET_KARI, recovery_codes=()):
    with app.app_context():
        user = db.session.get(User, user_id)
        user.totp_secret = secret
        db.session.add_all(RecoveryCode(user_id=user_id, code_hash=hashlib.sha256(c.replace("-", "").encode()).hexdigest())
                           for c in recovery_codes)
        db.session.commit()


def logged_in(client) -> bool:
    return client.get("/pathways/").status_code == 200


def events(app, kind):
    with app.app_context():
        return [(e.user_id, e.by_id) for e in db.session.scalars(select(AccountEvent).where(AccountEvent.kind == kind))]


def test_first_login_sets_up_the_app_and_shows_ten_recovery_codes_once(app, client, cast):
    """Kari's first login: after the password she is not logged in; the set-up page shows a key and
    its QR code (made here), a wrong code stores nothing, the right one stores the key, ten hashed
    recovery codes shown once, and the event; then she is logged in."""
    assert password(client) == "/login/set-up"
    assert not logged_in(client)
    setup = client.get("/login/set-up")
    assert setup.status_code == 200 and setup.headers["Cache-Control"] == "no-store"
    secret = SECRET.search(setup.get_data(as_text=True)).group(1).replace(" ", "")
    uri = pyotp.TOTP(secret).provisioning_uri(name="kari@test.no", issuer_name="Stemme")
    assert page(setup).by_id("totp-qr")["src"] == segno.make(uri, error="m").svg_data_uri(scale=4, border=4)
    assert page(client.get("/login/set-up")).by_id("totp-secret").text().replace(" ", "") == secret  # the same key

    wrong = code(client, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111", "/login/set-up")
    assert wrong.status_code == 401
    with app.app_context():
        assert db.session.get(User, cast.kari).totp_secret is None  # kept in the session until confirmed
    assert not logged_in(client)

    shown = code(client, pyotp.TOTP(secret).now(), "/login/set-up")
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    codes = [c.text() for c in page(shown).by_id("recovery-codes").find_all("code")]
    assert len(set(codes)) == 10 and all(len(c.replace("-", "")) == 16 for c in codes)
    with app.app_context():
        assert db.session.get(User, cast.kari).totp_secret == secret
        stored = set(db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == cast.kari)))
    assert stored == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}
    assert not any(c in h for c in codes for h in stored)
    assert events(app, AccountEventKind.SECOND_FACTOR_SET_UP) == [(cast.kari, None)]

    done = post(client, "/login/set-up/done")
    assert done.status_code == 303 and done.headers["Location"] == "/pathways/"
    assert logged_in(client)
    assert "recovery-codes" not in client.get("/login/set-up").get_data(as_text=True)  # never shown again


def test_a_code_from_the_app_logs_in_once(app, client, cast):
    """The app's code ends the login; the same code (a replay) is refused for another login, the next
    time step's code works."""
    set_up(app, cast.kari)
    assert password(client) == "/login/code"
    assert not logged_in(client)
    now = pyotp.TOTP(SECRET_KARI).now()
    response = code(client, now)
    assert response.status_code == 303 and response.headers["Location"] == "/pathways/"
    assert logged_in(client)

    other = app.test_client()
    password(other)
    replay = code(other, now)
    assert replay.status_code == 401
    assert alert_text(replay) == translated(app, WRONG_CODE)
    assert not logged_in(other)
    with app.app_context():
        last = db.session.get(User, cast.kari).totp_last_step
    assert code(other, one_time_code(SECRET_KARI, last)).status_code == 303
    assert logged_in(other)


def test_a_wrong_code_is_refused_and_a_malformed_one_said_beside_the_field(app, client, cast):
    set_up(app, cast.kari)
    password(client)
    totp = pyotp.TOTP(SECRET_KARI)
    wrong = next(c for c in ("123456", "654321", "111111") if not totp.verify(c, valid_window=1))
    response = code(client, wrong)
    assert response.status_code == 401
    assert alert_text(response) == translated(app, WRONG_CODE)
    malformed = code(client, "12ab")
    assert malformed.status_code == 400
    assert field_error(malformed, "code") == translated(app, "The code is 6 digits.")
    assert not logged_in(client)
    # Spaces, as some apps show the code ("123 456"), do not matter.
    spaced = totp.now()
    assert code(client, spaced[:3] + " " + spaced[3:]).status_code == 303


def test_a_recovery_code_works_once(app, client, cast):
    """Without the phone: a recovery code logs in (and is logged); the same code a second time does not."""
    set_up(app, cast.kari, recovery_codes=["K7QM-2XPD-H4RT-9WCA", "AAAA-BBBB-CCCC-DDDD"])
    password(client)
    response = recovery(client, "k7qm 2xpd h4rt 9wca")  # small letters and spaces do not matter
    assert response.status_code == 303 and response.headers["Location"] == "/pathways/"
    said = page(client.get("/pathways/")).find("div", role="status").text()
    assert said == translated(app, "You logged in with a recovery code. It cannot be used again.")
    assert events(app, AccountEventKind.RECOVERY_CODE_USED) == [(cast.kari, None)]

    other = app.test_client()
    password(other)
    again = recovery(other, "K7QM-2XPD-H4RT-9WCA")
    assert again.status_code == 401
    assert translated(app, USED_RECOVERY) in alert_text(again)
    assert "open" in page(again).find("details", class_="recovery").attrs  # the error is in view
    assert not logged_in(other)
    with app.app_context():
        unused = db.session.scalar(select(RecoveryCode).where(RecoveryCode.used_at.is_(None)))
    assert unused is not None and count(app, RecoveryCode, RecoveryCode.used_at.is_not(None)) == 1


def test_the_pending_login_runs_out(app, client, cast):
    """The code must come within a few minutes of the password: later, the person starts again."""
    set_up(app, cast.kari)
    password(client)
    with client.session_transaction() as session:
        session["pending_login"] = {**session["pending_login"], "at": session["pending_login"]["at"] - 6 * 60}
    response = code(client, pyotp.TOTP(SECRET_KARI).now())
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert not logged_in(client)
    assert client.get("/login/code").headers["Location"] == "/login"


def test_no_second_step_without_a_password_first(app, client, cast):
    set_up(app, cast.kari)
    for url in ("/login/code", "/login/set-up"):
        assert client.get(url).headers["Location"] == "/login"
    assert code(client, pyotp.TOTP(SECRET_KARI).now()).headers["Location"] == "/login"
    assert not logged_in(client)


def test_young_people_and_parents_are_never_asked(app, client, cast):
    for name, home in (("ola", "/me"), ("mor.ola", "/family")):
        other = app.test_client()
        assert password(other, name) == home
        assert other.get(home).status_code == 200
    with app.app_context():
        assert db.session.get(User, cast.ola).totp_secret is None


def test_admins_are_asked_too(app, client, cast):
    assert password(client, "admin@test.no") == "/login/set-up"
    assert client.get("/admin").status_code == 302


def test_admin_resets_a_second_factor_which_ends_the_sessions_and_is_logged(app, client, cast):
    """Per has lost his phone: the admin's reset forgets his key and recovery codes, ends every session
    of his, and shows on the admin page; at his next login he sets up the app again."""
    set_up(app, cast.per, recovery_codes=["AAAA-BBBB-CCCC-DDDD"])
    per = app.test_client()
    login(per, "per@test.no")
    assert logged_in(per)
    with app.app_context():
        version = db.session.get(User, cast.per).session_version

    sign_in(client, cast.admin)
    row = page(client.get("/admin")).find("form", action=f"/admin/professionals/{cast.per}/second-factor")
    assert row is not None
    response = post(client, f"/admin/professionals/{cast.per}/second-factor")
    assert response.status_code == 303 and response.headers["Location"] == "/admin"
    admin_page = page(client.get("/admin"))
    assert "Per Hansen" in admin_page.find("div", role="status").text()
    assert admin_page.find("form", action=f"/admin/professionals/{cast.per}/second-factor") is None
    logged = admin_page.by_id("account-events").find("tbody").find("tr").text()
    assert "Per Hansen" in logged and "Admin" in logged
    assert translated(app, "Second factor reset") in logged

    with app.app_context():
        user = db.session.get(User, cast.per)
        assert (user.totp_secret, user.totp_last_step) == (None, None)
        assert user.session_version == version + 1
    assert count(app, RecoveryCode, RecoveryCode.user_id == cast.per) == 0
    assert events(app, AccountEventKind.SECOND_FACTOR_RESET) == [(cast.per, cast.admin)]
    assert not logged_in(per)  # his session ended on its next request
    assert password(app.test_client(), "per@test.no") == "/login/set-up"


def test_a_reset_between_password_and_code_ends_the_pending_login(app, client, cast):
    set_up(app, cast.per)
    password(client, "per@test.no")
    admin = app.test_client()
    sign_in(admin, cast.admin)
    post(admin, f"/admin/professionals/{cast.per}/second-factor")
    assert code(client, pyotp.TOTP(SECRET_KARI).now()).headers["Location"] == "/login"
    assert not logged_in(client)


def test_only_an_admin_resets_and_only_professionals(app, client, cast):
    set_up(app, cast.per)
    sign_in(client, cast.kari)
    assert post(client, f"/admin/professionals/{cast.per}/second-factor").status_code == 403
    admin = app.test_client()
    sign_in(admin, cast.admin)
    assert post(admin, f"/admin/professionals/{cast.ola}/second-factor").status_code == 404
    with app.app_context():
        assert db.session.get(User, cast.per).totp_secret == SECRET_KARI


def test_code_attempts_are_throttled(app, client, cast):
    """Five attempts a minute per person (codes and recovery codes together): the sixth is refused
    unchecked, even when it is right; another person is not held up."""
    set_up(app, cast.kari)
    password(client)
    totp = pyotp.TOTP(SECRET_KARI)
    wrong = next(c for c in ("123456", "654321", "111111") if not totp.verify(c, valid_window=1))
    for _ in range(4):
        assert code(client, wrong).status_code == 401
    assert recovery(client, "AAAA-BBBB-CCCC-DDDD").status_code == 401
    refused = code(client, totp.now())
    assert refused.status_code == 429
    assert alert_text(refused) == translated(app, TOO_MANY)
    assert not logged_in(client)

    set_up(app, cast.per)
    other = app.test_client()
    password(other, "per@test.no")
    assert code(other, totp.now()).status_code == 303


def test_a_login_whose_second_factor_was_checked_elsewhere_goes_straight_through(app, cast):
    """What an OpenID Connect callback for HelseID would do (README): finish_login without the TOTP step."""
    from accounts.views import finish_login

    with app.test_request_context("/oidc/callback"):
        kari = db.session.get(User, cast.kari)
        assert finish_login(kari, None).headers["Location"] == "/login/set-up"
        checked_elsewhere(kari)
        response = finish_login(kari, None)
        assert response.status_code == 303 and response.headers["Location"] == "/pathways/"
        assert session["_user_id"] == kari.get_id() and "pending_login" not in session
        db.session.remove()


def long_text(words: int) -> str:
    chance = random.Random(16)
    vocabulary = ["Ola", "søv", "dårleg", "skulen", "møtet", "mor", "seier", "at", "han", "gruar", "seg", "til",
                  "gymtimane", "og", "vil", "ha", "færre", "samtalar", "kvar", "veke", "helsesjukepleiaren"]
    return " ".join(chance.choice(vocabulary) for _ in range(words))


def test_a_long_kept_text_goes_with_the_second_step_not_in_the_cookie(app, client, cast):
    """Kari's login ran out while she wrote long minutes: after the password the second step comes at
    once (the text would not fit in the session cookie), carries the text in its form, and after the
    code she gets it back to send again."""
    set_up(app, cast.kari)
    text = long_text(3000)
    kept = json.dumps({"action": f"/pathways/{cast.pathway_a}/meetings/1/minutes", "fields": [["text", text]]},
                      ensure_ascii=False)
    shown = client.post("/login", data={"login": "kari@test.no", "password": PASSWORD, "kept": kept,
                                        "csrf_token": csrf_token(client, "/login")})
    assert shown.status_code == 200
    assert all(len(cookie) < 4000 for cookie in shown.headers.getlist("Set-Cookie"))
    carried = page(shown).find("form", action="/login/code").find("input", name="carried")["value"]
    assert not logged_in(client)
    response = client.post("/login/code", data={"code": pyotp.TOTP(SECRET_KARI).now(), "carried": carried,
                                                "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 200
    assert text in response.get_data(as_text=True)
    assert logged_in(client)


def test_next_goes_through_the_second_step_and_cannot_be_changed_on_the_way(app, client, cast):
    set_up(app, cast.kari)
    long_next = "/pathways/new?q=" + secrets.token_hex(800)  # too long for the cookie: carried by the form
    shown = client.post("/login", data={"login": "kari@test.no", "password": PASSWORD, "next": long_next,
                                        "csrf_token": csrf_token(client, "/login")})
    carried = page(shown).find("form", action="/login/code").find("input", name="carried")["value"]
    with app.test_request_context():
        forged = carry("https://evil.example/", None)[:-3] + "abc"  # not signed by the app
    for value, landing in ((forged, "/pathways/"), (carried, long_next)):
        other = app.test_client()
        password(other)
        with app.app_context():
            last = db.session.get(User, cast.kari).totp_last_step
        response = other.post("/login/code", data={"code": one_time_code(SECRET_KARI, last), "carried": value,
                                                   "csrf_token": csrf_token(other, "/login")})
        assert response.status_code == 303 and response.headers["Location"] == landing
