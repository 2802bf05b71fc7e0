"""A new login code for a young person who forgot their password: made by the coordinator on the pathway
page, shown once, logged on the pathway's history, used at the invitation page to choose a new password;
the old password works until then."""
import re
from datetime import timedelta

from sqlalchemy import select, update

from accounts import services
from accounts.models import AccountEvent, AccountEventKind, User, YoungPerson
from core.extensions import db
from core.models import utcnow
from notices.models import PasswordReset
from pathways.models import EventKind, PathwayEvent
from tests.conftest import PASSWORD, csrf_token, login, post
from tests.helpers import count, field_error, page, sign_in, translated

NEW_PASSWORD = "grønn båt på fjorden"
ALPHABET = re.escape(services.CODE_ALPHABET)
CODE = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def make_code(client, pathway_id: int):
    """The coordinator presses the button on the pathway page; returns the code shown."""
    response = post(client, f"/pathways/{pathway_id}/login-code")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    code = page(response).by_id("login-code").text()
    assert CODE.match(code)
    return code


def use_code(client, code: str, password: str = NEW_PASSWORD):
    typed = post(client, "/invitation", {"code": code.lower().replace("-", " ")})
    assert typed.status_code == 303 and typed.headers["Location"] == "/password/new"
    shown = client.get("/password/new")
    assert translated(client.application, "Your username is %(username)s. You log in with it and the new password.",
                      username="ola") in page(shown).text()
    return client.post("/password/new", data={"password": password, "confirm": password,
                                              "csrf_token": csrf_token(client, "/password/new")})


def password_works(app, login_name: str, password: str) -> bool:
    other = app.test_client()
    return other.post("/login", data={"login": login_name, "password": password,
                                      "csrf_token": csrf_token(other, "/login")}).status_code == 303


def test_the_coordinator_sees_the_button_a_member_does_not(app, cast, kari):
    label = translated(app, "Make a new login code for %(name)s", name="Ola Nordvik")
    assert label in page(kari.get(f"/pathways/{cast.pathway_a}")).text()
    member = app.test_client()
    sign_in(member, cast.per)
    assert label not in page(member.get(f"/pathways/{cast.pathway_a}")).text()
    assert post(member, f"/pathways/{cast.pathway_a}/login-code").status_code == 403
    assert count(app, PasswordReset) == 0


def test_a_new_code_sets_a_new_password_and_the_old_one_stops(app, cast, kari):
    code = make_code(kari, cast.pathway_a)
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        assert reset.user_id == cast.ola and reset.token_hash == services.code_hash(code)
        event = db.session.scalar(select(PathwayEvent).where(PathwayEvent.kind == EventKind.INVITATION_CREATED))
        assert (event.actor_id, event.subject_name, event.detail) == (cast.kari, "Ola Nordvik", "new_login_code")
    assert password_works(app, "ola", PASSWORD)  # until the code is used

    phone = app.test_client()
    done = use_code(phone, code)
    assert done.status_code == 303 and done.headers["Location"] == "/me"
    assert phone.get("/me").status_code == 200  # logged in
    assert not password_works(app, "ola", PASSWORD)
    assert password_works(app, "ola", NEW_PASSWORD)
    with app.app_context():
        events = db.session.execute(select(AccountEvent.kind, AccountEvent.by_id)
                                    .where(AccountEvent.user_id == cast.ola).order_by(AccountEvent.id)).all()
        assert events == [(AccountEventKind.LOGIN_CODE_MADE, cast.kari), (AccountEventKind.PASSWORD_RESET, cast.ola)]
        assert db.session.scalar(select(YoungPerson.user_id).where(YoungPerson.id == cast.young_a)) == cast.ola
        assert count(app, User) == 8  # no new account

    # Used once.
    again = post(app.test_client(), "/invitation", {"code": code})
    assert again.status_code == 400


def test_a_newer_code_replaces_the_older_one(app, cast, kari):
    first = make_code(kari, cast.pathway_a)
    second = make_code(kari, cast.pathway_a)
    assert post(app.test_client(), "/invitation", {"code": first}).status_code == 400
    assert use_code(app.test_client(), second).status_code == 303


def test_an_expired_code_does_not_work(app, cast, kari):
    code = make_code(kari, cast.pathway_a)
    with app.app_context():
        db.session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert post(app.test_client(), "/invitation", {"code": code}).status_code == 400


def test_a_weak_password_is_refused_and_the_code_kept(app, cast, kari):
    code = make_code(kari, cast.pathway_a)
    phone = app.test_client()
    weak = use_code(phone, code, "passord1")
    assert weak.status_code == 400
    assert field_error(weak, "password") == translated(
        app, "This password is too common. Try a few words you remember easily.")
    assert password_works(app, "ola", PASSWORD)
    strong = phone.post("/password/new", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
                                               "csrf_token": csrf_token(phone, "/password/new")})
    assert strong.status_code == 303


def test_the_password_page_needs_a_code_first(client, app, cast):
    response = client.get("/password/new")
    assert response.status_code == 303 and response.headers["Location"] == "/invitation"


def test_no_code_for_a_young_person_without_an_account(app, cast, kari):
    with app.app_context():
        db.session.get(YoungPerson, cast.young_a).user_id = None
        db.session.commit()
    assert post(kari, f"/pathways/{cast.pathway_a}/login-code").status_code == 404
    assert count(app, PasswordReset) == 0


def test_a_link_token_is_no_code_and_a_code_no_link(app, cast, kari):
    code = make_code(kari, cast.pathway_a)
    assert kari.get("/password/reset/" + code.replace("-", "")).status_code == 410
    with app.app_context():
        assert db.session.scalar(select(PasswordReset.used_at)) is None
    assert login(app.test_client(), "ola").status_code == 303
