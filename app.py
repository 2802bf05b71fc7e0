"""Stemme: young people's own voice on their care pathway."""
import os
from pathlib import Path

from flask import Flask
from flask_babel import get_locale
from sqlalchemy import bindparam, event, select
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from core.config import load_config
from core.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides what the environment says (tests)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_config(app.instance_path, config))
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["TRUSTED_PROXIES"]:
        # Behind a proxy the client's address (for login throttling) comes from X-Forwarded-For.
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    _init_extensions(app)
    app.url_map.converters["int"] = DatabaseId
    _register_blueprints(app)
    _register_template_helpers(app)

    from core.errors import register_error_pages
    from core.forms import register_input_checks
    from core.security import set_security_headers

    register_error_pages(app)
    register_input_checks(app)
    app.after_request(set_security_headers)

    from accounts.cli import users_cli
    from demo import DEMO_LOGINS, DEMO_TOTP_SECRETS, demo_data_command
    from feedback.cli import feedback_cli

    app.config["DEMO_LOGINS"] = DEMO_LOGINS  # the login page lists them in demo mode only
    app.config["DEMO_TOTP_SECRETS"] = DEMO_TOTP_SECRETS  # and the keys of their code apps

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(feedback_cli)
    return app


class DatabaseId(IntegerConverter):
    """`<int:…>` in routes: only numbers a database id can be (a PostgreSQL integer), so a
    30-digit id in a URL is a plain 404, not an overflow in the database driver."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def _init_extensions(app: Flask) -> None:
    from accounts.models import User
    from core.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None  # the login page says why on its own
    # "basic", not "strong": a phone on the bus changes address between mobile data and wifi,
    # and "strong" would log the young person out each time.
    login_manager.session_protection = "basic"
    # Built once: on every request, building the statement (and its cache key) cost more than running it.
    user_by_id = select(User).where(User.id == bindparam("id"))

    @login_manager.user_loader
    def load_user(session_id: str):
        """The user in the session, if the session's version is still theirs (see User.get_id)."""
        user_id, _, version = session_id.partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        user = db.session.execute(user_by_id, {"id": int(user_id)}).scalar()
        return user if user is not None and user.session_version == int(version) else None


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: write-ahead log for concurrent readers, and enforced foreign keys."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    import accounts
    import accounts.account_views  # noqa: F401
    import accounts.template_views  # noqa: F401
    import accounts.service_views  # noqa: F401

    # Importing the views registers their routes on the blueprints.
    import accounts.views  # noqa: F401
    import accounts.second_factor_views  # noqa: F401
    import accounts.reset_views  # noqa: F401
    import feedback
    import feedback.admin_views  # noqa: F401
    import feedback.answer_views  # noqa: F401
    import feedback.models  # noqa: F401
    import feedback.report_views  # noqa: F401
    import feedback.team_views  # noqa: F401
    import pathways
    import pathways.meeting_views  # noqa: F401
    import pathways.fhir_views  # noqa: F401
    import pathways.relay_views  # noqa: F401
    import pathways.views  # noqa: F401
    import youth
    import youth.models  # noqa: F401  (the family's input; no view may forget its tables)
    import youth.home_views  # noqa: F401
    import youth.own_copy_views  # noqa: F401
    import youth.preparation_views  # noqa: F401
    import youth.views  # noqa: F401
    import youth.wish_views  # noqa: F401
    import notices
    import notices.models  # noqa: F401
    import notices.views  # noqa: F401
    import notices.admin_views  # noqa: F401
    from core import pages

    for module in (accounts, pathways, youth, feedback, notices, pages):
        app.register_blueprint(module.bp)


def _register_template_helpers(app: Flask) -> None:
    from core import formatting

    @app.context_processor
    def globals_for_templates():
        return {"current_locale": str(get_locale())}

    app.jinja_env.filters.update(formatting.FILTERS)
