"""pathway_visits.previous_seen_at: the visit before the last one

Revision ID: 0011visits
Revises: 0010report
Create Date: 2026-12-07 03:00:00

The pathway page stores a professional's visit and learns when the one before it was in a single
statement (an upsert that moves seen_at to previous_seen_at and returns it), instead of reading the
visit first. Existing rows have no earlier visit to remember.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011visits'
down_revision = '0010report'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('pathway_visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_seen_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('pathway_visits', schema=None) as batch_op:
        batch_op.drop_column('previous_seen_at')
