"""The service report over 100,000 rating responses: time and peak memory, in-process.

    .venv/bin/python bench/feedback_report.py             # 100,000 responses, 7 rounds
    .venv/bin/python bench/feedback_report.py --services 1  # all 100,000 in the measured service
    .venv/bin/python bench/feedback_report.py --responses 20000 --rounds 5

1. Builds its own SQLite database in a temporary directory with the migrations (`flask db upgrade`
   inside `create_app`), then inserts with SQLAlchemy core bulk inserts (executemany): 3 services
   (two with feedback, one without), an admin, 1,000 young people with pathways, one meeting per
   request, 110,000 rating requests of which 100,000 are answered (5 scale answers each, 500,000
   answer rows; a free text on 1 in 20, half of those allowed to be quoted), spread over the last
   12 months and the two services (`--services 1`: all in the first).
2. Logs in as the admin through the login form (a real POST with the CSRF token) and renders, with
   Flask's test client: the report of the first service for the last 12 months (50,000 responses,
   the default period) and its CSV, `--rounds` times each after one warm-up, and the same report
   over the service without feedback (the baseline: same page, same queries, nothing to count) and
   the accessibility page (the app's cheapest page).
3. Prints per page the median and worst wall time and the SQL statements per request; then one
   request with the process's peak RSS reset just before it (Linux `/proc/self/clear_refs`), so that
   ru_maxrss afterwards is that request's peak (RSS before → peak), and one under tracemalloc
   (Python's allocations: the peak during the request). Last the ratio of the report's median to
   the baseline's.

No ANALYZE (the app never runs it). The temporary directory is removed at the end.
"""
import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PASSWORD = "bench-passord-lang-nok"  # noqa: S105 - a throwaway database
ADMIN = "admin@bench.test"
PATHWAYS = 1000
RATING_KEYS = ("listened", "mattered", "understood", "next", "overall")


