"""Drop login_failures: login and code throttling count in Flask-Limiter's storage instead

Revision ID: 0014throttle
Revises: 0013trust
Create Date: 2026-12-07 04:45:00

The failures were counted in each database: checked and then recorded, so guesses sent at once
slipped past the limit, and several app processes could only share them through the database.
Flask-Limiter counts each attempt atomically, in memory or in Redis (accounts/throttle.py). The
rows held nothing but keys and times of failures, none of them worth keeping; the downgrade
recreates the table as 0001 made it, empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014throttle'
down_revision = '0013trust'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_key_at')

    op.drop_table('login_failures')


def downgrade():
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_key_at', ['key', 'at'], unique=False)
