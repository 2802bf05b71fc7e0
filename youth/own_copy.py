"""The person's own copy: everything Stemme holds about the logged-in young person or parent that
they may see, as one document for the readable file and the JSON file (youth/own_copy_views.py).

What is in it
- Their own input, whatever its sharing: each statement with every version saved (also drafts and
  removed ones), each meeting preparation with every version, their answers to what was agreed, their
  ratings and questionnaire answers, and every change of who may read their entries.
- What the other side of the family shared with them, as it is now (no versions: an earlier version
  may have been a draft). A parent gets only what `access.policy.family_input_visible` (through
  `parents_see`) lets parents read of the child's input at the child's age today; never the child's
  drafts, nor what the child keeps from the parents, nor what a professional withheld.
- What was agreed at the meetings they may see (`family_meetings_condition`), with their own answers.
- The access log of their own input: every time a professional read it, who (with their services
  then), what and when. Reads of another person's input belong to that person's copy.

A fixed number of SQL statements, whatever the amount of data (tests/youth/test_own_copy.py counts
them). The download is recorded as an account event (`COPY_DOWNLOADED`): the access log is the
record of professionals reading the family's input, and the young person is shown it as "who has
read what you wrote"; a person fetching their own data is something that happened to their account.
"""
from collections import defaultdict
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from access.policy import family_input_visible, family_meetings_condition
from accounts.models import AccountEventKind, Role, User
from accounts.services import record_account_event
from core.extensions import db
from core.i18n import in_locale
from core.models import utcnow
from feedback.models import (
    FeedbackAnswer, FeedbackItem, FeedbackRequest, FeedbackResponse, QuestionSet, ResponseSharing, ScaleStep,
)
from pathways.models import ANSWERS, INPUT_KINDS, AccessLog, Agreement, AgreementAnswer, InputKind, Meeting
from youth import services, sharing
from youth.models import (
    PARENT_LABELS, PARTICIPATION, PROMPTS, YOUNG_LABELS, Participation, Preparation, PreparationVersion, Prompt,
    Sharing, Statement, StatementVersion, VisibilityChange, VisibilityKind,
)

def _told(value: Sharing | None, role: Role, age: int | None) -> str:
    """Who may read an entry shared as `value`, as its author is told (youth.sharing.told)."""
    if value is None:
        return ""
    return sharing.told(value, role, age if age is not None else 0)


def _statements(user: User, ages: dict[int, int]) -> list[dict]:
    """The user's own statements with every version (one query), then the others' that the user may
    read today (youth.services.statements_for_home: two queries)."""
    own: dict[int, dict] = {}
    rows = db.session.execute(
        select(StatementVersion, Statement.pathway_id, Statement.removed_at)
        .join(Statement, Statement.id == StatementVersion.statement_id)
        .where(Statement.author_id == user.id)
        .order_by(Statement.created_at, Statement.id, StatementVersion.revision)
    )
    for version, pathway_id, removed_at in rows:
        entry = own.setdefault(version.statement_id, {
            "id": version.statement_id, "pathway_id": pathway_id, "own": True, "author": user.name,
            "removed": removed_at is not None, "versions": []})
        entry["versions"].append({
            "revision": version.revision, "saved_at": version.saved_at, "prompt": version.prompt.value,
            "prompt_label": str(PROMPTS[Prompt(version.prompt)]), "text": version.text,
            "sharing": version.sharing.value,
            "who_can_read": _told(version.sharing, user.role, ages.get(pathway_id)), "removed": version.removed,
        })
    for entry in own.values():
        latest = entry["versions"][-1]
        entry.update(prompt=latest["prompt"], prompt_label=latest["prompt_label"], text=latest["text"],
                     sharing=latest["sharing"], who_can_read=latest["who_can_read"], updated_at=latest["saved_at"])
    others = [
        {"id": view.id, "pathway_id": view.pathway_id, "own": False, "author": view.author_name,
         "prompt": view.prompt.value, "prompt_label": str(PROMPTS[view.prompt]), "text": view.text,
         "updated_at": view.updated_at, "removed": False, "versions": []}
        for views in services.statements_for_home(user, ages).values() for view in views if not view.own
    ]
    return list(own.values()) + others


def _answers(content: dict, role: Role) -> list[dict]:
    """A preparation's answers as question and answer, in the order its author was asked."""
    labels = YOUNG_LABELS if role == Role.YOUNG_PERSON else PARENT_LABELS
    answers = []
    for name, label in labels.items():
        value = content.get(name) or ""
        if name == "participation":
            value = str(PARTICIPATION[Participation(value)]) if value else ""
        answers.append({"field": name, "question": str(label), "answer": value})
    return answers


