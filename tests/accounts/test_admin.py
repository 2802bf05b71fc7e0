"""The admin's work: services, professional accounts, closing and reopening them, and the CLI."""
import pytest
from sqlalchemy import select

from accounts.models import Role, Service, User
from core.extensions import db
from tests.conftest import PASSWORD, csrf_token, login, post
from tests.helpers import count, field_error, page, sign_in, translated

NEW_PASSWORD = "ein lang og god frase"


@pytest.fixture()
def admin(client, cast):
    """The test client, logged in as the admin."""
    sign_in(client, cast.admin)
    return client


def service_id(app, name):
    with app.app_context():
        return db.session.scalar(select(Service.id).where(Service.name == name))


def test_admin_creates_a_service(app, admin):
    """A new service is stored and listed on the admin page."""
    response = post(admin, "/admin/services/new",
                    {"name": "Barnevern Molde", "kind": "child_welfare", "municipality": "Molde"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin"
    with app.app_context():
        service = db.session.scalar(select(Service).where(Service.name == "Barnevern Molde"))
        assert (service.kind.value, service.municipality) == ("child_welfare", "Molde")
    assert "Barnevern Molde" in page(admin.get("/admin")).by_id("main").text()


def test_admin_creates_a_professional_in_two_services_who_can_log_in(app, admin, cast):
    """A professional made by the admin belongs to both services and logs in with the first password."""
    services = [cast.service_bup, service_id(app, "PPT Test")]
    response = post(admin, "/admin/professionals/new",
                    {"name": "Nina Ny", "email": "Nina@Test.no", "services": [str(s) for s in services],
                     "password": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin"
    with app.app_context():
        nina = db.session.scalar(select(User).where(User.email == "nina@test.no"))
        assert nina.role == Role.PROFESSIONAL
        assert sorted(s.id for s in nina.services) == sorted(services)
    assert "Nina Ny" in page(admin.get("/admin")).by_id("main").text()

    nina_client = app.test_client()
    assert login(nina_client, "nina@test.no", NEW_PASSWORD).headers["Location"] == "/pathways/"


def test_duplicate_email_is_refused_beside_the_field(app, admin, cast):
    """An email that has an account already is refused beside the email field; nothing is stored."""
    users = count(app, User)
    response = post(admin, "/admin/professionals/new",
                    {"name": "Kari To", "email": "KARI@test.no", "services": [str(cast.service_bup)],
                     "password": NEW_PASSWORD})
    assert response.status_code == 200
    assert field_error(response, "email") == translated(app, "There is already an account with this email.")
    assert page(response).by_id("name")["value"] == "Kari To"
    assert count(app, User) == users


def test_duplicate_service_name_is_refused_beside_the_field(app, admin):
    """A service name that exists already is refused beside the name field; nothing is stored."""
    services = count(app, Service)
    response = post(admin, "/admin/services/new",
                    {"name": " BUP Test ", "kind": "bup", "municipality": "Kristiansund"})
    assert response.status_code == 200
    assert field_error(response, "name") == translated(app, "There is already a service with this name.")
    assert page(response).by_id("municipality")["value"] == "Kristiansund"
    assert count(app, Service) == services


def test_closing_an_account_stops_login_and_reopening_allows_it(app, admin, cast):
    """A closed professional cannot log in; once reopened, they can again."""
    assert post(admin, f"/admin/professionals/{cast.per}/active").status_code == 303
    with app.app_context():
        assert db.session.get(User, cast.per).active is False
    refused = app.test_client()
    response = refused.post("/login", data={"login": "per@test.no", "password": PASSWORD,
                                            "csrf_token": csrf_token(refused, "/login")})
    assert response.status_code == 401

    assert post(admin, f"/admin/professionals/{cast.per}/active").status_code == 303
    with app.app_context():
        assert db.session.get(User, cast.per).active is True
    assert login(app.test_client(), "per@test.no").headers["Location"] == "/pathways/"


def test_closing_an_account_ends_its_open_session(app, admin, cast):
    """A professional whose account is closed loses access at once, also in a session already open."""
    per = app.test_client()
    sign_in(per, cast.per)
    assert per.get(f"/pathways/{cast.pathway_a}").status_code == 200
    post(admin, f"/admin/professionals/{cast.per}/active")
    response = per.get(f"/pathways/{cast.pathway_a}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_cli_creates_a_professional(app, runner, cast):
    """`flask users create-professional` makes an account in the named service that can log in."""
    result = runner.invoke(args=["users", "create-professional", "--email", "nina@test.no", "--name", "Nina Ny",
                                 "--service", "BUP Test"], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        nina = db.session.scalar(select(User).where(User.email == "nina@test.no"))
        assert nina.role == Role.PROFESSIONAL
        assert [s.name for s in nina.services] == ["BUP Test"]
    assert login(app.test_client(), "nina@test.no", NEW_PASSWORD).headers["Location"] == "/pathways/"


def test_cli_refuses_an_unknown_service(app, runner, cast):
    """An unknown service name fails the command and makes no account."""
    users = count(app, User)
    result = runner.invoke(args=["users", "create-professional", "--email", "nina@test.no", "--name", "Nina Ny",
                                 "--service", "BUP Test", "--service", "BUP Finst Ikkje",
                                 "--password", NEW_PASSWORD])
    assert result.exit_code != 0
    assert "BUP Finst Ikkje" in result.output
    assert count(app, User) == users
    assert count(app, User, User.email == "nina@test.no") == 0
