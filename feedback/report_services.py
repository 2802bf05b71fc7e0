"""The service report: anonymous figures of one service's feedback over a period, its CSV export,
the service's questionnaire schedule and its "you said, we did" answers.

Figures come from SQL aggregates (GROUP BY month, item key and value): the report never loads the
responses themselves, so it costs the same few queries over 10 or 100,000 responses. The queries
start from the service's own rows: its requests in ix_feedback_requests_service_set_month, its
responses (which keep their request's service, set and month) in
ix_feedback_responses_service_set_month, their answers through the response's index. None of
them reads the other services' rows, so the report's cost follows the service, not the country.

Privacy (the issue's rule: no figure based on fewer than `MIN_ANSWERS` responses)
- The month is the building block. A month with fewer than 5 responses adds nothing to any figure
  of any period: not its requests, responses, answers, means or distributions (its row says "too
  few"). Likewise a (month, item) cell where fewer than 5 answered the item ("don't know" is not an
  answer to the statement: it is counted beside it, left out of the mean, and goes with its cell)
  adds nothing to that item's figures. Every figure of a period is then a sum over blocks of 5 or
  more, so two periods (say January and January–February) never differ by fewer than 5 answers
  and no single answer can be picked out by subtracting one report from another. The page says so.
- The whole period (requests, responses, rate) when the kept months hold fewer than 5 responses
  (by construction: when no month is kept); every other figure of the report is then hidden too.
- An item when its kept cells hold fewer than 5 answers (by construction: none kept).
- A month's mean of an item when its cell is not kept.
- Secondary suppression of months is no longer needed: a hidden month is in no total, so the
  period's total minus the shown months is 0, never the hidden months' responses.
- In a shown item's distribution, a step counted 1–4 times is a figure about fewer than 5 people
  and says "too few". The steps on the scale add up to "answered" (shown), so one hidden step
  would be answered minus the shown steps: then the smallest shown step with 5 or more is hidden
  as well (secondary suppression; `_hide_small_steps`), and again until no hidden step can be
  worked out from the total (two hidden steps summing to 2 would both be 1). Hiding "answered"
  instead was not chosen: for a required item it equals the responses shown above. "Don't know"
  is not part of "answered", so it is hidden only when small.
- Not covered yet (known): the mean, with "answered" and the shown steps, can narrow down the
  hidden steps when few answered; a step's count can differ by 1–4 between two periods (the blocks
  keep totals apart by 5 or more, not each step).
- Free texts only from people who allowed quoting, with the month only, and only from the months
  whose figures are shown (the months kept above): a quote from a quiet month would otherwise appear
  in a longer period and not in that month alone, and comparing the two reports would single it out.
  In an order that is random but stable (a hash of the response), not by time.
"""
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_decimal, format_number, format_percent
from flask_babel import gettext as _
from sqlalchemy import BigInteger, cast, func, literal_column, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from accounts.models import Service, User
from core import formatting
from core.extensions import db
from core.i18n import in_locale
from core.models import today_in_oslo, utcnow
from feedback.models import (
    FeedbackAnswer, FeedbackItem, FeedbackRequest, FeedbackResponse, FeedbackScale, QuestionSet, QuestionSetVersion,
    ScaleKind, ServiceFeedbackSettings, ServicePublication,
)

MIN_ANSWERS = 5
DEFAULT_MONTHS = 12
MAX_MONTHS = 60  # the longest period one report covers (five years)
COMMENTS_SHOWN = 50  # per free-text question
DONT_KNOW = 0  # the agreement scale's "don't know": counted, never in a mean
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# The free texts' order: a multiplicative hash of the response id (Knuth), modulo a prime; the same
# on SQLite and PostgreSQL (64-bit integers), stable between page loads, unrelated to time.
_HASH_FACTOR, _HASH_MODULUS = 2654435761, 4294967291


# --- months -------------------------------------------------------------------------------------

def parse_month(text: str | None) -> str | None:
    """"YYYY-MM" if `text` is a real month (years 1900–2999), else None."""
    match = MONTH.match((text or "").strip())
    if not match or not 1900 <= int(match.group(1)) <= 2999 or not 1 <= int(match.group(2)) <= 12:
        return None
    return match.group(0)


def month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_from_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    return [month_from_index(i) for i in range(month_index(first), month_index(last) + 1)]


def default_period(today: date | None = None) -> tuple[str, str]:
    """The last twelve months up to and including this one (Oslo)."""
    today = today or today_in_oslo()
    last = f"{today.year:04d}-{today.month:02d}"
    return month_from_index(month_index(last) - DEFAULT_MONTHS + 1), last


