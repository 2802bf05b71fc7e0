"""Notices: contacts, choices, sent notices, the outbox, password-reset links; SMS and under-13 switches

Revision ID: 0016notices
Revises: 0015sharing
Create Date: 2026-12-08 02:00:00

A person's own e-mail address or mobile number (confirmed with a code), the kinds of notice they
turned off, every notice decided for them (one per person, kind, occasion and channel: the unique key
that keeps a notice from going twice), the local outbox used when no SMTP server is configured, and
single-use password-reset links (hashed). Services get two switches, both off: SMS notices, and
notices to young people under 13 themselves."""
import sqlalchemy as sa
from alembic import op

revision = '0016notices'
down_revision = '0015sharing'
branch_labels = None
depends_on = None

CHANNEL = sa.Enum('email', 'sms', name='channel', native_enum=False, create_constraint=True, length=5)
KINDS = ('meeting_soon', 'rating_waiting', 'agreement_answer', 'family_question', 'new_input',
         'contact_code', 'password_reset')


def upgrade():
    # Plain ALTER TABLE … ADD COLUMN, never a batch rebuild: on SQLite a rebuild drops `services`, and
    # with foreign keys on that deletes through ON DELETE CASCADE (professional_services, the
    # feedback responses' service copies).
    op.add_column('services', sa.Column('sms_notices', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('services', sa.Column('notices_under_13', sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.create_table(
        'contacts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('channel', CHANNEL, nullable=False),
        sa.Column('address', sa.String(254), nullable=False),
        sa.Column('code_hash', sa.String(255)),
        sa.Column('code_expires_at', sa.DateTime()),
        sa.Column('code_attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('confirmed_at', sa.DateTime()),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('user_id', 'channel', name='one_contact_per_channel'),
        sa.CheckConstraint('length(address) > 0', name='address_not_empty'),
    )
    op.create_table(
        'notice_opt_outs',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('kind', sa.String(20), primary_key=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'notices',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.Enum(*KINDS, name='noticekind', native_enum=False, create_constraint=True,
                                  length=20), nullable=False),
        sa.Column('occasion', sa.String(80), nullable=False),
        sa.Column('channel', CHANNEL, nullable=False),
        sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', name='noticestatus',
                                    native_enum=False, create_constraint=True, length=10), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('taken_at', sa.DateTime()),
        sa.Column('sent_at', sa.DateTime()),
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('error', sa.String(120)),
        sa.UniqueConstraint('user_id', 'kind', 'occasion', 'channel', name='one_notice_per_occasion'),
    )
    op.create_index('ix_notices_user_created', 'notices', ['user_id', 'created_at'])
    op.create_index('ix_notices_status_due', 'notices', ['status', 'due_at'])
    op.create_table(
        'outbox_messages',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('channel', CHANNEL, nullable=False),
        sa.Column('address', sa.String(254), nullable=False),
        sa.Column('subject', sa.String(200)),
        sa.Column('body', sa.String(2000), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_outbox_messages_created_at', 'outbox_messages', ['created_at'])
    op.create_table(
        'password_resets',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('token_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime()),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_password_resets_user_id', 'password_resets', ['user_id'])


def downgrade():
    op.drop_table('password_resets')
    op.drop_table('outbox_messages')
    op.drop_table('notices')
    op.drop_table('notice_opt_outs')
    op.drop_table('contacts')
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch rebuild of `services` would cascade
    # through professional_services while foreign keys are on.
    op.execute('ALTER TABLE services DROP COLUMN notices_under_13')
    op.execute('ALTER TABLE services DROP COLUMN sms_notices')
