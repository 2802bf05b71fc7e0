"""Migration 0015 (one sharing choice) keeps the meaning of existing data: down to 0014, entries
stored the old way (sharing plus the box "not for my parents"), then up again; for each age band the
parents, the young person and the team read exactly the entries they read before. The rule before
is written out here as it stood in access.policy before 0015; the rule after is access.policy's.
Runs on the suite's database: SQLite by default, PostgreSQL in CI."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from access.policy import family_input_visible, team_sees
from accounts.models import User, YoungPerson
from core.extensions import db
from core.models import today_in_oslo, utcnow
from pathways.models import MeetingKind
from youth.models import Preparation, Sharing, Statement

# (text, author, sharing, the old box, withheld)
OLD_ENTRIES = [
    ("team", "ola", "team", False, False),
    ("team, not for parents", "ola", "team", True, False),
    ("family", "ola", "family", False, False),
    ("draft", "ola", "private", False, False),
    ("withheld", "ola", "team", False, True),
    ("mother team", "mother_a", "team", False, False),
    ("mother family", "mother_a", "family", False, False),
]


def _old_parents_read(age: int, author: str, sharing: str, box: bool, withheld: bool) -> bool:
    """Whether Ola's mother read a young person's entry before 0015 (the old access.policy.parents_see)."""
    if author != "ola" or sharing == "private" or withheld:
        return False
    if age < 12:
        return True
    if age < 16:
        return not box
    return sharing == "family"


def _insert_old(conn, cast, age: int) -> None:
    """The entries, as the schema of 0014 stored them, with a meeting per preparation."""
    meta = sa.MetaData()
    statements = sa.Table("statements", meta, autoload_with=conn)
    preparations = sa.Table("preparations", meta, autoload_with=conn)
    now = utcnow().replace(microsecond=0, tzinfo=None)
    for number, (text, author, sharing, box, withheld) in enumerate(OLD_ENTRIES):
        common = {"pathway_id": cast.pathway_a, "author_id": getattr(cast, author),
                  "author_role": "young_person" if author == "ola" else "parent", "sharing": sharing,
                  "not_for_parents": box, "withheld_at": now if withheld else None,
                  "withheld_reason": "Tungtvegande omsyn" if withheld else None,
                  "withheld_by_id": cast.kari if withheld else None, "revision": 1, "created_at": now,
                  "updated_at": now}
        conn.execute(statements.insert().values(prompt="free", text=f"{text} ({age})", **common))
        meeting_id = conn.execute(sa.text(
            "INSERT INTO meetings (pathway_id, kind, starts_at, ends_at, place, video, purpose,"
            " young_person_invited, parents_invited, created_by_id, created_at)"
            " VALUES (:p, :k, :s, :e, 'Rom 1', false, :purpose, true, true, :by, :now) RETURNING id"),
            {"p": cast.pathway_a, "k": MeetingKind.CONVERSATION.value, "s": now + timedelta(days=number + 1),
             "e": now + timedelta(days=number + 1, hours=1), "purpose": f"{text} ({age})", "by": cast.kari,
             "now": now}).scalar_one()
        conn.execute(preparations.insert().values(meeting_id=meeting_id, talk_about=f"{text} ({age})",
                                                  not_while_present="", want_there="", not_there="", needs="",
                                                  questions="", hopes="", **common))


def _texts(model, condition) -> set[str]:
    column = model.text if model is Statement else model.talk_about
    return set(db.session.scalars(select(column).where(model.pathway_id.isnot(None), condition)))


@pytest.mark.parametrize("age", [10, 13, 17])
def test_the_same_people_read_the_same_entries_before_and_after(app, cast, age):
    with app.app_context():
        person = db.session.get(YoungPerson, cast.young_a)
        person.birth_date = date(today_in_oslo().year - age, 1, 1)
        db.session.commit()
        db.session.remove()
        try:
            downgrade(revision="0014throttle")
            with db.engine.begin() as conn:
                _insert_old(conn, cast, age)
        finally:
            upgrade()
        db.session.remove()

        mother = db.session.get(User, cast.mother_a)
        ola = db.session.get(User, cast.ola)
        for model in (Statement, Preparation):
            expected_parent = {f"{text} ({age})" for text, author, sharing, box, withheld in OLD_ENTRIES
                               if author == "mother_a" or _old_parents_read(age, author, sharing, box, withheld)}
            assert _texts(model, family_input_visible(model, mother, age)) == expected_parent, model
            expected_young = {f"{text} ({age})" for text, author, sharing, _box, _withheld in OLD_ENTRIES
                              if author == "ola" or sharing == "family"}
            assert _texts(model, family_input_visible(model, ola, age)) == expected_young, model
            expected_team = {f"{text} ({age})" for text, _author, sharing, _box, _withheld in OLD_ENTRIES
                             if sharing != "private"}
            assert _texts(model, team_sees(model)) == expected_team, model
        sharing = dict(db.session.execute(select(Statement.text, Statement.sharing)).all())
        assert sharing[f"team ({age})"] == (Sharing.FAMILY if age < 16 else Sharing.TEAM)
        assert sharing[f"team, not for parents ({age})"] == (Sharing.FAMILY if age < 12 else Sharing.TEAM)
        assert sharing[f"mother team ({age})"] == Sharing.TEAM
        assert "not_for_parents" not in {c["name"] for c in sa.inspect(db.engine).get_columns("statements")}

        # And back: the box returns where the parents do not read it, so the old rule gives the same.
        db.session.remove()
        try:
            downgrade(revision="0014throttle")
            with db.engine.connect() as conn:
                rows = conn.execute(sa.text(
                    "SELECT text, author_role, sharing, not_for_parents, withheld_at FROM statements")).all()
        finally:
            upgrade()
        db.session.remove()
        parents_read = {text for text, role, shared, box, withheld in rows
                        if _old_parents_read(age, "ola" if role == "young_person" else "mother_a", shared, bool(box),
                                             withheld is not None)}
        assert parents_read == {f"{text} ({age})" for text, author, shared, box, withheld in OLD_ENTRIES
                                if _old_parents_read(age, author, shared, box, withheld)}