# --- question sets ------------------------------------------------------------------------------

SET_ORDER = ("meeting", "questionnaire_youth", "questionnaire_child", "questionnaire_parent")


def question_sets() -> list[tuple[str, str]]:
    """(key, name) of every question set, the rating after meetings first."""
    rows = db.session.execute(select(QuestionSet.key, QuestionSet.name_nn, QuestionSet.name_nb)).all()
    order = {key: i for i, key in enumerate(SET_ORDER)}
    rows = sorted(rows, key=lambda row: (order.get(row.key, len(order)), row.key))
    return [(key, in_locale(nn, nb)) for key, nn, nb in rows]


@dataclass
class ItemInfo:
    """An item of a set, across its versions: named by the newest version that has it."""

    key: str
    text: str
    scale: FeedbackScale | None
    ids: list[int] = field(default_factory=list)  # the item's id in each version


def _items_of(set_id: int) -> list[ItemInfo]:
    """The set's items by key, in the order of the newest version (keys dropped later follow)."""
    items = db.session.scalars(
        select(FeedbackItem).join(QuestionSetVersion, QuestionSetVersion.id == FeedbackItem.version_id)
        .where(QuestionSetVersion.set_id == set_id)
        .order_by(QuestionSetVersion.number.desc(), FeedbackItem.position)
        .options(joinedload(FeedbackItem.scale).selectinload(FeedbackScale.steps))
    ).unique().all()
    by_key: dict[str, ItemInfo] = {}
    for item in items:
        if item.key not in by_key:
            by_key[item.key] = ItemInfo(item.key, in_locale(item.text_nn, item.text_nb), item.scale)
        by_key[item.key].ids.append(item.id)
    return list(by_key.values())


# --- the report ---------------------------------------------------------------------------------

@dataclass
class Step:
    value: int
    label: str
    count: int
    shown: bool = True  # False: 1–4 (too few), or hidden so that such a step cannot be worked out


@dataclass
class ItemFigures:
    key: str
    text: str
    kind: ScaleKind
    answered: int  # values on the scale ("don't know" not included)
    dont_know: int
    mean: float | None
    steps: list[Step]  # the scale's steps, "don't know" last, with their counts
    shown: bool

    def step_of(self, column: tuple[int, str]) -> Step | None:
        """One of the distribution's columns (`step_columns`); None if not on this scale."""
        return next((step for step in self.steps if (step.value, step.label) == column), None)


@dataclass
class MonthFigures:
    month: str
    responses: int
    shown: bool
    means: dict[str, float] = field(default_factory=dict)  # item key -> mean, only the shown ones


@dataclass
class Comment:
    month: str
    text: str


@dataclass
class CommentGroup:
    key: str
    question: str
    comments: list[Comment]
    total: int


@dataclass
class Report:
    service: Service
    set_key: str
    set_name: str
    first: str
    last: str
    requests: int
    responses: int
    items: list[ItemFigures]
    months: list[MonthFigures]
    comments: list[CommentGroup]
    # Steps of 5 or more hidden only so that a smaller one cannot be worked out (the page says so).
    protected: bool = False

    @property
    def shown(self) -> bool:
        return self.responses >= MIN_ANSWERS

    @property
    def rate(self) -> float:
        return self.responses / self.requests if self.requests else 0.0

    @property
    def trend_items(self) -> list[ItemFigures]:
        """The items with at least one month's mean shown (the chart's lines)."""
        return [item for item in self.items if any(item.key in m.means for m in self.months)]


def _in_period(rows, service_id: int, set_id: int, first: str, last: str):
    """The conditions for `rows` (FeedbackRequest, or FeedbackResponse: the same columns, copied
    from its request) of one service and question set from month `first` to `last`."""
    return (rows.service_id == service_id, rows.set_id == set_id, rows.month >= first, rows.month <= last)


