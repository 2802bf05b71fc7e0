"""access_log: indexes for the newest reads first (the admin's search, "who has read it")

Revision ID: 0012accesslogat
Revises: 0011visits
Create Date: 2026-12-07 03:00:00

Both lists show the newest reads first, ordered by time and then id. Without an index that ends in
(at, id), every search sorted all the matching reads: the admin's search the whole log (2.5 s over
1,000,000 reads), a young person's home page all the reads of their input. With them, a page of the
newest reads is read from the end of the index.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012accesslogat'
down_revision = '0011visits'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_access_log_at', 'access_log', ['at', 'id'], unique=False)
    op.drop_index('ix_access_log_author_at', table_name='access_log')
    op.create_index('ix_access_log_author_at', 'access_log', ['author_id', 'at', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_access_log_author_at', table_name='access_log')
    op.create_index('ix_access_log_author_at', 'access_log', ['author_id', 'at'], unique=False)
    op.drop_index('ix_access_log_at', table_name='access_log')
