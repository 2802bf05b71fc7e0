"""The admin's editing of the question sets: the list, one set's newest version and its history, and
a new version made from the admin's changes.

A version is never changed once made: responses keep the version they answered, so that their
answers are always read with the words the person saw. An edit copies the newest version into a new
one (number + 1) with the changes; items keep their key across versions (trends and reports follow
the key), and a new item gets a key no version of the set has used."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from accounts.models import User
from core.extensions import db
from core.models import utcnow
from feedback.models import (
    FeedbackItem, FeedbackResponse, FeedbackScale, QuestionSet, QuestionSetVersion, ScaleKind, SetKind,
)

# What a new item is answered with: a scale's kind, or a free text.
FREE_TEXT = "text"
NEW_ITEM_KINDS = {SetKind.RATING: (ScaleKind.FACES.value, FREE_TEXT),
                  SetKind.QUESTIONNAIRE: (ScaleKind.AGREEMENT.value, FREE_TEXT)}
NEW_KEY_PREFIX = "item_"


@dataclass
class VersionCount:
    number: int
    responses: int


@dataclass
class SetRow:
    """One line of the admin's list of question sets."""

    id: int
    key: str
    kind: SetKind
    name_nn: str
    name_nb: str
    versions: list[VersionCount] = field(default_factory=list)

    @property
    def current(self) -> int:
        return max(v.number for v in self.versions)


def set_rows() -> list[SetRow]:
    """Every question set with each version's number of responses (one query)."""
    rows = db.session.execute(
        select(QuestionSet.id, QuestionSet.key, QuestionSet.kind, QuestionSet.name_nn, QuestionSet.name_nb,
               QuestionSetVersion.number, func.count(FeedbackResponse.id))
        .join(QuestionSetVersion, QuestionSetVersion.set_id == QuestionSet.id)
        .outerjoin(FeedbackResponse, FeedbackResponse.version_id == QuestionSetVersion.id)
        .group_by(QuestionSet.id, QuestionSet.key, QuestionSet.kind, QuestionSet.name_nn, QuestionSet.name_nb,
                  QuestionSetVersion.number)
        .order_by(QuestionSet.id, QuestionSetVersion.number)
    ).all()
    sets: dict[int, SetRow] = {}
    for set_id, key, kind, name_nn, name_nb, number, responses in rows:
        row = sets.setdefault(set_id, SetRow(set_id, key, SetKind(kind), name_nn, name_nb))
        row.versions.append(VersionCount(number, responses))
    return list(sets.values())


def question_set(set_id: int) -> QuestionSet | None:
    return db.session.get(QuestionSet, set_id)


def newest_version(question_set: QuestionSet) -> QuestionSetVersion:
    """The version that is asked now, with its items and their scales."""
    return db.session.scalar(
        select(QuestionSetVersion).where(QuestionSetVersion.set_id == question_set.id)
        .order_by(QuestionSetVersion.number.desc()).limit(1)
        .options(selectinload(QuestionSetVersion.items).joinedload(FeedbackItem.scale))
    )


@dataclass
class HistoryLine:
    number: int
    created_at: datetime
    created_by: str | None  # None: the defaults loaded with Stemme
    items: int
    responses: int


def history(question_set: QuestionSet) -> list[HistoryLine]:
    """The set's versions, newest first: when, by whom, how many items and responses (one query)."""
    items = (select(func.count(FeedbackItem.id)).where(FeedbackItem.version_id == QuestionSetVersion.id)
             .correlate(QuestionSetVersion).scalar_subquery())
    responses = (select(func.count(FeedbackResponse.id)).where(FeedbackResponse.version_id == QuestionSetVersion.id)
                 .correlate(QuestionSetVersion).scalar_subquery())
    rows = db.session.execute(
        select(QuestionSetVersion.number, QuestionSetVersion.created_at, User.name, items, responses)
        .outerjoin(User, User.id == QuestionSetVersion.created_by_id)
        .where(QuestionSetVersion.set_id == question_set.id)
        .order_by(QuestionSetVersion.number.desc())
    ).all()
    return [HistoryLine(*row) for row in rows]


# --- a new version ------------------------------------------------------------------------------

@dataclass
class ItemEdit:
    """What the admin wants for one item of the newest version in the next one."""

    text_nn: str
    text_nb: str
    required: bool
    hidden: bool = False


@dataclass
class NewItem:
    """An item added at the end: its words and what it is answered with (a scale kind or free text)."""

    text_nn: str
    text_nb: str
    kind: str


