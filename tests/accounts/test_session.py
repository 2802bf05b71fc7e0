"""A session survives what phones do (a new address on the bus), and ends where it must: at logout,
with a new password, on every device, after 30 idle minutes for professionals, after 12 hours."""
import html
import json
import re

from sqlalchemy import select

from accounts.models import AccountEvent, AccountEventKind
from core.extensions import db
from tests.conftest import HTMX, PASSWORD, csrf_token, login, post
from tests.helpers import count, field_error, page, sign_in, translated


def test_session_survives_a_new_address(client, cast):
    """Logged in on wifi, still logged in on mobile data."""
    client.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    login(client, "ola")
    client.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    response = client.get("/me")
    assert response.status_code == 200
    assert "Ola Nordvik" in response.get_data(as_text=True)


# --- a login ends everywhere it went ------------------------------------------------------------

def copy_of_session(app, client):
    """Another browser holding a copy of `client`'s session cookie, as someone who copied it would."""
    other = app.test_client()
    other.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return other


COOKIE = "stemme_session"


def log_in_again(client, login_name: str, kept: str):
    """The login form as the page gives it back, with what was kept (carried through the second factor)."""
    return login(client, login_name, PASSWORD, kept=kept)


def test_a_copy_of_the_cookie_taken_before_logout_opens_nothing_after_it(app, client, cast):
    login(client, "ola")
    copy = copy_of_session(app, client)
    assert copy.get("/me").status_code == 200
    post(client, "/logout")
    for url in ("/me", f"/my/pathways/{cast.pathway_a}/statements/new"):
        response = copy.get(url, follow_redirects=True)
        assert response.request.path == "/login", url
        assert page(response).find("form", action="/login") is not None


def test_logout_ends_the_login_on_the_persons_other_devices_too(app, client, cast):
    login(client, "ola")
    phone = app.test_client()
    login(phone, "ola")
    post(client, "/logout")
    assert phone.get("/me").status_code == 302


def test_log_out_on_all_devices_from_the_account_page(app, client, cast):
    login(client, "mor.ola")
    laptop = app.test_client()
    login(laptop, "mor.ola")
    response = post(client, "/account/logout-everywhere")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert client.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 302
    with app.app_context():
        events = db.session.scalars(select(AccountEvent.kind).where(AccountEvent.user_id == cast.mother_a)).all()
    assert events == [AccountEventKind.LOGGED_OUT_EVERYWHERE]


