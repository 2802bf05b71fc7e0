"""Account events: "downloaded their own copy", "set a new password with a reset link or code", "a new login code made"

Revision ID: 0017events
Revises: 0016notices
Create Date: 2026-12-08 03:00:00

A young person's or parent's download of everything Stemme holds about them (youth/own_copy.py) is
recorded as an account event, beside the other things that happened to the account. The kind is
stored as text with a CHECK constraint (accounts.models.str_enum): the constraint gets the new kind.
A new password set through a reset link or a coordinator's one-time code (accounts/reset_services.py)
and the making of such a code are account events too."""
from alembic import op

revision = '0017events'
down_revision = '0016notices'
branch_labels = None
depends_on = None

KINDS = ('second_factor_set_up', 'second_factor_reset', 'recovery_code_used', 'password_changed',
         'logged_out_everywhere')
NEW_KINDS = ('copy_downloaded', 'password_reset', 'login_code_made')
NAME = 'ck_account_events_accounteventkind'


def _allow(kinds) -> None:
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table('account_events', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_='check')
        batch_op.create_check_constraint(op.f(NAME), f"kind IN ({listed})")


def upgrade():
    _allow((*KINDS, *NEW_KINDS))


def downgrade():
    listed = ", ".join(f"'{kind}'" for kind in NEW_KINDS)
    op.execute(f"DELETE FROM account_events WHERE kind IN ({listed})")
    _allow(KINDS)
