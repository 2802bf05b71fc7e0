"""One sharing choice: "my team, not my parents" is an answer of its own, no second box

Revision ID: 0015sharing
Revises: 0014throttle
Create Date: 2026-12-07 15:00:00

Before, a young person's "my team" also reached the parents at 12–15 unless the box "not for my
parents" was ticked, and at any age under 12. Now each answer means what it says (youth/sharing.py,
access.policy.parents_see): FAMILY is the team and the parents, TEAM the team alone (under 12 the
parents read what the team reads, as before). So a young person's entry shared with the team moves
to FAMILY where the parents read it today: under 12 always, at 12–15 without the box; at 16 and over,
and with the box, it stays TEAM. The age is the young person's today (Oslo), as the old rule used it.
Parents' entries and drafts keep their sharing. The box leaves `statements` and `preparations`; the
versions and the visibility changes keep it as history (new rows leave it empty).
`users.last_sharing` is how a person last shared: a new entry starts that way.

Dropping a column and adding a check are table rebuilds on SQLite: as in 0010, foreign keys are
off during them (else dropping the old `statements` would delete its versions through ON DELETE
CASCADE), checked afterwards, and on again.

The downgrade puts the box back: TEAM at 12–15 ticks it; FAMILY and TEAM elsewhere mean what they
meant before (a child's FAMILY and TEAM both reached the parents)."""
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = '0015sharing'
down_revision = '0014throttle'
branch_labels = None
depends_on = None

TABLES = ('statements', 'preparations')


@contextmanager
def _foreign_keys_off_on_sqlite():
    """On SQLite: foreign keys off for the table rebuilds, checked and on again after them."""
    context = op.get_context()
    if context.dialect.name != 'sqlite':
        yield
        return
    with context.autocommit_block():
        op.execute('PRAGMA foreign_keys=OFF')
    try:
        yield
    finally:
        with context.autocommit_block():  # commits the rebuild first: the pragma needs no transaction
            op.execute('PRAGMA foreign_keys=ON')
    if not context.as_sql:
        broken = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').all()
        if broken:
            raise RuntimeError(f'foreign keys broken by a table rebuild: {broken[:5]}')


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/Oslo")).date()


def _age(birth_date: date, today: date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def _young_entries(conn, name: str, sharing: str):
    """(id, age today) of the young people's entries in table `name` shared as `sharing`."""
    rows = conn.execute(sa.text(
        f"SELECT e.id, y.birth_date FROM {name} e JOIN pathways p ON p.id = e.pathway_id"
        " JOIN young_people y ON y.id = p.young_person_id"
        " WHERE e.author_role = 'young_person' AND e.sharing = :sharing"), {"sharing": sharing})
    today = _today()
    for entry_id, birth_date in rows:
        if isinstance(birth_date, str):  # SQLite hands back the ISO text
            birth_date = date.fromisoformat(birth_date)
        yield entry_id, _age(birth_date, today)


def upgrade():
    with _foreign_keys_off_on_sqlite():
        _upgrade(op.get_bind())


def downgrade():
    with _foreign_keys_off_on_sqlite():
        _downgrade(op.get_bind())


def _upgrade(conn):
    for name in TABLES:
        boxed = {row[0] for row in conn.execute(sa.text(
            f"SELECT id FROM {name} WHERE not_for_parents"))}
        to_family = [entry_id for entry_id, age in _young_entries(conn, name, 'team')
                     if age < 12 or (age < 16 and entry_id not in boxed)]
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{name}_family_or_not_for_parents'), type_='check')
            batch_op.drop_column('not_for_parents')
        if to_family:
            conn.execute(sa.text(f"UPDATE {name} SET sharing = 'family' WHERE id = :id"),
                         [{"id": entry_id} for entry_id in to_family])
    for name in ('statement_versions', 'preparation_versions'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('not_for_parents', existing_type=sa.Boolean(), nullable=True)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_sharing', sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_users_last_sharing_known'), "last_sharing IS NULL OR last_sharing IN ('private', 'team', 'family')")


def _downgrade(conn):
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_last_sharing_known'), type_='check')
        batch_op.drop_column('last_sharing')
    for name in ('statement_versions', 'preparation_versions'):
        conn.execute(sa.text(f"UPDATE {name} SET not_for_parents = false WHERE not_for_parents IS NULL"))
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('not_for_parents', existing_type=sa.Boolean(), nullable=False)
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('not_for_parents', sa.Boolean(), nullable=False, server_default=sa.false()))
        boxed = [entry_id for entry_id, age in _young_entries(conn, name, 'team') if 12 <= age < 16]
        if boxed:
            conn.execute(sa.text(f"UPDATE {name} SET not_for_parents = true WHERE id = :id"),
                         [{"id": entry_id} for entry_id in boxed])
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('not_for_parents', existing_type=sa.Boolean(), server_default=None)
            batch_op.create_check_constraint(op.f(f'ck_{name}_family_or_not_for_parents'),
                                             "NOT (sharing = 'family' AND not_for_parents)")
