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


# --- the list of professionals, a page at a time ---------------------------------------------

def _add_professionals(app, cast, n: int) -> None:
    """`n` professionals named "Aase 000" … in BUP Test (first in the list, by name)."""
    with app.app_context():
        bup = db.session.get(Service, cast.service_bup)
        db.session.add_all(User(role=Role.PROFESSIONAL, name=f"Aase {i:03d}", password_hash="x",
                                email=f"aase{i:03d}@liste.no", services=[bup]) for i in range(n))
        db.session.commit()


def _listed(response) -> list[str]:
    rows = page(response).by_id("professionals").find_all("tr")[1:]
    return [row.find("td").text() for row in rows]


def test_the_professionals_come_fifty_a_page_with_previous_and_next_links(app, admin, cast):
    """120 more professionals: pages of 50 in name order, linked forwards and back (no JavaScript)."""
    _add_professionals(app, cast, 120)
    first = admin.get("/admin")
    assert first.status_code == 200
    assert _listed(first) == [f"Aase {i:03d}" for i in range(50)]
    pages = page(first).find("nav", class_="pages")
    assert pages.find("a", rel="prev") is None
    assert pages.find("a", rel="next")["href"] == "/admin?page=2"
    second = page(admin.get("/admin?page=2"))
    assert _listed(admin.get("/admin?page=2")) == [f"Aase {i:03d}" for i in range(50, 100)]
    assert second.find("a", rel="prev")["href"] == "/admin"
    third = admin.get("/admin?page=3")
    names = _listed(third)
    assert names[:20] == [f"Aase {i:03d}" for i in range(100, 120)] and "Aase 000" not in names
    assert page(third).find("a", rel="next") is None
    # Every professional is on exactly one page.
    with app.app_context():
        professionals = count(app, User, User.role == Role.PROFESSIONAL)
    assert len(_listed(first)) + 50 + len(names) == professionals
    # Not a number, or below 1: the first page.
    assert _listed(admin.get("/admin?page=x")) == _listed(admin.get("/admin?page=-3")) == _listed(first)
    # Past the last page: an empty page that links back; past any offset the database takes: the same.
    for beyond in ("4", "9" * 30):
        response = admin.get(f"/admin?page={beyond}")
        assert response.status_code == 200 and page(response).find("table", id="professionals") is None
        assert page(response).find("a", rel="prev") is not None


def test_the_admin_searches_professionals_by_name_or_email_and_pages_the_result(app, admin, cast):
    """?q= keeps those whose name or email contains it (any case); the page links keep the search."""
    _add_professionals(app, cast, 60)
    by_name = admin.get("/admin?q=aASE 01")
    assert _listed(by_name) == [f"Aase {i:03d}" for i in range(10, 20)]
    assert page(by_name).by_id("q")["value"] == "aASE 01"
    assert _listed(admin.get("/admin?q=aase059@LISTE")) == ["Aase 059"]
    everyone = admin.get("/admin?q=liste.no")
    assert len(_listed(everyone)) == 50
    assert page(everyone).find("a", rel="next")["href"] == "/admin?q=liste.no&page=2"
    assert _listed(admin.get("/admin?q=liste.no&page=2")) == [f"Aase {i:03d}" for i in range(50, 60)]
    nobody = admin.get("/admin?q=ingen slik")
    assert nobody.status_code == 200
    assert translated(app, "No professional's name or email contains «%(query)s».", query="ingen slik") in \
        page(nobody).by_id("main").text()
    assert page(nobody).find("table", id="professionals") is None
    # Its wildcards are taken literally.
    assert page(admin.get("/admin?q=%25")).find("table", id="professionals") is None
    too_long = admin.get("/admin?q=" + "a" * 121)
    assert too_long.status_code == 400
    assert _listed(too_long)[:1] == ["Aase 000"]  # the search refused, the list shown unsearched


def test_a_button_on_a_later_page_brings_the_admin_back_to_that_page(app, admin, cast):
    """Closing an account from page 2 of a search returns there; a `next` elsewhere is not followed."""
    _add_professionals(app, cast, 60)
    listing = page(admin.get("/admin?q=liste.no&page=2"))
    with app.app_context():
        aase = db.session.scalar(select(User.id).where(User.email == "aase055@liste.no"))
    form = listing.find("form", action=f"/admin/professionals/{aase}/active")
    assert form.find("input", name="next")["value"] == "/admin?q=liste.no&page=2"
    response = post(admin, f"/admin/professionals/{aase}/active", {"next": "/admin?q=liste.no&page=2"})
    assert response.status_code == 303 and response.headers["Location"] == "/admin?q=liste.no&page=2"
    with app.app_context():
        assert db.session.get(User, aase).active is False
    for elsewhere in ("/pathways/", "https://example.com/admin", "//example.com/admin"):
        response = post(admin, f"/admin/professionals/{aase}/active", {"next": elsewhere})
        assert response.headers["Location"] == "/admin"
