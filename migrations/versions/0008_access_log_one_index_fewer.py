"""access_log: one index fewer (ix_access_log_reader_item)

Revision ID: 0008accesslogidx
Revises: 0007readjournal
Create Date: 2026-11-27 12:30:00

A professional's last read of each entry is one lookup per entry in ix_access_log_item (item kind,
item, reader, time), which holds the same columns; the index kept for the old grouping query
only made every logged read write one more index.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008accesslogidx'
down_revision = '0007readjournal'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_access_log_reader_item', table_name='access_log')


def downgrade():
    op.create_index('ix_access_log_reader_item', 'access_log', ['reader_id', 'item_kind', 'item_id', 'at'],
                    unique=False)
