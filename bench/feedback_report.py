"""The service report at volume: time and peak memory, in-process, on SQLite or PostgreSQL.

    .venv/bin/python bench/feedback_report.py             # SQLite, 100,000 responses, 7 rounds
    .venv/bin/python bench/feedback_report.py --services 1  # all 100,000 in the measured service
    .venv/bin/python bench/feedback_report.py --responses 20000 --rounds 5
    # National volume on PostgreSQL: 200 services, 1,000,000 responses over 12 months (10,000 in
    # the measured service, a large BUP), the plan of every query the report sends:
    createdb -h 127.0.0.1 -U postgres report_bench
    .venv/bin/python bench/feedback_report.py --services 200 --share 0.01 --responses 1000000 --explain \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/report_bench
    # The same database again without seeding it (after a code change: `flask db upgrade` runs first,
    # so a new migration's backfill is timed too):
    .venv/bin/python bench/feedback_report.py --reuse --database-url postgresql+psycopg://…/report_bench

1. The database: by default a SQLite file in a temporary directory (removed at the end); with
   `--database-url` that database, whose `public` schema is dropped and made again (never the test
   suite's database `test`: the bench refuses it). The schema comes from the migrations (`flask db
   upgrade` inside `create_app`). Then, in batches of 20,000 requests: `--services` services with
   feedback and one without, an admin, one young person with a pathway per 20 responses (at least
   1,000), one meeting per request, `--responses` rating responses plus a tenth as many requests left
   unanswered (5 scale answers each; a free text on 1 in 20, half of those allowed to be quoted),
   spread evenly over the last `--months` months and over the services (service 1, the measured
   one, gets 1/`--services` of them, or the part `--share`, and the others the rest). SQLite:
   SQLAlchemy core bulk inserts (executemany); PostgreSQL: COPY through psycopg (about 3 minutes
   for 1,000,000 responses), then the sequences moved past the ids and `VACUUM ANALYZE`
   (what autovacuum does after a load; SQLite gets no ANALYZE: the app never runs it). `--reuse`
   keeps what the database holds and seeds nothing (`--vacuum`: VACUUM ANALYZE first).
2. Logs in as the admin through the login form (a real POST with the CSRF token) and renders, with
   Flask's test client: the report of service 1 for the last 12 months (the default period) and for
   the longest period a report covers (`MAX_MONTHS`, 60: the whole data set) and the CSV of both,
   `--rounds` times each after one warm-up, and the same report over the service without feedback
   (the baseline: same page, same queries, nothing to count) and the accessibility page (the app's
   cheapest page).
3. Prints per page the median and worst wall time and the SQL statements per request; then one
   request with the process's peak RSS reset just before it (Linux `/proc/self/clear_refs`), so that
   ru_maxrss afterwards is that request's peak (RSS before → peak), and one under tracemalloc
   (Python's allocations: the peak during the request). Last the ratio of the report's median to
   the baseline's.
4. `--explain`: every statement the two reports send that reads a feedback table, captured with a
   `before_cursor_execute` listener, is explained with the same parameters: on PostgreSQL `EXPLAIN
   (ANALYZE, BUFFERS)` (the whole plan, then a line with its time and any sequential scan of a
   feedback table), on SQLite `EXPLAIN QUERY PLAN`.
"""
import argparse
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from enum import Enum
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PASSWORD = "bench-passord-lang-nok"  # noqa: S105 - a throwaway database
ADMIN = "admin@bench.test"
ADMIN_TOTP_SECRET = "BENCHADMINBENCHADMINBENCHADMIN22"  # the admin's code app (a throwaway database)
MIN_PATHWAYS = 1000
CHUNK = 20_000  # requests per batch
SLOTS = 10_000  # the requests are dealt to the services in this many slots
RATING_KEYS = ("listened", "mattered", "understood", "next", "overall")


