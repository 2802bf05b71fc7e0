"""The service report at volume: its queries read the service's own rows only (never a table that
grows with the country's feedback), the same statements over 10 or 1,000 responses, and the
migration that lets responses keep their request's service, question set and month (0010).

The plans are those of the database the suite runs on: on PostgreSQL `EXPLAIN (FORMAT JSON)` of
each statement the report and its CSV send, with the same parameters, after VACUUM ANALYZE (what
autovacuum does after a load), the planner's own choice (no enable_seqscan tricks); on SQLite
`EXPLAIN QUERY PLAN`, without ANALYZE (the app never runs it)."""
import json
import re
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import event, insert, inspect, select, text

from accounts.models import Service, ServiceKind
from core.extensions import db
from core.models import utcnow
from feedback import report_services as reports
from feedback import services
from feedback.models import (
    FeedbackAlert, FeedbackAnswer, FeedbackRequest, FeedbackResponse, RequestReason, ResponseSharing,
)
from tests.feedback.test_report import add_responses, norm, period_figures, ratings, report_url
from tests.helpers import page, sign_in

FIRST, LAST = reports.default_period()
MONTHS = reports.months_between(FIRST, LAST)
LONGEST = reports.month_from_index(reports.month_index(LAST) - reports.MAX_MONTHS + 1)
OTHER_SERVICES = 40
PER_OTHER_SERVICE = 250  # 10,000 responses and 50,000 answers of other services
FEEDBACK_TABLES = ("feedback_requests", "feedback_responses", "feedback_answers")
# How each table may be read: from the service's rows in its report index, or one row at a time
# through a key (a join from the service's rows), never through anything else.
POSTGRES_INDEXES = {
    "feedback_requests": {"ix_feedback_requests_service_set_month", "pk_feedback_requests"},
    "feedback_responses": {"ix_feedback_responses_service_set_month", "pk_feedback_responses",
                           "uq_feedback_responses_request_id"},
    "feedback_answers": {"ix_feedback_answers_response_item_value", "pk_feedback_answers"},
}
SQLITE_FIRST_COLUMNS = {
    "feedback_requests": {"service_id", "rowid", "id"},
    "feedback_responses": {"service_id", "rowid", "id", "request_id"},
    "feedback_answers": {"response_id"},
}


def add_many(app, cast, counts: dict[int, int], text_every: int = 10, months: list[str] = MONTHS) -> None:
    """Answered rating requests, `counts` {service id: how many}, spread over `months` (the last 12):
    five scale answers each and a free text allowed to be quoted on every `text_every`th. Bulk
    inserts in large batches (the ORM's insertmanyvalues, RETURNING the ids in order)."""
    with app.app_context():
        version = services.current_version("meeting")
        scale_items = [item.id for item in version.items if item.scale is not None]
        free_text = next(item.id for item in version.items if item.scale is None)
        now = utcnow()
        made = [(service_id, months[i % len(months)]) for service_id, number in counts.items() for i in range(number)]
        request_ids = db.session.scalars(
            insert(FeedbackRequest).returning(FeedbackRequest.id, sort_by_parameter_order=True),
            [{"reason": RequestReason.SCHEDULE, "set_id": version.set_id, "pathway_id": cast.pathway_a,
              "user_id": cast.ola, "service_id": service_id, "created_at": now, "month": month,
              "closes_at": now + timedelta(days=14)} for service_id, month in made],
        ).all()
        response_ids = db.session.scalars(
            insert(FeedbackResponse).returning(FeedbackResponse.id, sort_by_parameter_order=True),
            [{"request_id": request_id, "version_id": version.id, "sharing": ResponseSharing.ANONYMOUS,
              "quote_allowed": i % text_every == 0, "submitted_at": now, "updated_at": now,
              "service_id": service_id, "set_id": version.set_id, "month": month}
             for i, (request_id, (service_id, month)) in enumerate(zip(request_ids, made))],
        ).all()
        answers = [{"response_id": response_id, "item_id": item_id, "value": 1 + (i + n) % 5, "text": None}
                   for i, response_id in enumerate(response_ids) for n, item_id in enumerate(scale_items)]
        answers += [{"response_id": response_id, "item_id": free_text, "value": None, "text": f"Tekst {i}"}
                    for i, response_id in enumerate(response_ids) if i % text_every == 0]
        db.session.execute(insert(FeedbackAnswer.__table__), answers)
        db.session.commit()


