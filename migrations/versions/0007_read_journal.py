"""read_journal: how far each read-journal file is folded into the access log (core.read_journal)

Revision ID: 0007readjournal
Revises: 0006pagegen
Create Date: 2026-11-27 09:00:00

On SQLite, a page served from the page cache writes its logged reads to a journal file, which is
folded into access_log before the log is read. The row with the empty name holds the database's
journal id, the name of its directory: a new database never takes in an old one's files.
"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007readjournal'
down_revision = '0006pagegen'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('read_journal',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_read_journal'))
    )
    op.bulk_insert(table, [{"name": "", "position": secrets.randbits(62)}])


def downgrade():
    op.drop_table('read_journal')
