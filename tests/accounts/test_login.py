"""Logging in and out: where each role lands, refusals that give nothing away (throttling is in
test_throttle.py), safe `next`, cookies and caching, the demo logins, and password hashes kept up
to date."""
import pytest
from argon2 import PasswordHasher

from accounts.models import User
from accounts.passwords import verify_password
from app import create_app
from demo import DEMO_LOGINS, DEMO_TOTP_SECRETS
from core.errors import CSRF_MESSAGE
from core.extensions import db
from tests.conftest import PASSWORD, csrf_token, login, post
from tests.helpers import alert_text, extra_app, page, translated

WRONG = "ikkje-rett-passord"
NOT_LOGGED_IN = "We could not log you in. Check the username or email and the password."


def attempt(client, login_name, password, token=None, **extra):
    """One press on «Log in» with whatever was typed."""
    token = token or csrf_token(client, "/login")
    return client.post("/login", data={"login": login_name, "password": password, "csrf_token": token, **extra})


def set_cookie(response, name):
    """The Set-Cookie header for the cookie `name`, split into its attributes."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return [part.strip().lower() for part in header.split(";")]
    raise AssertionError(f"no Set-Cookie for {name}")


@pytest.mark.parametrize(("role", "home"), [
    ("pro_team", "/pathways/"), ("young_a", "/me"), ("parent_a", "/family"), ("admin", "/admin"),
])
def test_each_role_lands_on_its_home(client, cast, role, home):
    """After logging in, each role is sent to its own start page, which opens."""
    response = login(client, cast.logins[role])
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_wrong_password_and_unknown_user_get_the_same_refusal(app, client, cast):
    """A wrong password and an account that does not exist give the same message and status."""
    token = csrf_token(client, "/login")
    wrong_password = attempt(client, "kari@test.no", WRONG, token)
    unknown = attempt(client, "ingen@test.no", WRONG, token)
    assert wrong_password.status_code == unknown.status_code == 401
    assert alert_text(wrong_password) == alert_text(unknown) == translated(app, NOT_LOGGED_IN)
    assert page(wrong_password).by_id("main").text() == page(unknown).by_id("main").text()
    # The typed login stays in the field, so a typo is easy to see and fix.
    assert page(wrong_password).by_id("login")["value"] == "kari@test.no"


def test_closed_account_cannot_log_in(app, client, cast):
    """A closed account with the right password gets the same refusal as a wrong password."""
    with app.app_context():
        db.session.get(User, cast.per).active = False
        db.session.commit()
    response = attempt(client, "per@test.no", PASSWORD)
    assert response.status_code == 401
    assert alert_text(response) == translated(app, NOT_LOGGED_IN)
    assert client.get("/pathways/").status_code == 302


def test_next_is_followed_for_a_path_on_this_site(client, cast):
    """A page that asked for a login is where the person lands after logging in."""
    asked = client.get("/pathways/new")
    assert asked.status_code == 302
    login_page = client.get(asked.headers["Location"])
    carried = page(login_page).find("form", action="/login").find("input", name="next")["value"]
    assert carried == "/pathways/new"
    response = login(client, "kari@test.no", next=carried)  # through the second factor
    assert response.status_code == 303
    assert response.headers["Location"] == "/pathways/new"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_next_to_another_site_is_ignored(client, cast, target):
    """A `next` that leads off the site is ignored: the person lands on their own start page."""
    response = login(client, "kari@test.no", next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/pathways/"


def test_logout_ends_the_session(client, cast):
    """After logging out, pages behind login send the person to the login page again."""
    login(client, "ola")
    assert client.get("/me").status_code == 200
    response = post(client, "/logout")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    again = client.get("/me")
    assert again.status_code == 302
    assert again.headers["Location"].startswith("/login")


def test_logout_without_csrf_token_is_refused(app, client, cast):
    """A logout without the form's token gets the 400 error page and the person stays logged in."""
    login(client, "ola")
    response = client.post("/logout")
    assert response.status_code == 400
    assert page(response).find("h1").text() == translated(app, CSRF_MESSAGE[0])
    assert client.get("/me").status_code == 200


def test_session_cookie_is_httponly_and_samesite_lax(client, cast):
    """The session cookie set at login cannot be read by scripts or sent by other sites' forms."""
    response = login(client, "kari@test.no")
    attributes = set_cookie(response, "stemme_session")
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


@pytest.mark.parametrize("path", ["/pathways/", "/pathways/{pathway_a}", "/pathways/{pathway_a}/team"])
def test_pages_behind_login_are_not_cached(client, cast, path):
    """Pages a logged-in person sees are never stored by the browser (shared phones)."""
    login(client, "kari@test.no")
    response = client.get(path.format(pathway_a=cast.pathway_a))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_demo_login_page_lists_the_demo_logins(app, client, monkeypatch):
    """In the demo, the login page lists every demo login and the shared password."""
    monkeypatch.setitem(app.config, "DEMO", True)
    body = page(client.get("/login"))
    box = body.find(aria_labelledby="demo-logins")
    assert box is not None
    logins = [code for code in box.find_all("code") if code.get("class") != "demo-totp-secret"]
    assert [code.text() for code in logins] == [name for name, _ in DEMO_LOGINS]
    assert "demo-passord" in box.text()
    # The keys of the demo's code apps, each beside its login, so that anyone can make the codes.
    keys = {code.parent.find("code").text(): code.text() for code in box.find_all("code", class_="demo-totp-secret")}
    assert keys == DEMO_TOTP_SECRETS


def test_production_login_page_has_no_demo_logins(app, database_url, monkeypatch):
    """In production the login page shows no demo logins and no password."""
    monkeypatch.setenv("STEMME_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-that-is-long-enough-0123456789")
    monkeypatch.setenv("DATABASE_URL", database_url)
    with extra_app(create_app) as production:
        response = production.test_client().get("/login")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert page(response).find(aria_labelledby="demo-logins") is None
    assert "demo-passord" not in body
    assert not any(name in body for name, _ in DEMO_LOGINS)
    assert not any(secret in body for secret in DEMO_TOTP_SECRETS.values())


def test_outdated_password_hash_is_upgraded_at_login(app, client, cast):
    """A hash made with weaker settings is replaced by a current one when the person logs in."""
    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    with app.app_context():
        db.session.get(User, cast.kari).password_hash = weak
        db.session.commit()
    login(client, "kari@test.no")
    with app.app_context():
        upgraded = db.session.get(User, cast.kari).password_hash
    assert upgraded != weak
    assert not PasswordHasher().check_needs_rehash(upgraded)
    assert verify_password(upgraded, PASSWORD)
