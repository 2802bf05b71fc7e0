"""Builders for the family's input, meetings and agreements in the reading tests (made directly in
the database: the family's own pages are tested on their own)."""
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from access.log import last_read_at
from accounts.models import Role
from core.extensions import db
from pathways.models import Agreement, AgreementAnswer, AnswerKind, Meeting, MeetingInvitee, MeetingKind
from youth.models import Participation, Preparation, Prompt, Sharing, Statement

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _add(app, row) -> int:
    with app.app_context():
        db.session.add(row)
        db.session.commit()
        return row.id


def statement(app, pathway_id, author_id, text, *, role=Role.YOUNG_PERSON, prompt=Prompt.HARD,
              sharing=Sharing.TEAM, at=T0, updated_at=None, removed=False,
              withheld_by=None) -> int:
    return _add(app, Statement(
        pathway_id=pathway_id, author_id=author_id, author_role=role, prompt=prompt, text=text, sharing=sharing,
        created_at=at, updated_at=updated_at or at,
        removed_at=at if removed else None, removed_by_id=author_id if removed else None,
        withheld_at=at if withheld_by else None, withheld_by_id=withheld_by,
        withheld_reason="Vektige grunnar" if withheld_by else None,
    ))


def meeting(app, pathway_id, created_by, starts_at, *, kind=MeetingKind.CARE_TEAM, place="BUP Molde, rom 3",
            purpose="Snakke om skulen", video=False, invitees=(), parents_invited=True) -> int:
    row = Meeting(pathway_id=pathway_id, kind=kind, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
                  place=place, video=video, purpose=purpose, created_by_id=created_by, created_at=starts_at - timedelta(days=7),
                  parents_invited=parents_invited)
    row.invitees = [MeetingInvitee(user_id=user_id) for user_id in invitees]
    return _add(app, row)


def preparation(app, meeting_id, pathway_id, author_id, *, role=Role.YOUNG_PERSON, sharing=Sharing.TEAM,
                at=T0, participation=None, **answers) -> int:
    return _add(app, Preparation(
        meeting_id=meeting_id, pathway_id=pathway_id, author_id=author_id, author_role=role, sharing=sharing,
        participation=participation, created_at=at, updated_at=at, **answers,
    ))


def agreement(app, meeting_id, pathway_id, created_by, what, *, who="Kari", due_on=date(2026, 4, 1),
              answers=(), at=T0) -> int:
    row = Agreement(meeting_id=meeting_id, pathway_id=pathway_id, what=what, who=who, due_on=due_on,
                    created_by_id=created_by, created_at=at)
    with app.app_context():
        db.session.add(row)
        db.session.flush()
        for user_id, kind, question in answers:
            db.session.add(AgreementAnswer(agreement_id=row.id, user_id=user_id, answer=kind, question=question, at=at))
        db.session.commit()
        return row.id


__all__ = ["AnswerKind", "Participation", "Prompt", "Sharing", "T0", "agreement", "meeting", "preparation",
           "statement"]


def last_reads(reader, entries):
    """When `reader` last read each entry, through `access.log.last_read_at` (the SQL the pages carry)."""
    found = {}
    for kind, item_id, _author in entries:
        at = db.session.scalar(select(last_read_at(kind, item_id, reader.id)))
        if at is not None:
            found[(kind, item_id)] = at
    return found
