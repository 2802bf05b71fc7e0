"""Sessions that end everywhere, and a second factor for professionals and admins

Revision ID: 0013trust
Revises: 0012accesslogat
Create Date: 2026-12-07 04:19:21

users.session_version is part of the id kept in the session cookie: raising it ends every copy of
the cookie. users.totp_secret and totp_last_step hold the TOTP second factor; recovery_codes the
hashed single-use codes; account_events who set up, reset or used what, and when.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013trust'
down_revision = '0012accesslogat'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('second_factor_set_up', 'second_factor_reset', 'recovery_code_used', 'password_changed', 'logged_out_everywhere', name='accounteventkind', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_account_events_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_events_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_events'))
    )
    with op.batch_alter_table('account_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_events_user_id'), ['user_id'], unique=False)

    op.create_table('recovery_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_recovery_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_codes_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))



def downgrade():
    # Plain ALTER TABLE … DROP COLUMN, on SQLite too (3.35 and later): a batch rebuild of users would
    # drop the table under the foreign keys of every table that points at it.
    for column in ('totp_last_step', 'totp_secret', 'session_version'):
        op.execute(f'ALTER TABLE users DROP COLUMN {column}')

    with op.batch_alter_table('recovery_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_codes_user_id'))

    op.drop_table('recovery_codes')
    with op.batch_alter_table('account_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_events_user_id'))

    op.drop_table('account_events')