@dataclass
class Changes:
    items: dict[str, ItemEdit]  # by item key; an item not named here stays as it is
    new_item: NewItem | None = None


class RefusedChange(ValueError):
    """The changes would break the set: the "all in all" item hidden, or no scale item left."""


class StaleVersion(Exception):
    """Someone else made a new version while the admin was editing."""


def can_hide(item: FeedbackItem) -> bool:
    """The "all in all" item stays: the team's alert for a drop since the last meeting reads it."""
    return not item.overall


def _edited(item: FeedbackItem, changes: Changes) -> ItemEdit:
    edit = changes.items.get(item.key)
    if edit is None:
        return ItemEdit(item.text_nn, item.text_nb, item.required)
    return ItemEdit(edit.text_nn.strip(), edit.text_nb.strip(), edit.required, edit.hidden)


def is_change(version: QuestionSetVersion, changes: Changes) -> bool:
    """Whether `changes` make any difference to `version`."""
    if changes.new_item is not None:
        return True
    for item in version.items:
        edit = _edited(item, changes)
        if edit.hidden or (edit.text_nn, edit.text_nb, edit.required) != (item.text_nn, item.text_nb, item.required):
            return True
    return False


def check(version: QuestionSetVersion, changes: Changes) -> None:
    """Raise `RefusedChange` if the next version would lose its "all in all" item or every scale item."""
    kept = [item for item in version.items if not _edited(item, changes).hidden]
    if any(not can_hide(item) for item in version.items if item not in kept):
        raise RefusedChange("the overall item cannot be hidden")
    new_scale = changes.new_item is not None and changes.new_item.kind != FREE_TEXT
    if not new_scale and not any(item.scale_id is not None for item in kept):
        raise RefusedChange("at least one scale item must stay")


def _fresh_key(question_set: QuestionSet) -> str:
    """`item_<n>` that no version of the set has used: a hidden item's key is never given to
    another item, so its old answers are never counted as answers to a different question."""
    used = set(db.session.scalars(
        select(FeedbackItem.key).join(QuestionSetVersion).where(QuestionSetVersion.set_id == question_set.id)
    ))
    n = len(used) + 1
    while f"{NEW_KEY_PREFIX}{n}" in used:
        n += 1
    return f"{NEW_KEY_PREFIX}{n}"


def _scale_for(kind: str) -> FeedbackScale | None:
    if kind == FREE_TEXT:
        return None
    return db.session.scalar(select(FeedbackScale).where(FeedbackScale.kind == ScaleKind(kind))
                             .order_by(FeedbackScale.id).limit(1))


def new_version(question_set: QuestionSet, by: User, changes: Changes,
                based_on: int | None = None) -> QuestionSetVersion | None:
    """Make version number + 1 from the newest one with `changes`: every item copied (same key,
    order, flags and scale) with its new words and `required`, hidden ones left out, and the new
    item at the end. Returns None, and stores nothing, if nothing changed.

    `based_on` is the version number the admin edited; if another version was made since, raises
    `StaleVersion` and stores nothing. Raises `RefusedChange` for changes that `check` refuses."""
    newest = newest_version(question_set)
    if based_on is not None and based_on != newest.number:
        raise StaleVersion()
    if not is_change(newest, changes):
        return None
    check(newest, changes)
    version = QuestionSetVersion(set_id=question_set.id, number=newest.number + 1, created_at=utcnow(),
                                 created_by_id=by.id)
    position = 0
    for item in newest.items:
        edit = _edited(item, changes)
        if edit.hidden:
            continue
        position += 1
        version.items.append(FeedbackItem(
            position=position, key=item.key, scale_id=item.scale_id, text_nn=edit.text_nn, text_nb=edit.text_nb,
            required=edit.required, overall=item.overall, shows_topics=item.shows_topics,
        ))
    if changes.new_item is not None:
        new = changes.new_item
        scale = _scale_for(new.kind)
        version.items.append(FeedbackItem(
            position=position + 1, key=_fresh_key(question_set), scale_id=scale.id if scale else None,
            text_nn=new.text_nn.strip(), text_nb=new.text_nb.strip(), required=scale is not None,
            overall=False, shows_topics=False,
        ))
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except IntegrityError:  # another admin saved the same number a moment ago
        db.session.rollback()
        raise StaleVersion() from None
    db.session.commit()
    return version