def build_report(service: Service, set_key: str, first: str, last: str) -> Report:
    """The figures of `service` for question set `set_key` from month `first` to `last` (inclusive),
    built from the months (and month × item cells) with `MIN_ANSWERS` or more only, every figure
    below `MIN_ANSWERS` hidden. Five queries, whatever the number of responses (a sixth per
    free-text question when the period is shown)."""
    question_set = db.session.scalar(select(QuestionSet).where(QuestionSet.key == set_key))
    in_period = _in_period(FeedbackResponse, service.id, question_set.id, first, last)
    # Requests and responses per month, each counted in its own index (one statement).
    made_by_month: dict[str, int] = {}
    responses_by_month: dict[str, int] = {}
    for month, made, number in db.session.execute(union_all(
        select(FeedbackRequest.month, func.count(), literal_column("0"))
        .where(*_in_period(FeedbackRequest, service.id, question_set.id, first, last))
        .group_by(FeedbackRequest.month),
        select(FeedbackResponse.month, literal_column("0"), func.count())
        .where(*in_period).group_by(FeedbackResponse.month),
    )).all():
        made_by_month[month] = made_by_month.get(month, 0) + made
        responses_by_month[month] = responses_by_month.get(month, 0) + number
    # The building blocks: a month with fewer than MIN_ANSWERS responses adds to no figure.
    kept = {month for month, number in responses_by_month.items() if number >= MIN_ANSWERS}
    requests = sum(made for month, made in made_by_month.items() if month in kept)
    responses = sum(number for month, number in responses_by_month.items() if month in kept)
    infos = _items_of(question_set.id)
    # By item id: the items are few, their keys are looked up here rather than joined to every
    # answer. Every answer with a value is to a scale item of the response's version of this set.
    key_of = {item_id: info.key for info in infos if info.scale is not None for item_id in info.ids}
    counts = db.session.execute(
        select(FeedbackResponse.month, FeedbackAnswer.item_id, FeedbackAnswer.value, func.count())
        .select_from(FeedbackResponse)
        .join(FeedbackAnswer, FeedbackAnswer.response_id == FeedbackResponse.id)
        .where(*in_period, FeedbackAnswer.value.is_not(None))
        .group_by(FeedbackResponse.month, FeedbackAnswer.item_id, FeedbackAnswer.value)
    ).all()
    report = Report(service=service, set_key=set_key, set_name=in_locale(question_set.name_nn, question_set.name_nb),
                    first=first, last=last, requests=requests, responses=responses, items=[], months=[],
                    comments=[])
    period_shown = report.shown
    # (month, item key) -> value -> count, the kept months only
    cells: dict[tuple[str, str], dict[int, int]] = {}
    for month, item_id, value, number in counts:
        key = key_of.get(item_id)
        if key is None or month not in kept:  # a key: an item that lost its scale in a later version
            continue
        cell = cells.setdefault((month, key), {})
        cell[value] = cell.get(value, 0) + number
    # Only the cells where MIN_ANSWERS or more answered add to the item's figures.
    cells = {place: values for place, values in cells.items()
             if sum(n for v, n in values.items() if v != DONT_KNOW) >= MIN_ANSWERS}
    by_value: dict[str, dict[int, int]] = {}  # item key -> value -> count over the kept cells
    for (_month, key), values in cells.items():
        totals = by_value.setdefault(key, {})
        for value, number in values.items():
            totals[value] = totals.get(value, 0) + number
    for info in infos:
        if info.scale is None:
            continue
        values = by_value.get(info.key, {})
        answered = sum(n for v, n in values.items() if v != DONT_KNOW)
        total = sum(v * n for v, n in values.items() if v != DONT_KNOW)
        steps = [Step(step.value, in_locale(step.label_nn, step.label_nb), values.get(step.value, 0))
                 for step in sorted(info.scale.steps, key=lambda s: (s.value == DONT_KNOW, s.position))]
        shown = period_shown and answered >= MIN_ANSWERS
        item = ItemFigures(
            key=info.key, text=info.text, kind=info.scale.kind, answered=answered,
            dont_know=values.get(DONT_KNOW, 0), mean=total / answered if shown else None, steps=steps, shown=shown,
        )
        if shown and _hide_small_steps(item):
            report.protected = True
        report.items.append(item)
    for month in months_between(first, last):
        figures = MonthFigures(month, responses_by_month.get(month, 0), period_shown and month in kept)
        for item in report.items:
            values = cells.get((month, item.key))
            if figures.shown and item.shown and values:
                answered = sum(n for v, n in values.items() if v != DONT_KNOW)
                figures.means[item.key] = sum(v * n for v, n in values.items() if v != DONT_KNOW) / answered
        report.months.append(figures)
    if period_shown:
        report.comments = _comments(service.id, question_set.id, first, last, infos)
    return report


