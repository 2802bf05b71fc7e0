"""Configuration from the environment: production refuses unsafe settings, the database URL is
taken from DATABASE_URL, and SQLite runs with write-ahead logging and foreign keys."""
import pytest
from sqlalchemy import select, text

from accounts.models import Service, User
from app import create_app
from core.config import DEV_SECRET, ConfigError
from core.extensions import db
from tests.helpers import count, extra_app

LONG_SECRET = "a-production-secret-that-is-long-enough-0123456789"


@pytest.fixture()
def production_env(monkeypatch, database_url):
    """The environment of a production server, on the test database."""
    monkeypatch.setenv("STEMME_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", LONG_SECRET)
    monkeypatch.setenv("DATABASE_URL", database_url)
    return monkeypatch


@pytest.mark.parametrize("secret", [None, DEV_SECRET, "x" * 31], ids=["missing", "dev-default", "short"])
def test_production_refuses_an_unsafe_secret_key(production_env, secret):
    """In production the app does not start without a long, real SECRET_KEY."""
    if secret is None:
        production_env.delenv("SECRET_KEY")
    else:
        production_env.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigError):
        create_app()


def test_production_with_a_long_secret_runs_safely(production_env):
    """With a long SECRET_KEY production starts, without debug or demo, and with secure cookies."""
    with extra_app(lambda: create_app({"DEBUG": True, "DEMO": True})) as production:
        assert production.config["DEBUG"] is False
        assert production.config["DEMO"] is False
        assert production.config["SESSION_COOKIE_SECURE"] is True
        response = production.test_client().get("/login")
    assert response.status_code == 200
    session_cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("stemme_session="))
    assert "secure" in [part.strip().lower() for part in session_cookie.split(";")]
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_development_sends_no_hsts(app, client):
    """On http://127.0.0.1 (make run) a Strict-Transport-Security header would lock the browser out."""
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_demo_data_is_refused_in_production(app, production_env):
    """`flask demo-data` fails in production and stores nothing."""
    with extra_app(create_app) as production:
        result = production.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code != 0
    assert "production" in result.output
    assert count(app, User) == 0
    assert count(app, Service) == 0


def test_database_url_comes_from_the_environment(app, cast, database_url, monkeypatch):
    """DATABASE_URL names the database the app reads and writes."""
    monkeypatch.delenv("STEMME_ENV", raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    with extra_app(create_app) as other:
        assert other.config["SQLALCHEMY_DATABASE_URI"] == database_url
        with other.app_context():
            assert db.session.scalar(select(User.name).where(User.email == "kari@test.no")) == "Kari Nordmann"


def test_sqlite_uses_write_ahead_log_and_foreign_keys(app, tmp_path):
    """On SQLite every connection has WAL journaling and enforced foreign keys (whatever the test database)."""
    url = "sqlite:///" + str(tmp_path / "pragmas.sqlite3")
    with extra_app(lambda: create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})) as other:
        with other.app_context():
            assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
