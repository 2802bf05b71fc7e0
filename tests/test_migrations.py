"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from core.extensions import db


def test_migrations_match_the_models(app):
    """After `flask db upgrade` the database has no table, column, type, index or key the models lack."""
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_migrations_have_one_head(app):
    """The revisions form one line, so `flask db upgrade` knows where to go."""
    with app.app_context():
        config = current_app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1