def _hide_small_steps(item: ItemFigures) -> bool:
    """Hide the distribution's steps counted 1–4 times; then, while a hidden step on the scale could
    be worked out from "answered" minus the shown steps, hide the smallest shown step of 5 or more
    too (and when none is left, every step on the scale). Returns True if a step was hidden for it.

    What a reader can work out is bounded pessimistically, as if they knew which hidden steps are
    small (1–4) and which were hidden for protection (5 or more): a hidden step is given away when
    the total left for the hidden steps allows it only one count."""
    for step in item.steps:
        step.shown = not 0 < step.count < MIN_ANSWERS
    on_scale = [step for step in item.steps if step.value != DONT_KNOW]
    protected = False
    while True:
        hidden = [step for step in on_scale if not step.shown]
        if not hidden:
            return protected
        left = item.answered - sum(step.count for step in on_scale if step.shown)
        bounds = [(1, MIN_ANSWERS - 1) if step.count < MIN_ANSWERS else (MIN_ANSWERS, left) for step in hidden]
        low_sum, high_sum = sum(lo for lo, _hi in bounds), sum(hi for _lo, hi in bounds)
        given_away = any(max(lo, left - (high_sum - hi)) == min(hi, left - (low_sum - lo)) for lo, hi in bounds)
        candidates = [step for step in on_scale if step.shown and step.count >= MIN_ANSWERS]
        if not given_away:
            return protected
        if not candidates:  # nothing left to hide it behind: the row shows no step on the scale
            for step in on_scale:
                step.shown = False
            return True
        min(candidates, key=lambda step: (step.count, step.value)).shown = False
        protected = True


def _comments(service_id: int, set_id: int, first: str, last: str, infos: list[ItemInfo]) -> list[CommentGroup]:
    """The free texts whose authors allowed them to be quoted, per free-text question, from the
    months of the period whose figures are shown (MIN_ANSWERS responses or more, counted again in
    SQL so that the statement is the same whatever the months): month and text only, at most
    `COMMENTS_SHOWN` each, in a stable random order."""
    groups = []
    in_period = _in_period(FeedbackResponse, service_id, set_id, first, last)
    shown_months = (select(FeedbackResponse.month).where(*in_period).group_by(FeedbackResponse.month)
                    .having(func.count() >= MIN_ANSWERS))
    where = (*in_period, FeedbackResponse.month.in_(shown_months))
    order = (cast(FeedbackResponse.id, BigInteger) * _HASH_FACTOR) % _HASH_MODULUS
    for info in infos:
        if info.scale is not None:
            continue
        rows = db.session.execute(
            select(FeedbackResponse.month, FeedbackAnswer.text, func.count().over())
            .select_from(FeedbackResponse)
            .join(FeedbackAnswer, FeedbackAnswer.response_id == FeedbackResponse.id)
            .where(*where, FeedbackResponse.quote_allowed.is_(True), FeedbackAnswer.item_id.in_(info.ids),
                   FeedbackAnswer.text.is_not(None))
            .order_by(order, FeedbackResponse.id).limit(COMMENTS_SHOWN)
        ).all()
        if rows:
            groups.append(CommentGroup(info.key, info.text, [Comment(month, text) for month, text, _n in rows],
                                       rows[0][2]))
    return groups


# --- figures as text: the page and the CSV use the same ones --------------------------------------

def too_few() -> str:
    return _("Too few answers to show")


def number(value: int) -> str:
    return format_number(value)


def mean_text(value: float | None) -> str:
    return too_few() if value is None else format_decimal(value, format="0.0")


def rate_text(value: float) -> str:
    return format_percent(value, format="0 %")


def month_name(month: str) -> str:
    """"2026-03" as the reader says it: "mars 2026"."""
    return formatting.month_name(date(int(month[:4]), int(month[5:7]), 1))


def slug(text: str) -> str:
    """A file-name-safe, lower-case ASCII form of a service's name ("BUP Molde" → "bup-molde")."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "service"


def csv_filename(report: Report) -> str:
    return f"tilbakemelding-{slug(report.service.name)}-{report.first}-{report.last}.csv"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _SafeWriter:
    """A CSV writer whose text cells never start a spreadsheet formula: a service's name or a
    question's words (typed by people) that begin with = + - @ get a leading apostrophe."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row) -> None:
        self.writer.writerow(["'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell
                              for cell in row])


