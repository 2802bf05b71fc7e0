"""Configuration read from the environment: SECRET_KEY, DATABASE_URL, STEMME_ENV."""
import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET = "dev-only-not-secret"  # noqa: S105 - refused in production below


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the Flask config from the environment, then apply `overrides` (tests)."""
    env = os.environ.get("STEMME_ENV", "development")
    if env not in ("development", "production"):
        raise ConfigError(f"STEMME_ENV must be development or production, not {env!r}")
    production = env == "production"
    default_db = "sqlite:///" + str(Path(instance_path) / "stemme.sqlite3")
    config = {
        "STEMME_ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", default_db),
        "DEBUG": False,
        # The demo banner and demo logins show outside production only.
        "DEMO": not production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "stemme_session",
        # A login ends after 12 hours, a professional's or admin's after 30 minutes without a request
        # (accounts/sessions.py). The cookie's signature is refused an hour later still, so the check
        # that keeps what the person posted runs first.
        "SESSION_MAX_AGE": timedelta(hours=12),
        "SESSION_IDLE_LIMIT": timedelta(minutes=30),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=13),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        # A token lives as long as the session: someone writing slowly must not lose their text.
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "nb",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Oslo",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "locales"),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Reverse proxies in front of the app whose X-Forwarded-For may be trusted (0: none).
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Where Flask-Limiter keeps its counters: Redis shared by every app process, or this process.
        # The rule for logins and codes is in accounts/throttle.py.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        # The counters' names start with this, so that several deployments can share one Redis.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "stemme"),
        # Notices (notices/): e-mail through SMTP; without SMTP_HOST messages go to the local outbox.
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "587")),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_TLS": os.environ.get("SMTP_TLS", "1") not in ("0", "false", "no", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Stemme <ikkje-svar@stemme.localhost>"),
        # SMS through a gateway (notices/sms.py), off unless SMS_GATEWAY names one.
        "SMS_GATEWAY": os.environ.get("SMS_GATEWAY", ""),
        "SMS_GATEWAY_URL": os.environ.get("SMS_GATEWAY_URL", ""),
        "SMS_USER": os.environ.get("SMS_USER", ""),
        "SMS_PASSWORD": os.environ.get("SMS_PASSWORD", ""),
        "SMS_SENDER": os.environ.get("SMS_SENDER", "Stemme"),
        # The address people open links in messages at (e.g. https://stemme.example.no); links in
        # messages sent by the worker, which has no request, are made from it.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
    }
    if overrides:
        config.update(overrides)
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A server connection can drop between requests; a file cannot. (The ping costs a query.)
        config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    if config["STEMME_ENV"] == "production":
        secret = config["SECRET_KEY"]
        if not secret or secret == DEV_SECRET or len(secret) < 32:
            raise ConfigError("In production SECRET_KEY must be set to a random value of 32 characters or more.")
        config["DEBUG"] = False
        config["DEMO"] = False
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    return config