def other_services(app, number: int) -> list[int]:
    with app.app_context():
        ids = db.session.scalars(
            insert(Service).returning(Service.id, sort_by_parameter_order=True),
            [{"name": f"Teneste {i}", "kind": ServiceKind.OTHER, "municipality": "Kommune"} for i in range(number)],
        ).all()
        db.session.commit()
        return list(ids)


def the_country(app, cast) -> None:
    """Many other services' feedback around the service whose report is read (BUP Test)."""
    add_many(app, cast, {service_id: PER_OTHER_SERVICE for service_id in other_services(app, OTHER_SERVICES)})


def vacuum_analyze(app) -> None:
    """PostgreSQL: what autovacuum does after a load: statistics, and the visibility map that lets
    an index-only scan skip the table. (SQLite: nothing; the app never runs ANALYZE.)"""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE " + ", ".join(FEEDBACK_TABLES)))


def sent(app, client, url: str) -> list[tuple[str, object]]:
    """Every statement (with its parameters) sent while `client` gets `url`, which must answer 200."""
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return statements


def report_urls(cast) -> list[str]:
    urls = []
    for first in (FIRST, LONGEST):  # the default twelve months and the longest period (the whole data set)
        query = {"set": "meeting", "from": first, "to": LAST}
        urls += [report_url(cast, **query), report_url(cast, **query).replace("/report", "/report.csv", 1)]
    return urls


def reads_of_country_rows(conn, statement: str, parameters) -> list[str]:
    """How the plan of `statement` reads requests, responses or answers other than through the
    service's own rows or a key: a sequential scan, a scan of a whole index, another index."""
    found = []
    if conn.dialect.name == "postgresql":
        plan = conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        nodes = [plan[0]["Plan"]]
        while nodes:
            node = nodes.pop()
            nodes.extend(node.get("Plans", []))
            index = node.get("Index Name")
            # A bitmap index scan names its index only (its table is on the Bitmap Heap Scan above).
            table = node.get("Relation Name") or next((t for t in FEEDBACK_TABLES if index and t in index), None)
            if table not in FEEDBACK_TABLES:
                continue
            if node["Node Type"] == "Seq Scan":
                found.append(f"Seq Scan on {table}")
            elif index and index not in POSTGRES_INDEXES[table]:
                found.append(f"{node['Node Type']} using {index}")
            elif index and "Index Cond" not in node:
                found.append(f"{node['Node Type']} of all of {index}")
    else:
        for *_ids, detail in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all():
            match = re.match(r"(SCAN|SEARCH) (\w+)(?: AS \w+)?(.*)", detail)
            if not match or match.group(2) not in FEEDBACK_TABLES:
                continue
            how, table, rest = match.groups()
            first_column = re.search(r"\((\w+)\s*[=<>]", rest)
            if how == "SCAN" or first_column is None or first_column.group(1) not in SQLITE_FIRST_COLUMNS[table]:
                found.append(detail)
    return found


def test_the_reports_queries_read_only_the_services_own_rows(app, client, cast):
    """BUP Test has 100 responses, 1 % of the country's (a large service): 40 other services hold
    10,000 responses and 50,000 answers. No statement of the report or its CSV (12 months, and the
    longest period) reads them, neither by a sequential scan nor through an index that is not the
    service's own. (With a tenth of the country's, PostgreSQL would rightly read 50,000 small answer
    rows in one go: the test is about a service among many.)"""
    the_country(app, cast)
    add_many(app, cast, {cast.service_bup: 100})
    vacuum_analyze(app)
    sign_in(client, cast.admin)
    checked = 0
    for url in report_urls(cast):
        statements = [(s, p) for s, p in sent(app, client, url)
                      if any(re.search(rf"\b{table}\b", s) for table in FEEDBACK_TABLES)]
        assert len(statements) >= 3, url  # requests and responses per month, the counts, the comments (page)
        with app.app_context(), db.engine.connect() as conn:
            for statement, parameters in statements:
                assert reads_of_country_rows(conn, statement, parameters) == [], (url, statement)
                checked += 1
    assert checked >= 10


def test_the_report_sends_the_same_statements_over_10_and_1000_responses(app, client, cast):
    the_country(app, cast)
    add_many(app, cast, {cast.service_bup: 10}, text_every=2, months=[LAST])  # shown: the comments are read
    sign_in(client, cast.admin)
    urls = report_urls(cast)
    for url in urls:
        client.get(url)  # warm-up: the first request of a client looks its user up once more
    few = {url: [s for s, _p in sent(app, client, url)] for url in urls}
    add_many(app, cast, {cast.service_bup: 990})
    many = {url: [s for s, _p in sent(app, client, url)] for url in urls}
    assert {url: len(s) for url, s in many.items()} == {url: len(s) for url, s in few.items()}
    assert many == few  # the very same statements
    assert norm(period_figures(page(client.get(urls[0]))))[1] == "1 000"  # all of them counted


