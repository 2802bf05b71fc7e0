"""Where a request's time goes, in-process (Flask's test client, no gunicorn, no wrk).

    .venv/bin/python bench/profile_pages.py            # after `make bench` (uses bench/out/bench.sqlite3)
    .venv/bin/python bench/profile_pages.py --top /me  # and a cProfile listing of one page

For each page: CPU milliseconds per request (best of 5 rounds of 100), Python function calls per
request and SQL statements per request. Function calls do not depend on what else the machine is
doing, so they compare pages and code changes even on a busy machine. Also measured: two "floors"
(an empty route, and base.html with an empty content block, added to the app for this script only)
that show what any Stemme page costs before its own queries and template.
"""
import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATABASE = BENCH / "out" / "bench.sqlite3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", metavar="PAGE", help="print the cProfile listing of this page (e.g. /me)")
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime, ...")
    args = parser.parse_args()
    if not DATABASE.exists():
        sys.exit(f"{DATABASE} is missing: run `make bench` first")
    sys.path[:0] = [str(ROOT)]
    os.environ.update(STEMME_ENV="production", SECRET_KEY="profile-" + "x" * 56,
                      DATABASE_URL=f"sqlite:///{DATABASE}")

    from flask import render_template
    from sqlalchemy import event

    from app import create_app
    from bench.bare import create_app as create_bare
    from core.extensions import db

    # Not Secure: the test client sends cookies like a browser would, so over http it would drop them.
    app = create_app({"SESSION_COOKIE_SECURE": False})
    layout = app.jinja_env.from_string('{% extends "base.html" %}{% block content %}<p>.</p>{% endblock %}')
    app.add_url_rule("/_bench/empty", "_bench_empty", lambda: "ok")
    app.add_url_rule("/_bench/layout", "_bench_layout", lambda: render_template(layout))
    statements = []

    def count_statement(*args):
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
        pathway_id = db.session.execute(db.text(
            "SELECT pathways.id FROM pathways JOIN young_people ON young_people.id = pathways.young_person_id"
            " JOIN users ON users.id = young_people.user_id WHERE users.username = 'ola'")).scalar_one()
        meeting_id = db.session.execute(db.text(
            "SELECT id FROM meetings WHERE pathway_id = :p AND kind = 'care_team'"), {"p": pathway_id}).scalar_one()

    def client(login):
        c = app.test_client()
        page = c.get("/login").data.decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        answer = c.post("/login", data={"csrf_token": token, "login": login, "password": "demo-passord", "next": ""})
        assert answer.status_code == 303, f"login as {login}: {answer.status_code}"
        if answer.headers["Location"] == "/login/code":  # a professional: the code from the demo's app
            import pyotp

            from demo import DEMO_TOTP_SECRETS

            answer = c.post("/login/code", data={"csrf_token": token, "code": pyotp.TOTP(DEMO_TOTP_SECRETS[login]).now()})
            assert answer.status_code == 303, f"code for {login}: {answer.status_code}"
        return c

    ola, kari, anonymous = client("ola"), client("kari@bup.demo"), app.test_client()
    bare = create_bare().test_client()
    pages = [
        ("bare", bare, "/"),
        ("floor: empty route, anonymous", anonymous, "/_bench/empty"),
        ("floor: empty route, logged in", ola, "/_bench/empty"),
        ("floor: base.html, logged in", ola, "/_bench/layout"),
        ("/login", anonymous, "/login"),
        ("/me", ola, "/me"),
        ("/pathways/", kari, "/pathways/"),
        (f"/pathways/{pathway_id}", kari, f"/pathways/{pathway_id}"),
        (f"/pathways/{pathway_id}/meetings/{meeting_id}", kari, f"/pathways/{pathway_id}/meetings/{meeting_id}"),
    ]
    print(f"{'page':32s} {'ms/req':>7s} {'calls/req':>10s} {'SQL/req':>8s} {'bytes':>7s}")
    results, listing = [], None
    for name, c, path in pages:
        answer = c.get(path)
        assert answer.status_code == 200 and b'action="/login"' not in answer.data or path == "/login", name
        for _ in range(30):
            c.get(path)
        rounds = []
        for _ in range(5):
            start = time.process_time()
            for _ in range(100):
                c.get(path)
            rounds.append((time.process_time() - start) * 10)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(20):
            c.get(path)
        profile.disable()
        calls = pstats.Stats(profile).total_calls / 20
        results.append((name, min(rounds), calls, len(answer.data)))
        if args.top and args.top in (name, path):
            listing = profile
    # SQL statements counted apart: an event listener makes every statement a little dearer.
    event.listen(engine, "before_cursor_execute", count_statement)
    for (name, ms, calls, size), (_, c, path) in zip(results, pages):
        statements.clear()
        for _ in range(10):
            c.get(path)
        print(f"{name:32s} {ms:7.2f} {calls:10.0f} {len(statements) / 10:8.1f} {size:7d}")
    if listing:
        pstats.Stats(listing).sort_stats(args.sort).print_stats(args.rows)


if __name__ == "__main__":
    main()
