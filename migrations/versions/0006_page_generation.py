"""page_generation: the numbers every writing transaction adds one to (core.page_cache)

Revision ID: 0006pagegen
Revises: 0005feedback
Create Date: 2026-11-27 07:20:00

Row 1 moves with every transaction that writes anything but the access log, row 2 with every
transaction that logs a read. A cached page is served only under the numbers it was stored under.
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
    op.bulk_insert(table, [{"id": 1, "n": 1}, {"id": 2, "n": 1}])


def downgrade():
    op.drop_table('page_generation')