def csv_text(report: Report) -> str:
    """The report's figures as CSV (semicolons, as a Norwegian spreadsheet expects; decimals with a
    comma), headers in the reader's language, hidden figures as on the page. UTF-8 with a BOM so
    that spreadsheets read the Norwegian letters. Never a response, a name or a free text."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = _SafeWriter(csv.writer(out, delimiter=";", lineterminator="\r\n"))
    writer.writerow([_("Service"), report.service.name])
    writer.writerow([_("Questions"), report.set_name])
    writer.writerow([_("Period"), report.first, report.last])
    writer.writerow([])
    writer.writerow([_("Requests"), _("Responses"), _("Response rate")])
    if report.shown:
        writer.writerow([number(report.requests), number(report.responses), rate_text(report.rate)])
    else:
        writer.writerow([too_few()] * 3)
    writer.writerow([])
    steps = step_columns(report)
    writer.writerow([_("Question"), _("Answered"), _("Mean"), *[label for _value, label in steps]])
    for item in report.items:
        if item.shown:
            writer.writerow([item.text, number(item.answered), mean_text(item.mean),
                             *[step_text(item, column) for column in steps]])
        else:
            writer.writerow([item.text, *[too_few()] * (2 + len(steps))])
    writer.writerow([])
    writer.writerow([_("Month"), _("Responses"), *[item.text for item in report.items]])
    for month in report.months:
        if month.shown:
            writer.writerow([month.month, number(month.responses),
                             *[mean_text(month.means.get(item.key)) for item in report.items]])
        else:
            writer.writerow([month.month, *[too_few()] * (1 + len(report.items))])
    return out.getvalue()


def step_text(item: ItemFigures, column: tuple[int, str]) -> str:
    """A shown item's count of one step as the page and the CSV write it: empty if the step is not
    on the item's scale, "too few" if it is hidden."""
    step = item.step_of(column)
    if step is None:
        return ""
    return number(step.count) if step.shown else too_few()


def step_columns(report: Report) -> list[tuple[int, str]]:
    """The distribution's columns: each step of the items' scales once, in scale order."""
    columns: list[tuple[int, str]] = []
    for item in report.items:
        for step in item.steps:
            if (step.value, step.label) not in columns:
                columns.append((step.value, step.label))
    return columns


# --- the service's questionnaire schedule -------------------------------------------------------

def questionnaire_every(service: Service) -> int | None:
    return db.session.scalar(
        select(ServiceFeedbackSettings.questionnaire_every_months)
        .where(ServiceFeedbackSettings.service_id == service.id)
    )


def set_questionnaire_every(service: Service, months: int | None, by: User) -> None:
    """Store how often the service sends its questionnaire (None: only on demand and on closing)."""
    settings = db.session.get(ServiceFeedbackSettings, service.id)
    if settings is None:
        settings = ServiceFeedbackSettings(service_id=service.id)
        db.session.add(settings)
    settings.questionnaire_every_months, settings.updated_at, settings.updated_by_id = months, utcnow(), by.id
    db.session.commit()


def schedules(service_ids: list[int]) -> dict[int, int | None]:
    """How often each of these services sends its questionnaire (missing: never set)."""
    return dict(db.session.execute(
        select(ServiceFeedbackSettings.service_id, ServiceFeedbackSettings.questionnaire_every_months)
        .where(ServiceFeedbackSettings.service_id.in_(service_ids))
    ).all())


# --- "you said, we did" -------------------------------------------------------------------------

def publications(service: Service) -> list[ServicePublication]:
    """The service's "you said, we did", newest first, withdrawn ones included."""
    return db.session.scalars(
        select(ServicePublication).where(ServicePublication.service_id == service.id)
        .order_by(ServicePublication.published_at.desc(), ServicePublication.id.desc())
        .options(selectinload(ServicePublication.author))
    ).all()


def publish(service: Service, text: str, by: User) -> ServicePublication:
    """Publish `text` for the service's families. The same text again while it is still published
    (a double tap, or sent twice) stores nothing and returns the one already there."""
    text = text.strip()
    existing = db.session.scalar(
        select(ServicePublication).where(ServicePublication.service_id == service.id,
                                         ServicePublication.text == text,
                                         ServicePublication.withdrawn_at.is_(None))
        .order_by(ServicePublication.id).limit(1)
    )
    if existing is not None:
        return existing
    publication = ServicePublication(service_id=service.id, text=text, author_id=by.id,
                                     published_at=utcnow())
    db.session.add(publication)
    db.session.commit()
    return publication


def service_publication(service: Service, publication_id: int) -> ServicePublication | None:
    """The publication if it belongs to `service`, else None."""
    return db.session.scalar(
        select(ServicePublication).where(ServicePublication.id == publication_id,
                                         ServicePublication.service_id == service.id)
    )


def withdraw(publication: ServicePublication) -> bool:
    """Withdraw it from the families' home pages; False if it already was."""
    if publication.withdrawn_at is not None:
        return False
    publication.withdrawn_at = utcnow()
    db.session.commit()
    return True
