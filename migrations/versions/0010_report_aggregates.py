"""feedback_responses keeps its request's service, question set and month, indexed for the report

Revision ID: 0010report
Revises: 0009dropcache
Create Date: 2026-12-08 02:00:00

The service report counted a service's responses by joining every response to its request; on
PostgreSQL at national volume that became a sequential scan of all responses. A response now
keeps `service_id`, `set_id` and `month` of its request (they never change once the request is
made) and `ix_feedback_responses_service_set_month` (service_id, set_id, month, quote_allowed,
id) leads the report's queries to the service's own rows. Existing rows are filled in from their
requests. On PostgreSQL that UPDATE leaves a dead version of every row (1,000,000 responses:
about 10 s, and the table twice its size until autovacuum, or `VACUUM ANALYZE
feedback_responses`, has run).

SQLite cannot make a column NOT NULL without rebuilding the table (batch mode's move and copy).
Dropping the old table would, with `PRAGMA foreign_keys=ON` (which the app sets on every
connection), delete every answer and alert of every response through their ON DELETE CASCADE.
So on SQLite foreign keys are off during the rebuild, outside any transaction (the pragma is a
no-op inside one), checked afterwards, and on again before the connection goes back to the pool.
The downgrade drops the columns and the index (a rebuild on SQLite too).
"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010report'
down_revision = '0009dropcache'
branch_labels = None
depends_on = None

COLUMNS = ('service_id', 'set_id', 'month')


@contextmanager
def _foreign_keys_off_on_sqlite():
    """On SQLite: foreign keys off for a table rebuild, checked and on again after it."""
    context = op.get_context()
    if context.dialect.name != 'sqlite':
        yield
        return
    with context.autocommit_block():
        op.execute('PRAGMA foreign_keys=OFF')
    try:
        yield
    finally:
        with context.autocommit_block():  # commits the rebuild first: the pragma needs no transaction
            op.execute('PRAGMA foreign_keys=ON')
    if not context.as_sql:
        broken = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').all()
        if broken:
            raise RuntimeError(f'foreign keys broken by the rebuild of feedback_responses: {broken[:5]}')


def upgrade():
    with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('set_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('month', sa.String(length=7), nullable=True))
    # UPDATE … FROM: PostgreSQL, and SQLite since 3.33.
    op.execute('UPDATE feedback_responses SET service_id = feedback_requests.service_id, '
               'set_id = feedback_requests.set_id, month = feedback_requests.month '
               'FROM feedback_requests WHERE feedback_requests.id = feedback_responses.request_id')
    with _foreign_keys_off_on_sqlite():
        with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
            batch_op.alter_column('service_id', existing_type=sa.Integer(), nullable=False)
            batch_op.alter_column('set_id', existing_type=sa.Integer(), nullable=False)
            batch_op.alter_column('month', existing_type=sa.String(length=7), nullable=False)
            batch_op.create_index('ix_feedback_responses_service_set_month',
                                  ['service_id', 'set_id', 'month', 'quote_allowed', 'id'], unique=False)


def downgrade():
    with _foreign_keys_off_on_sqlite():
        with op.batch_alter_table('feedback_responses', schema=None) as batch_op:
            batch_op.drop_index('ix_feedback_responses_service_set_month')
            for column in reversed(COLUMNS):
                batch_op.drop_column(column)