def _writer(conn):
    """A function that stores a batch of rows (dicts with the same keys) in a table: COPY on
    PostgreSQL, an executemany insert elsewhere."""
    from sqlalchemy import insert

    if conn.dialect.name != "postgresql":
        return lambda table, rows: conn.execute(insert(table), rows)
    raw = conn.connection.driver_connection  # the psycopg connection, in the same transaction

    def plain(value):
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, datetime):  # UTCDateTime stores UTC without a zone
            return value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def copy_rows(table, rows):
        columns = list(rows[0])
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([plain(row[column]) for column in columns])

    return copy_rows


def build(app, responses: int, services_with_feedback: int = 2, months_back: int = 12, share: float | None = None,
          seed: int = 2026) -> None:
    """Fill the empty database. `share`: the part of the requests that go to service 1 (None: an
    equal part); the others share the rest equally."""
    from sqlalchemy import func, select, text

    from accounts.models import Role, Service, ServiceKind, User, YoungPerson, professional_services
    from accounts.passwords import hash_password
    from core.extensions import db
    from feedback.models import (
        FeedbackAnswer, FeedbackItem, FeedbackRequest, FeedbackResponse, QuestionSet, QuestionSetVersion,
    )
    from feedback.report_services import month_from_index, month_index
    from pathways.models import Meeting, Pathway

    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    this_month = f"{now.year:04d}-{now.month:02d}"
    months = [month_from_index(i) for i in range(month_index(this_month) - months_back + 1,
                                                 month_index(this_month) + 1)]
    # The schema before or after responses kept their request's service, set and month.
    copies_request = "month" in FeedbackResponse.__table__.c
    pathway_count = max(MIN_PATHWAYS, responses // 20)
    kinds = list(ServiceKind)
    with app.app_context(), db.engine.begin() as conn:
        write = _writer(conn)
        password_hash = hash_password(PASSWORD)
        services = [{"id": i, "name": f"Teneste {i}", "kind": kinds[i % len(kinds)], "municipality": f"Kommune {i}"}
                    for i in range(1, services_with_feedback + 1)]
        services[0]["name"] = "BUP Bench"
        services.append({"id": services_with_feedback + 1, "name": "Helsestasjon utan svar",
                         "kind": ServiceKind.SCHOOL_HEALTH, "municipality": "Aukra"})
        users = [{"id": 1, "role": Role.ADMIN, "email": ADMIN, "username": None, "name": "Admin",
                  "password_hash": password_hash, "locale": "nn", "active": True, "created_at": now,
                  "totp_secret": ADMIN_TOTP_SECRET},
                 {"id": 2, "role": Role.PROFESSIONAL, "email": "kari@bench.test", "username": None,
                  "name": "Kari Bench", "password_hash": password_hash, "locale": "nb", "active": True,
                  "created_at": now, "totp_secret": None}]
        links = [{"user_id": 2, "service_id": 1}]
        people, pathways = [], []
        for i in range(pathway_count):
            uid = 3 + i
            users.append({"id": uid, "role": Role.YOUNG_PERSON, "email": None, "username": f"ung{i:06d}",
                          "name": f"Ung {i}", "password_hash": password_hash, "locale": "nn", "active": True,
                          "created_at": now})
            people.append({"id": i + 1, "name": f"Ung {i}", "birth_date": date(2008, 1, 1) + timedelta(days=i % 3650),
                           "user_id": uid, "created_at": now})
            pathways.append({"id": i + 1, "young_person_id": i + 1, "title": "Bench", "coordinator_id": 2,
                             "created_at": now - timedelta(days=40 * months_back)})
        for table, rows in [(Service.__table__, services), (User.__table__, users),
                            (professional_services, links), (YoungPerson.__table__, people),
                            (Pathway.__table__, pathways)]:
            write(table, rows)

        set_id = conn.scalar(select(QuestionSet.id).where(QuestionSet.key == "meeting"))
        version_id = conn.scalar(select(func.max(QuestionSetVersion.id)).where(QuestionSetVersion.set_id == set_id))
        items = dict(conn.execute(select(FeedbackItem.key, FeedbackItem.id)
                                  .where(FeedbackItem.version_id == version_id)).all())
        unanswered = responses // 10
        total = responses + unanswered
        # Request n: month n % months, answered unless one of the last `unanswered`; the service
        # from a slot of n // months, so that every service gets its share of every month.
        first_slots = round((share if share is not None else 1 / services_with_feedback) * SLOTS)
        response_id = 0
        for start in range(0, total, CHUNK):
            meetings, requests, answers_rows, response_rows = [], [], [], []
            for n in range(start, min(start + CHUNK, total)):
                month = months[n % len(months)]
                slot = (n // len(months)) * 7919 % SLOTS  # a prime: consecutive groups spread over the slots
                service_id = 1 if slot < first_slots or services_with_feedback == 1 else \
                    2 + slot % (services_with_feedback - 1)
                pathway = n % pathway_count + 1
                starts = datetime(int(month[:4]), int(month[5:7]), 1 + n % 27, 10, tzinfo=timezone.utc)
                meetings.append({"id": n + 1, "pathway_id": pathway, "kind": "care_team", "starts_at": starts,
                                 "ends_at": starts + timedelta(hours=1), "place": "Møterom", "video": False,
                                 "purpose": "Korleis går det?", "young_person_invited": True,
                                 "parents_invited": True, "held_at": starts + timedelta(hours=1),
                                 "created_by_id": 2, "created_at": starts - timedelta(days=14)})
                requests.append({"id": n + 1, "reason": "meeting", "set_id": set_id, "pathway_id": pathway,
                                 "user_id": pathway + 2, "meeting_id": n + 1, "service_id": service_id,
                                 "created_at": starts + timedelta(hours=1), "month": month,
                                 "closes_at": starts + timedelta(days=14)})
                if n >= responses:
                    continue
                response_id += 1
                has_text = rng.random() < 0.05
                row = {"id": response_id, "request_id": n + 1, "version_id": version_id,
                       "sharing": "anonymous" if rng.random() < 0.3 else "team",
                       "quote_allowed": has_text and rng.random() < 0.5,
                       "submitted_at": starts + timedelta(hours=3), "updated_at": starts + timedelta(hours=3)}
                if copies_request:
                    row.update(service_id=service_id, set_id=set_id, month=month)
                response_rows.append(row)
                mood = rng.choice((2, 3, 4, 4, 5))
                for key in RATING_KEYS:
                    value = min(5, max(1, mood + rng.choice((-1, 0, 0, 1))))
                    answers_rows.append({"response_id": response_id, "item_id": items[key], "value": value,
                                         "text": None})
                if has_text:
                    answers_rows.append({"response_id": response_id, "item_id": items["better"], "value": None,
                                         "text": rng.choice(["Kortare møte", "Meir tid til å snakke",
                                                             "Eg ville vore med heile møtet"])})
            for table, rows in [(Meeting.__table__, meetings), (FeedbackRequest.__table__, requests),
                                (FeedbackResponse.__table__, response_rows), (FeedbackAnswer.__table__, answers_rows)]:
                if rows:  # the last batches hold only unanswered requests
                    write(table, rows)
        if conn.dialect.name == "postgresql":
            for table in ("services", "users", "young_people", "pathways", "meetings", "feedback_requests",
                          "feedback_responses"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))
    vacuum_analyze(app)


def vacuum_analyze(app) -> None:
    """PostgreSQL: what autovacuum does after a load (statistics, the visibility map)."""
    from sqlalchemy import text

    from core.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))