def _preparations(user: User, ages: dict[int, int]) -> list[dict]:
    """The user's own preparations with every version, then the others' that the user may read
    today for the meetings they may see. Two queries."""
    own: dict[int, dict] = {}
    rows = db.session.execute(
        select(PreparationVersion, Preparation.pathway_id, Meeting.starts_at)
        .join(Preparation, Preparation.id == PreparationVersion.preparation_id)
        .join(Meeting, Meeting.id == Preparation.meeting_id)
        .where(Preparation.author_id == user.id)
        .order_by(Meeting.starts_at, Preparation.id, PreparationVersion.revision)
    )
    for version, pathway_id, starts_at in rows:
        entry = own.setdefault(version.preparation_id, {
            "id": version.preparation_id, "pathway_id": pathway_id, "meeting_starts_at": starts_at, "own": True,
            "author": user.name, "versions": []})
        entry["versions"].append({
            "revision": version.revision, "saved_at": version.saved_at, "sharing": version.sharing.value,
            "who_can_read": _told(version.sharing, user.role, ages.get(pathway_id)),
            "answers": _answers(version.content, user.role),
        })
    for entry in own.values():
        latest = entry["versions"][-1]
        entry.update(sharing=latest["sharing"], who_can_read=latest["who_can_read"], answers=latest["answers"],
                     updated_at=latest["saved_at"])
    others = []
    if ages:
        visible = or_(*(and_(Preparation.pathway_id == pathway_id, family_input_visible(Preparation, user, age))
                        for pathway_id, age in ages.items()))
        rows = db.session.execute(
            select(Preparation, User.name, Meeting.starts_at)
            .join(User, User.id == Preparation.author_id)
            .join(Meeting, Meeting.id == Preparation.meeting_id)
            .where(Preparation.author_id != user.id, visible, family_meetings_condition(user))
            .order_by(Meeting.starts_at, Preparation.id)
        )
        others = [
            {"id": preparation.id, "pathway_id": preparation.pathway_id, "meeting_starts_at": starts_at,
             "own": False, "author": author_name, "updated_at": preparation.updated_at, "versions": [],
             "answers": _answers(preparation.content(), preparation.author_role)}
            for preparation, author_name, starts_at in rows
        ]
    return list(own.values()) + others


def _agreements(user: User) -> list[dict]:
    """What was agreed at the meetings the user may see, each point with the user's own answer. One query."""
    rows = db.session.execute(
        select(Agreement, Meeting.starts_at, AgreementAnswer)
        .join(Meeting, Meeting.id == Agreement.meeting_id)
        .outerjoin(AgreementAnswer, and_(AgreementAnswer.agreement_id == Agreement.id,
                                         AgreementAnswer.user_id == user.id))
        .where(family_meetings_condition(user))
        .order_by(Meeting.starts_at, Agreement.id)
    )
    return [
        {"id": agreement.id, "pathway_id": agreement.pathway_id, "meeting_starts_at": starts_at,
         "what": agreement.what, "who": agreement.who, "due_on": agreement.due_on,
         "my_answer": answer.answer.value if answer else None,
         "my_answer_label": str(ANSWERS[answer.answer]) if answer else "",
         "my_question": answer.question if answer else None, "answered_at": answer.at if answer else None}
        for agreement, starts_at, answer in rows
    ]


def _feedback(user: User) -> list[dict]:
    """The user's ratings and questionnaire answers, each answer with its question and the words of
    the step chosen. One query."""
    rows = db.session.execute(
        select(FeedbackResponse.id, FeedbackRequest.pathway_id, FeedbackRequest.reason, QuestionSet.name_nn,
               QuestionSet.name_nb, Meeting.starts_at, FeedbackResponse.submitted_at, FeedbackResponse.updated_at,
               FeedbackResponse.sharing, FeedbackResponse.quote_allowed, FeedbackItem.text_nn, FeedbackItem.text_nb,
               FeedbackAnswer.value, FeedbackAnswer.text, ScaleStep.label_nn, ScaleStep.label_nb)
        .join(FeedbackResponse, FeedbackResponse.request_id == FeedbackRequest.id)
        .join(QuestionSet, QuestionSet.id == FeedbackRequest.set_id)
        .outerjoin(Meeting, Meeting.id == FeedbackRequest.meeting_id)
        .join(FeedbackAnswer, FeedbackAnswer.response_id == FeedbackResponse.id)
        .join(FeedbackItem, FeedbackItem.id == FeedbackAnswer.item_id)
        .outerjoin(ScaleStep, and_(ScaleStep.scale_id == FeedbackItem.scale_id,
                                   ScaleStep.value == FeedbackAnswer.value))
        .where(FeedbackRequest.user_id == user.id)
        .order_by(FeedbackResponse.submitted_at, FeedbackResponse.id, FeedbackItem.position)
    )
    responses: dict[int, dict] = {}
    for (response_id, pathway_id, reason, set_nn, set_nb, starts_at, submitted_at, updated_at, response_sharing,
         quote_allowed, item_nn, item_nb, value, text, step_nn, step_nb) in rows:
        response = responses.setdefault(response_id, {
            "id": response_id, "pathway_id": pathway_id, "reason": reason.value,
            "question_set": in_locale(set_nn, set_nb), "meeting_starts_at": starts_at,
            "submitted_at": submitted_at, "updated_at": updated_at,
            "shared_with_team": response_sharing == ResponseSharing.TEAM, "quote_allowed": quote_allowed,
            "answers": []})
        response["answers"].append({
            "question": in_locale(item_nn, item_nb), "value": value,
            "answer": text if text is not None else (in_locale(step_nn, step_nb) if step_nn else str(value)),
        })
    return list(responses.values())