# --- the copied columns ---------------------------------------------------------------------------

def copied(app) -> list[tuple]:
    """Each response's service, set and month next to its request's."""
    with app.app_context():
        return db.session.execute(
            select(FeedbackResponse.service_id, FeedbackRequest.service_id, FeedbackResponse.set_id,
                   FeedbackRequest.set_id, FeedbackResponse.month, FeedbackRequest.month)
            .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
        ).all()


def test_a_response_keeps_its_requests_service_set_and_month(app, cast):
    """Made by `save_response` (which copies them), or by any other insert that leaves them out
    (tests with request_id, the demo data with the relationship, several in one flush): the
    columns' default reads them from the request."""
    add_responses(app, cast, ratings(4, 4), month=FIRST)  # the ORM, request_id only
    add_responses(app, cast, [{"listened": 3}], set_key="questionnaire_youth", service_id=_ppt(app))
    add_responses(app, cast, [], unanswered=1, month=MONTHS[3])
    add_responses(app, cast, [], unanswered=2, month=MONTHS[5], service_id=_ppt(app))
    with app.app_context():
        version = services.current_version("meeting")
        unanswered = db.session.scalars(select(FeedbackRequest).where(~FeedbackRequest.response.has())
                                        .order_by(FeedbackRequest.id)).all()
        scale = next(item for item in version.items if item.scale is not None)
        services.save_response(unanswered[0], services.Answers(values={scale.id: 4}, texts={},
                                                               sharing=ResponseSharing.TEAM))
        db.session.add_all([FeedbackResponse(request=request, version_id=version.id, sharing=ResponseSharing.TEAM)
                            for request in unanswered[1:]])
        db.session.commit()
    rows = copied(app)
    assert len(rows) == 6
    for service, request_service, set_id, request_set, month, request_month in rows:
        assert (service, set_id, month) == (request_service, request_set, request_month)
    assert {row[4] for row in rows} == {FIRST, LAST, MONTHS[3], MONTHS[5]}
    assert {row[0] for row in rows} == {cast.service_bup, _ppt(app)}
    assert len({row[2] for row in rows}) == 2  # the rating and the questionnaire


# --- the migration --------------------------------------------------------------------------------

def test_the_migration_fills_in_the_copies_and_keeps_every_answer(app, cast):
    """Down to 0009 and up again on the suite's database, with responses, answers and an alert
    stored: the columns come back filled in from the requests, nothing else is lost, and on SQLite
    foreign keys are on again afterwards (the table's rebuild turns them off)."""
    add_responses(app, cast, ratings(5, 4, 3), month=MONTHS[0], texts={"better": "Kortare møte"},
                  quote_allowed=True)
    add_responses(app, cast, ratings(2, 1), month=LAST, service_id=_ppt(app))
    with app.app_context():
        response = db.session.scalar(select(FeedbackResponse).limit(1))
        db.session.add(FeedbackAlert(response_id=response.id, pathway_id=cast.pathway_a, reason="low"))
        db.session.commit()
    before = copied(app)
    stored = _stored(app)
    with app.app_context():
        db.session.remove()
        try:
            downgrade(revision="0009dropcache")
            columns = {column["name"] for column in inspect(db.engine).get_columns("feedback_responses")}
            assert not columns & {"service_id", "set_id", "month"}
            assert _stored(app) == stored
        finally:
            upgrade()
        db.session.remove()
        indexes = {index["name"]: index["column_names"] for index in inspect(db.engine).get_indexes("feedback_responses")}
        assert indexes["ix_feedback_responses_service_set_month"] == [
            "service_id", "set_id", "month", "quote_allowed", "id"]
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert sorted(copied(app)) == sorted(before)
    assert _stored(app) == stored


def _stored(app) -> dict[str, int]:
    with app.app_context():
        return {table: db.session.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608 - fixed names
                for table in ("feedback_requests", "feedback_responses", "feedback_answers", "feedback_alerts")}


def _ppt(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Service.id).where(Service.name == "PPT Test"))


@pytest.fixture(autouse=True)
def _session_closed(app):
    """The bulk inserts and the migration test run outside requests: close their sessions."""
    yield
    with app.app_context():
        db.session.remove()
