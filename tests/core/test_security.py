"""Security headers on every response, and error pages in the user's language with a way back."""
import pytest

from accounts.models import User
from app import create_app
from core.errors import CSRF_MESSAGE, MESSAGES
from core.extensions import db
from tests.helpers import extra_app, page, sign_in, translated

# The title of each error page: a missing CSRF token has its own words.
TITLES = {400: CSRF_MESSAGE[0], 403: MESSAGES[403][0], 404: MESSAGES[404][0], 500: MESSAGES[500][0]}


def directives(policy: str) -> dict[str, str]:
    """A Content-Security-Policy as {directive: sources}."""
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def fetch(client, cast, kind):
    if kind == "logged-in page":
        sign_in(client, cast.kari)
        response = client.get("/pathways/")
    elif kind == "login page":
        response = client.get("/login")
    elif kind == "static file":
        response = client.get("/static/css/stemme.css")
    elif kind == "redirect":
        response = client.get("/")
    elif kind == "refused post":
        response = client.post("/logout")
    else:
        response = client.get("/finst-ikkje")
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize(("kind", "status"), [
    ("login page", 200), ("static file", 200), ("404", 404), ("logged-in page", 200), ("redirect", 302),
    ("refused post", 400),
])
def test_security_headers_on_every_response(client, cast, kind, status):
    """Every response forbids inline scripts and framing, content sniffing and the referrer."""
    response = fetch(client, cast, kind)
    assert response.status_code == status
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    csp = directives(policy)
    assert csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


@pytest.fixture()
def failing_app(database_url):
    """An app like the `app` fixture's, with a page that fails, and errors shown as a user sees them."""
    def build():
        built = create_app({
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PROPAGATE_EXCEPTIONS": False,
        })

        @built.get("/boom")
        def boom():
            """A page with a bug in it."""
            raise RuntimeError("a bug")

        return built

    with extra_app(build) as built:
        yield built


def error_response(app, client, cast, failing_app, code, lang):
    headers = {"Accept-Language": lang}
    if code == 403:
        sign_in(client, cast.kari)
        return client.get("/admin", headers=headers)
    if code == 404:
        return client.get("/finst-ikkje", headers=headers)
    if code == 400:
        return client.post("/login", data={"login": "ola", "password": "x"}, headers=headers)
    return failing_app.test_client().get("/boom", headers=headers)


@pytest.mark.parametrize("lang", ["nn", "nb"])
@pytest.mark.parametrize("code", [400, 403, 404, 500])
def test_error_pages_are_in_the_users_language_with_a_way_back(app, client, cast, failing_app, code, lang):
    """Error pages say what happened in the reader's language and link back to the start page."""
    response = error_response(app, client, cast, failing_app, code, lang)
    assert response.status_code == code
    body = page(response)
    assert body.find("html")["lang"] == lang
    expected = translated(app, TITLES[code], lang)
    assert body.by_id("main").find("h1").text() == expected
    assert body.find("title").text().startswith(expected)
    assert body.by_id("main").find("a", href="/") is not None


def test_error_page_follows_the_saved_language_over_the_browsers(app, client, cast):
    """A logged-in person who chose nynorsk gets error pages in nynorsk, whatever the browser asks for."""
    with app.app_context():
        db.session.get(User, cast.kari).locale = "nn"
        db.session.commit()
    sign_in(client, cast.kari)
    response = client.get("/me", headers={"Accept-Language": "nb"})
    assert response.status_code == 403
    body = page(response)
    assert body.find("html")["lang"] == "nn"
    assert body.by_id("main").find("h1").text() == translated(app, MESSAGES[403][0], "nn")