def count_rows(app, first: str, last: str) -> dict:
    from sqlalchemy import func, select

    from core.extensions import db
    from feedback.models import FeedbackAnswer, FeedbackRequest, FeedbackResponse

    with app.app_context():
        return {
            "services": db.session.scalar(select(func.count(func.distinct(FeedbackRequest.service_id)))),
            "requests": db.session.scalar(select(func.count()).select_from(FeedbackRequest)),
            "responses": db.session.scalar(select(func.count()).select_from(FeedbackResponse)),
            "answers": db.session.scalar(select(func.count()).select_from(FeedbackAnswer)),
            "service 1 responses": db.session.scalar(
                select(func.count()).select_from(FeedbackResponse)
                .join(FeedbackRequest, FeedbackRequest.id == FeedbackResponse.request_id)
                .where(FeedbackRequest.service_id == 1, FeedbackRequest.month >= first,
                       FeedbackRequest.month <= last)),
        }


def login(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "login": ADMIN, "password": PASSWORD})
    if answer.status_code == 303 and answer.headers["Location"] == "/login/code":
        import pyotp

        answer = client.post("/login/code", data={"csrf_token": token, "code": pyotp.TOTP(ADMIN_TOTP_SECRET).now()})
    if answer.status_code != 303:
        raise SystemExit(f"login failed: {answer.status_code}")
    return client