def _sharing_changes(user: User, ages: dict[int, int], pathway_of: dict[tuple[InputKind, int], int]) -> list[dict]:
    """Every change of who may read the user's own statements and preparations: their own choices,
    and a professional's withholding from the parents or lifting of it (when, not why: the reason is
    the team's record). One query."""
    own_statements = select(Statement.id).where(Statement.author_id == user.id)
    own_preparations = select(Preparation.id).where(Preparation.author_id == user.id)
    rows = db.session.execute(
        select(VisibilityChange, User.name)
        .join(User, User.id == VisibilityChange.by_id)
        .where(or_(and_(VisibilityChange.item_kind == InputKind.STATEMENT,
                        VisibilityChange.item_id.in_(own_statements)),
                   and_(VisibilityChange.item_kind == InputKind.PREPARATION,
                        VisibilityChange.item_id.in_(own_preparations))))
        .order_by(VisibilityChange.at, VisibilityChange.id)
    )
    changes = []
    for change, by_name in rows:
        kind = InputKind(change.item_kind)
        age = ages.get(pathway_of.get((kind, change.item_id)))
        if change.kind == VisibilityKind.SHARING:
            what = _told(change.sharing, user.role, age)
        elif change.kind == VisibilityKind.WITHHELD:
            what = _("A professional kept it from your parents.")
        else:
            what = _("A professional let your parents read it again.")
        changes.append({"item_kind": kind.value, "item_id": change.item_id,
                        "item": str(INPUT_KINDS[kind]) % {"id": change.item_id}, "at": change.at,
                        "kind": change.kind.value, "sharing": change.sharing.value if change.sharing else None,
                        "by": by_name, "what": what})
    return changes


def _reads(user: User) -> list[dict]:
    """The access log of the user's own input: every read by a professional, oldest first. One query
    on `ix_access_log_author_at`."""
    rows = db.session.execute(
        select(AccessLog.at, AccessLog.item_kind, AccessLog.item_id, AccessLog.reader_services, User.name)
        .join(User, User.id == AccessLog.reader_id)
        .where(AccessLog.author_id == user.id)
        .order_by(AccessLog.at, AccessLog.id)
    )
    return [{"at": at, "reader": name, "reader_services": reader_services, "item_kind": InputKind(kind).value,
             "item_id": item_id, "item": str(INPUT_KINDS[InputKind(kind)]) % {"id": item_id}}
            for at, kind, item_id, reader_services, name in rows]


def own_copy(user: User) -> dict:
    """Everything Stemme holds about `user` (a young person or a parent) that they may see, as plain
    data (see the module's docstring). A fixed number of queries."""
    pathways = services.my_pathways(user)
    ages = {p.id: p.age for p in pathways}
    statements = _statements(user, ages)
    preparations = _preparations(user, ages)
    pathway_of = {(InputKind.STATEMENT, s["id"]): s["pathway_id"] for s in statements if s["own"]}
    pathway_of |= {(InputKind.PREPARATION, p["id"]): p["pathway_id"] for p in preparations if p["own"]}
    return {
        "made_at": utcnow(),
        "person": {"name": user.name, "role": user.role.value},
        "pathways": [{"id": p.id, "title": p.title, "young_person": p.young_person_name, "age": p.age,
                      "closed": p.closed} for p in pathways],
        "statements": statements,
        "preparations": preparations,
        "agreements": _agreements(user),
        "feedback": _feedback(user),
        "sharing_changes": _sharing_changes(user, ages, pathway_of),
        "reads": _reads(user),
    }


def reads_by_item(copy: dict) -> dict[tuple[str, int], list[dict]]:
    """The reads of each of the user's own entries ((kind, id) -> reads), for the readable file."""
    reads = defaultdict(list)
    for read in copy["reads"]:
        reads[(read["item_kind"], read["item_id"])].append(read)
    return reads


def json_value(value):
    """`json.dumps`' default for the copy: times and dates as ISO 8601."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def record_download(user: User) -> None:
    """Note that `user` downloaded their own copy, and commit."""
    record_account_event(user, user, AccountEventKind.COPY_DOWNLOADED)
    db.session.commit()
