"""page_generation: the number every writing transaction adds one to (core.page_cache)

Revision ID: 0006pagegen
Revises: 0005feedback
Create Date: 2026-11-27 07:20:00

One row. The app reads it first on a cached page: a page stored under another number is not served.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006pagegen'
down_revision = '0005feedback'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('page_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_generation'))
    )
    op.bulk_insert(table, [{"id": 1, "n": 1}])


def downgrade():
    op.drop_table('page_generation')