def reset_peak_rss() -> int:
    """Reset the peak RSS to the current RSS (Linux `clear_refs`); returns the current RSS in KiB."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def measure(app, client, url: str, rounds: int, check) -> dict:
    from sqlalchemy import event

    from core.extensions import db

    statements = []

    def count(*args):
        statements.append(args[2])

    response = client.get(url)  # warm-up (templates compiled, caches filled)
    check(response)
    times = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            response = client.get(url)
            body = response.get_data()
            times.append(time.perf_counter() - start)
            check(response)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # The peak RSS of one request: reset the process's high-water mark first (Linux), else it
    # would still be the building of the database or the Argon2 hash of the login.
    rss_before = reset_peak_rss()
    client.get(url).get_data()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    client.get(url).get_data()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"median": statistics.median(times), "worst": max(times), "sql": len(statements) // rounds,
            "bytes": len(body), "traced_peak": peak, "rss_before": rss_before, "rss_after": rss_after}


FEEDBACK_TABLE = re.compile(r"\bfeedback_(requests|responses|answers)\b")
SEQ_SCAN = re.compile(r"Seq Scan on (feedback_\w+)")


def explain(app, client, name: str, url: str) -> None:
    """Print the plan of every statement of one request that reads requests, responses or answers."""
    from sqlalchemy import event

    from core.extensions import db

    captured = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if FEEDBACK_TABLE.search(statement) and statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    print(f"\n=== EXPLAIN: {name} ({len(captured)} statements on feedback tables)")
    with app.app_context(), engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        for number, (statement, parameters) in enumerate(captured, 1):
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
            rows = conn.exec_driver_sql(prefix + statement, parameters).all()
            plan = [row[0] for row in rows] if postgres else [row[-1] for row in rows]
            print(f"--- {number}: {' '.join(statement.split())[:300]}")
            print("\n".join(plan))
            if postgres:
                took = next((line for line in plan if line.startswith("Execution Time")), "")
                scans = sorted(set(SEQ_SCAN.findall("\n".join(plan))))
                print(f"--> {took}; sequential scans of feedback tables: {', '.join(scans) or 'none'}")
        conn.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--services", type=int, default=2,
                        help="services with feedback; the measured one gets 1/SERVICES of the responses")
    parser.add_argument("--share", type=float, help="the part of the responses in service 1, the measured one "
                                                    "(default 1/SERVICES; 0.01: 10,000 of 1,000,000)")
    parser.add_argument("--months", type=int, default=12, help="the months the responses are spread over")
    parser.add_argument("--database-url", help="e.g. postgresql+psycopg://postgres@127.0.0.1:5432/report_bench "
                                               "(its public schema is dropped); default a temporary SQLite file")
    parser.add_argument("--reuse", action="store_true", help="keep the database's rows; seed nothing")
    parser.add_argument("--vacuum", action="store_true",
                        help="with --reuse on PostgreSQL: VACUUM ANALYZE before measuring (as autovacuum would "
                             "after a migration's UPDATE); without it the plans are those right after the migration")
    parser.add_argument("--explain", action="store_true", help="print the plan of each of the report's queries")
    args = parser.parse_args()
    if args.services < 1:
        parser.error("--services must be 1 or more")
    sys.path[:0] = [str(ROOT)]
    with tempfile.TemporaryDirectory(prefix="stemme-bench-feedback-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'feedback.sqlite3'}"
        if args.reuse and not args.database_url:
            parser.error("--reuse needs --database-url")
        if url.startswith("postgresql"):
            from sqlalchemy import create_engine, text
            from sqlalchemy.engine import make_url

            if make_url(url).database == "test":
                parser.error("the database `test` is the test suite's: make another (createdb … report_bench)")
            if not args.reuse:
                engine = create_engine(url)
                with engine.begin() as conn:
                    conn.execute(text("DROP SCHEMA public CASCADE"))
                    conn.execute(text("CREATE SCHEMA public"))
                engine.dispose()
        os.environ.update(STEMME_ENV="production", SECRET_KEY="bench-feedback-" + "x" * 50, DATABASE_URL=url)
        from flask_migrate import upgrade
        from sqlalchemy import text as sa_text

        from app import create_app
        from core.extensions import db
        from feedback.report_services import MAX_MONTHS, default_period, month_from_index, month_index

        # Not Secure: the test client sends cookies like a browser would, so over http it would drop them.
        app = create_app({"SESSION_COOKIE_SECURE": False})
        app.instance_path = tmp
        started = time.perf_counter()
        with app.app_context():
            upgrade()
        print(f"migrations: {time.perf_counter() - started:.1f} s")
        if not args.reuse:
            build(app, args.responses, args.services, args.months, args.share)
        elif args.vacuum:
            vacuum_analyze(app)
        first, last = default_period()
        longest = month_from_index(month_index(last) - MAX_MONTHS + 1)
        counts = count_rows(app, first, last)
        with app.app_context():
            baseline_id = db.session.scalar(sa_text("SELECT max(id) FROM services"))
        print(f"database ({url.split(':')[0].split('+')[0]}): {counts} "
              f"ready in {time.perf_counter() - started:.1f} s")
        client = login(app)

        def page_ok(response):
            assert response.status_code == 200, response.status_code

        def report_ok(response):
            page_ok(response)
            text = response.get_data(as_text=True)
            assert 'id="period-figures"' in text and "<dd>" in text, "the report shows no figures"

        def csv_ok(response):
            page_ok(response)
            assert response.mimetype == "text/csv"

        twelve = f"?set=meeting&from={first}&to={last}"
        whole = f"?set=meeting&from={longest}&to={last}"
        reports = [(f"report, 12 months ({first}–{last})", f"/feedback/services/1/report{twelve}"),
                   (f"report, {MAX_MONTHS} months ({longest}–{last})", f"/feedback/services/1/report{whole}")]
        pages = [
            ("accessibility page", "/accessibility", page_ok),
            ("report, service without feedback (baseline)", f"/feedback/services/{baseline_id}/report{twelve}",
             page_ok),
            (reports[0][0], reports[0][1], report_ok),
            ("CSV, 12 months", f"/feedback/services/1/report.csv{twelve}", csv_ok),
            (reports[1][0], reports[1][1], report_ok),
            (f"CSV, {MAX_MONTHS} months", f"/feedback/services/1/report.csv{whole}", csv_ok),
        ]
        results = {}
        print(f"{'page':<48} {'median':>9} {'worst':>9} {'SQL':>4} {'bytes':>8} {'py peak':>9} {'RSS→peak':>14}")
        for name, url_, check in pages:
            r = results[name] = measure(app, client, url_, args.rounds, check)
            print(f"{name:<48} {r['median'] * 1000:>7.1f}ms {r['worst'] * 1000:>7.1f}ms {r['sql']:>4} "
                  f"{r['bytes']:>8,} {r['traced_peak'] / 1e6:>7.2f}MB "
                  f"{r['rss_before'] / 1024:>6.0f}→{r['rss_after'] / 1024:.0f}MB")
        if args.explain:
            for name, url_ in reports:
                explain(app, client, name, url_)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        report = results[pages[2][0]]["median"]
        whole_period = results[pages[4][0]]["median"]
        baseline = results[pages[1][0]]["median"]
        print(f"bench-feedback: report {report * 1000:.1f} ms (12 months), {whole_period * 1000:.1f} ms "
              f"({MAX_MONTHS} months) median over {counts['service 1 responses']:,} responses of the service "
              f"({counts['responses']:,} stored, {counts['services']} services); baseline {baseline * 1000:.1f} ms; "
              f"ratio {report / baseline:.1f}; peak RSS {results[pages[2][0]]['rss_after'] / 1024:.0f} MB "
              f"(baseline {results[pages[1][0]]['rss_after'] / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