def test_a_new_password_ends_the_other_copies_and_keeps_this_one(app, client, cast):
    login(client, "ola")
    copy = copy_of_session(app, client)
    new = "sykkel i regnet om natta"
    response = post(client, "/account/password", {"current": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 303
    assert client.get("/account").status_code == 200
    assert copy.get("/me").status_code == 302
    other = app.test_client()
    login(other, "ola", new)
    with app.app_context():
        events = db.session.scalars(select(AccountEvent.kind).where(AccountEvent.user_id == cast.ola)).all()
    assert events == [AccountEventKind.PASSWORD_CHANGED]


def test_a_new_password_needs_the_one_now_and_keeps_what_was_typed(app, client, cast):
    sign_in(client, cast.ola)
    new = "sykkel i regnet om natta"
    response = post(client, "/account/password", {"current": "feil passord", "password": new, "confirm": new})
    assert response.status_code == 400
    assert field_error(response, "current") == translated(app, "This is not your password now. Try again.")
    login(app.test_client(), "ola")  # the password is as it was


# --- a login runs out --------------------------------------------------------------------------

def moved_back(client, **seconds):
    """Move the session's login and last-request times back, as if that much time had passed."""
    with client.session_transaction() as session:
        for key, value in seconds.items():
            session[key] -= value


def test_a_professionals_login_ends_after_30_minutes_without_a_request(app, client, cast):
    sign_in(client, cast.kari)
    moved_back(client, seen_at=29 * 60)
    assert client.get("/pathways/").status_code == 200  # 29 minutes: still here (and now fresh again)
    moved_back(client, seen_at=31 * 60)
    response = client.get("/pathways/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/pathways/")
    body = page(client.get(response.headers["Location"]))
    assert translated(app, "You were logged out because 30 minutes passed without anything happening.") \
        in body.find("main").text()
    assert client.get("/pathways/").status_code == 302


def test_a_young_persons_login_has_no_idle_limit_but_ends_after_12_hours(app, client, cast):
    sign_in(client, cast.ola)
    moved_back(client, seen_at=3 * 3600, login_at=3 * 3600)
    assert client.get("/me").status_code == 200
    moved_back(client, login_at=9 * 3600 + 60)
    response = client.get("/me", follow_redirects=True)
    assert response.request.path == "/login"
    assert translated(app, "You have been logged in for 12 hours. Log in again to go on.") \
        in page(response).find("main").text()


def test_a_session_without_its_times_is_not_a_login(app, client, cast):
    """A cookie from before logins had times (or a forged one without them) logs in no one."""
    sign_in(client, cast.ola)
    with client.session_transaction() as session:
        del session["login_at"]
    assert client.get("/me").status_code == 302


def test_an_htmx_request_after_the_login_ran_out_is_sent_to_the_login_page(app, client, cast):
    sign_in(client, cast.kari)
    moved_back(client, seen_at=31 * 60)
    response = client.get("/pathways/", headers=HTMX)
    assert response.headers["HX-Redirect"].startswith("/login?next=/pathways/")


def test_professionals_get_the_warning_and_the_button_that_keeps_them_logged_in(app, client, cast):
    sign_in(client, cast.kari)
    warning = page(client.get("/pathways/")).by_id("idle-warning")
    assert warning["data-idle-warning-after"] == str(25 * 60)
    assert warning.find("form")["action"] == "/account/still-here"
    moved_back(client, seen_at=28 * 60)
    assert post(client, "/account/still-here", headers=HTMX).status_code == 204
    moved_back(client, seen_at=28 * 60)  # 56 minutes since the page was opened, 28 since the button
    assert client.get("/pathways/").status_code == 200
    young = app.test_client()
    sign_in(young, cast.ola)
    assert page(young.get("/me")).find(id="idle-warning") is None


def test_what_a_professional_wrote_when_the_login_ran_out_is_sent_after_the_next_login(app, client, cast):
    """Kari writes minutes for 40 minutes without a request: the post finds her logged out, the login
    page keeps the text, and after logging in again she sends it as it was."""
    from pathways.models import MeetingMinutes as Minutes
    from tests.pathways.test_relay import meeting

    meeting_id = meeting(app, cast)
    url = f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/minutes"
    sign_in(client, cast.kari)
    token = csrf_token(client, url)
    moved_back(client, seen_at=40 * 60)
    text = "Ola vil ha færre møte.\nVi prøver annakvar veke."
    response = client.post(url, data={"csrf_token": token, "text": text})
    assert response.status_code == 401
    body = page(response)
    assert translated(app, "You were logged out because 30 minutes passed without anything happening.") \
        in body.find("main").text()
    kept = body.find("input", name="kept")["value"]
    assert json.loads(kept)["fields"] == [["text", text]] and count(app, Minutes) == 0

    response = log_in_again(client, "kari@test.no", kept)
    assert response.status_code == 200
    form = page(response).find("form", action=url)
    assert form.find("textarea", name="text") is not None
    # Line breaks and all (the one after <textarea> is not part of the text).
    shown = re.escape(html.escape(text))
    assert re.search(r'name="text"[^>]*>\n?' + shown + "</textarea>", response.get_data(as_text=True))
    response = client.post(url, data={"csrf_token": form.find("input", name="csrf_token")["value"], "text": text})
    assert response.status_code == 303, page(response).find("main").text()
    with app.app_context():
        assert db.session.scalar(select(Minutes.text)) == text


def test_a_kept_form_that_is_not_what_the_app_made_is_ignored(app, client, cast):
    for kept in ("not json", '{"action": "https://evil.example/", "fields": []}', '{"action": "/x"}', "[]"):
        response = log_in_again(app.test_client(), "ola", kept)
        assert response.status_code == 303 and response.headers["Location"] == "/me", kept