def build(app, responses: int, services_with_feedback: int = 2, seed: int = 2026) -> dict:
    """Fill the empty database; returns the ids the measurements need."""
    from sqlalchemy import func, insert, select

    from accounts.models import Role, Service, ServiceKind, User, YoungPerson, professional_services
    from accounts.passwords import hash_password
    from core.extensions import db
    from feedback.models import (
        FeedbackAnswer, FeedbackItem, FeedbackRequest, FeedbackResponse, QuestionSet, QuestionSetVersion,
    )
    from feedback.report_services import default_period, month_from_index, month_index
    from pathways.models import Meeting, Pathway

    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    first, last = default_period()
    months = [month_from_index(i) for i in range(month_index(first), month_index(last) + 1)]
    with app.app_context():
        password_hash = hash_password(PASSWORD)
        services = [{"id": 1, "name": "BUP Bench", "kind": ServiceKind.BUP, "municipality": "Molde"},
                    {"id": 2, "name": "PPT Bench", "kind": ServiceKind.PPT, "municipality": "Averøy"},
                    {"id": 3, "name": "Helsestasjon utan svar", "kind": ServiceKind.SCHOOL_HEALTH,
                     "municipality": "Aukra"}]
        users = [{"id": 1, "role": Role.ADMIN, "email": ADMIN, "username": None, "name": "Admin",
                  "password_hash": password_hash, "locale": "nn", "active": True, "created_at": now},
                 {"id": 2, "role": Role.PROFESSIONAL, "email": "kari@bench.test", "username": None,
                  "name": "Kari Bench", "password_hash": password_hash, "locale": "nb", "active": True,
                  "created_at": now}]
        links = [{"user_id": 2, "service_id": 1}]
        people, pathways = [], []
        for i in range(PATHWAYS):
            uid = 3 + i
            users.append({"id": uid, "role": Role.YOUNG_PERSON, "email": None, "username": f"ung{i:04d}",
                          "name": f"Ung {i}", "password_hash": password_hash, "locale": "nn", "active": True,
                          "created_at": now})
            people.append({"id": i + 1, "name": f"Ung {i}", "birth_date": date(2011, 1, 1) + timedelta(days=i),
                           "user_id": uid, "created_at": now})
            pathways.append({"id": i + 1, "young_person_id": i + 1, "title": "Bench", "coordinator_id": 2,
                             "created_at": now - timedelta(days=400)})
        for table, rows in [(Service.__table__, services), (User.__table__, users),
                            (professional_services, links), (YoungPerson.__table__, people),
                            (Pathway.__table__, pathways)]:
            db.session.execute(insert(table), rows)
        db.session.commit()

        set_id = db.session.scalar(select(QuestionSet.id).where(QuestionSet.key == "meeting"))
        version_id = db.session.scalar(select(func.max(QuestionSetVersion.id)).where(QuestionSetVersion.set_id == set_id))
        items = dict(db.session.execute(select(FeedbackItem.key, FeedbackItem.id)
                                        .where(FeedbackItem.version_id == version_id)).all())
        unanswered = responses // 10
        total = responses + unanswered
        chunk = 20_000
        response_id = 0
        for start in range(0, total, chunk):
            meetings, requests, answers_rows, response_rows = [], [], [], []
            for n in range(start, min(start + chunk, total)):
                month = months[n % len(months)]
                pathway = n % PATHWAYS + 1
                starts = datetime(int(month[:4]), int(month[5:7]), 1 + n % 27, 10, tzinfo=timezone.utc)
                meetings.append({"id": n + 1, "pathway_id": pathway, "kind": "care_team", "starts_at": starts,
                                 "ends_at": starts + timedelta(hours=1), "place": "Møterom", "video": False,
                                 "purpose": "Korleis går det?", "young_person_invited": True,
                                 "parents_invited": True, "held_at": starts + timedelta(hours=1),
                                 "created_by_id": 2, "created_at": starts - timedelta(days=14)})
                requests.append({"id": n + 1, "reason": "meeting", "set_id": set_id, "pathway_id": pathway,
                                 "user_id": pathway + 2, "meeting_id": n + 1, "service_id": 1 + (n // len(months)) % services_with_feedback,
                                 "created_at": starts + timedelta(hours=1), "month": month,
                                 "closes_at": starts + timedelta(days=14)})
                if n >= responses:
                    continue
                response_id += 1
                text = rng.random() < 0.05
                response_rows.append({"id": response_id, "request_id": n + 1, "version_id": version_id,
                                      "sharing": "anonymous" if rng.random() < 0.3 else "team",
                                      "quote_allowed": text and rng.random() < 0.5,
                                      "submitted_at": starts + timedelta(hours=3),
                                      "updated_at": starts + timedelta(hours=3)})
                mood = rng.choice((2, 3, 4, 4, 5))
                for key in RATING_KEYS:
                    value = min(5, max(1, mood + rng.choice((-1, 0, 0, 1))))
                    answers_rows.append({"response_id": response_id, "item_id": items[key], "value": value,
                                         "text": None})
                if text:
                    answers_rows.append({"response_id": response_id, "item_id": items["better"], "value": None,
                                         "text": rng.choice(["Kortare møte", "Meir tid til å snakke",
                                                             "Eg ville vore med heile møtet"])})
            for table, rows in [(Meeting.__table__, meetings), (FeedbackRequest.__table__, requests),
                                (FeedbackResponse.__table__, response_rows), (FeedbackAnswer.__table__, answers_rows)]:
                if rows:  # the last chunks hold only unanswered requests
                    db.session.execute(insert(table), rows)
            db.session.commit()
        counts = {
            "requests": db.session.scalar(select(func.count()).select_from(FeedbackRequest)),
            "responses": db.session.scalar(select(func.count()).select_from(FeedbackResponse)),
            "answers": db.session.scalar(select(func.count()).select_from(FeedbackAnswer)),
            "service 1 responses": db.session.scalar(
                select(func.count()).select_from(FeedbackResponse).join(FeedbackRequest)
                .where(FeedbackRequest.service_id == 1, FeedbackRequest.month >= first,
                       FeedbackRequest.month <= last)),
        }
    return {"counts": counts, "period": (first, last)}


def login(app):
    import re

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf_token": token, "login": ADMIN, "password": PASSWORD})
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--services", type=int, choices=(1, 2), default=2,
                        help="spread the responses over 2 services (the report reads half), or put all in 1")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT)]
    with tempfile.TemporaryDirectory(prefix="stemme-bench-feedback-") as tmp:
        database = Path(tmp) / "feedback.sqlite3"
        os.environ.update(STEMME_ENV="production", SECRET_KEY="bench-feedback-" + "x" * 50,
                          DATABASE_URL=f"sqlite:///{database}")
        from flask_migrate import upgrade

        from app import create_app
        from core.extensions import db

        # Not Secure: the test client sends cookies like a browser would, so over http it would drop them.
        app = create_app({"SESSION_COOKIE_SECURE": False})
        app.instance_path = tmp
        started = time.perf_counter()
        with app.app_context():
            upgrade()
        built = build(app, args.responses, args.services)
        print(f"database: {built['counts']} in {time.perf_counter() - started:.1f} s "
              f"({database.stat().st_size / 1e6:.0f} MB)")
        first, last = built["period"]
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

        query = f"?set=meeting&from={first}&to={last}"
        pages = [
            ("accessibility page", "/accessibility", page_ok),
            ("report, service without feedback (baseline)", f"/feedback/services/3/report{query}", page_ok),
            (f"report, {built['counts']['service 1 responses']:,} responses", f"/feedback/services/1/report{query}",
             report_ok),
            ("CSV of the same", f"/feedback/services/1/report.csv{query}", csv_ok),
        ]
        results = {}
        print(f"{'page':<48} {'median':>9} {'worst':>9} {'SQL':>4} {'bytes':>8} {'py peak':>9} {'RSS→peak':>14}")
        for name, url, check in pages:
            r = results[name] = measure(app, client, url, args.rounds, check)
            print(f"{name:<48} {r['median'] * 1000:>7.1f}ms {r['worst'] * 1000:>7.1f}ms {r['sql']:>4} "
                  f"{r['bytes']:>8,} {r['traced_peak'] / 1e6:>7.2f}MB "
                  f"{r['rss_before'] / 1024:>6.0f}→{r['rss_after'] / 1024:.0f}MB")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        report = results[pages[2][0]]["median"]
        baseline = results[pages[1][0]]["median"]
        print(f"bench-feedback: report {report * 1000:.1f} ms median over "
              f"{built['counts']['service 1 responses']:,} responses ({built['counts']['responses']:,} stored); "
              f"baseline {baseline * 1000:.1f} ms; ratio {report / baseline:.1f}; "
              f"peak RSS {results[pages[2][0]]['rss_after'] / 1024:.0f} MB "
              f"(baseline {results[pages[1][0]]['rss_after'] / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
