"""Behind a trusted reverse proxy, login throttling counts the client's address, not the proxy's."""
import pytest

from app import create_app
from tests.conftest import PASSWORD, csrf_token
from tests.helpers import extra_app


@pytest.fixture()
def proxied_client(app, cast):
    factory = lambda: create_app({  # noqa: E731
        "TESTING": True, "SECRET_KEY": app.config["SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "TRUSTED_PROXIES": 1,
    })
    with extra_app(factory) as proxied:
        yield proxied.test_client()


def attempt(client, login, password, address):
    headers = {"X-Forwarded-For": address}
    token = csrf_token(client, "/login")
    return client.post("/login", data={"login": login, "password": password, "csrf_token": token},
                       headers=headers)


def test_throttling_by_forwarded_address(proxied_client, cast):
    """Five failures at one account from one client address make it wait; the same account from
    another address behind the same proxy logs in."""
    for _ in range(5):
        assert attempt(proxied_client, "ola", "wrong password!", "203.0.113.7").status_code == 401
    waiting = attempt(proxied_client, "ola", PASSWORD, "203.0.113.7")
    assert waiting.status_code == 429
    allowed = attempt(proxied_client, "ola", PASSWORD, "203.0.113.8")
    assert allowed.status_code == 303
