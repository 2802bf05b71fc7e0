"""Drop page_generation and read_journal: the page cache and the read journal are gone

Revision ID: 0009dropcache
Revises: 0008accesslogidx
Create Date: 2026-12-07 02:00:00

Every view now runs its access check and logs its reads in its own transaction, so neither the
page cache's generation numbers nor the read journal's file positions are needed. The downgrade
puts both tables back, empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009dropcache'
down_revision = '0008accesslogidx'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('read_journal')
    op.drop_table('page_generation')


def downgrade():
    op.create_table('page_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_generation'))
    )
    op.create_table('read_journal',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_read_journal'))
    )
