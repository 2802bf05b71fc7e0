"""`make bench`: every page the demo's people reach by following links, under load, on SQLite and PostgreSQL.

    .venv/bin/python bench/run.py                      # both databases (what `make bench` runs)
    .venv/bin/python bench/run.py --db sqlite          # one database only
    .venv/bin/python bench/run.py --only pathways      # only pages whose person, path or route contains it
    .venv/bin/python bench/run.py --reuse-db           # keep the database of the last run (no seeding)

Per database:
1. Builds the database from nothing: SQLite in bench/out/bench.sqlite3, PostgreSQL in its own database
   `stemme_bench` on 127.0.0.1:5432 (dropped and made again); migrations, demo data, then the generated
   volume of bench/seed.py.
2. Serves Stemme (production settings) and bench/bare.py with the same gunicorn command.
3. Logs in as ola, mor.ola, kari@bup.demo and admin@stemme.demo through the real form, follows the
   redirect home and keeps the cookie it sets, as a browser does.
4. Crawls from each person's home page (and, logged out, from /login) along same-origin <a href> GET
   links; each (person, Flask endpoint) is measured once, at the first URL found for it. Non-200
   answers are findings. The first load (HTML, CSS, JS, images as transferred) is measured on the way.
5. Counts the SQL statements of one GET of each page in-process (create_app on the same database).
6. Loads the bare page, every page and a statement's autosave with wrk (warm-up, then a timed run).
7. Prints one line per page, a summary, a line per missed target and last `bench: ...`; writes
   bench/out/results-<db>.json. Exit status 1 if a target is missed, a page failed or a link answered
   4xx/5xx; 2 if nothing could be measured.

Standard library and the project's own dependencies only; the load generator is Debian's wrk.
"""
import argparse
import gzip
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
VENV_BIN = ROOT / ".venv" / "bin"
BIN = VENV_BIN if (VENV_BIN / "gunicorn").exists() else Path(sys.executable).parent

SQLITE_FILE = OUT / "bench.sqlite3"
PG_DATABASE = "stemme_bench"  # never `test`: the test suite empties that one
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
DATABASES = {
    # Sync workers. SQLite: one per core. PostgreSQL: a request waits on the server's answers, and the
    # server runs on the same two cores, so two workers per core keep the cores busy.
    "sqlite": {"label": "SQLite", "workers": 2, "url": "sqlite:///" + str(SQLITE_FILE)},
    "postgresql": {"label": "PostgreSQL", "workers": 4,
                   "url": f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DATABASE}"},
}
PERSONS = [("ola", "ola"), ("mor.ola", "mor.ola"), ("kari", "kari@bup.demo"), ("admin", "admin@stemme.demo")]
ANONYMOUS = "anonymous"
DEMO_PASSWORD = "demo-passord"  # noqa: S105 - the demo data's password

WRK_THREADS, WRK_CONNECTIONS = 2, 16
WRK_TIMEOUT = 30  # seconds
WARMUP_SECONDS, RUN_SECONDS = 1, 5
# Flask-Login's session protection ties the session to the User-Agent: urllib and wrk send the
# same one, so that every request is the same logged-in session.
USER_AGENT = "stemme-bench/2"
ACCEPT_ENCODING = "gzip, br"

# Targets (issue 15). Ratios are of the bare page's requests per second on the same database kind.
TARGET_SQLITE_MIN_RATIO = 0.1
TARGET_SQLITE_MEDIAN_RATIO = 0.2
TARGET_SQLITE_P95_MS = 50.0
TARGET_PG_P95_MS = 100.0
TARGET_MAX_SQL = 15
TARGET_AUTOSAVE_RATIO = 0.2  # SQLite, both ways of measuring the autosave

NOISY_SHARE = 0.15  # other processes' share of the CPU during a run above which we warn
QUIET_WAIT_SECONDS = 30  # how long to wait for a quiet machine before measuring anyway
CLK_TCK = os.sysconf("SC_CLK_TCK")
SKIP_PATHS = {"/logout"}
FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,6}$")
HIGHEST_REVISION = 2**31 - 1

GET_SCRIPT = r"""
-- Counts non-2xx answers across threads and prints one JSON line at the end.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0; notsaved = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
"""
SAME_TEXT_SCRIPT = r"""
-- The autosave with the text as stored: htmx POSTs the statement form, the same body every time.
-- Counts non-2xx answers and answers that say "not saved" (X-Autosave: not-saved).
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0; notsaved = 0 end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["HX-Request"] = "true"
wrk.body = "%(body)s"
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if headers["X-Autosave"] ~= nil or headers["x-autosave"] ~= nil then notsaved = notsaved + 1 end
end
"""
NEW_TEXT_SCRIPT = r"""
-- The autosave of a new text: each thread (one connection each) is one young person saving their
-- own statement, a new text every time ("<text> (<n>)").
local writers = {%(writers)s}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("n", #threads)
end
function init(args)
  non2xx = 0; notsaved = 0; counter = 0
  local w = writers[n]
  path, fixed, text = w[1], w[3], w[4]
  headers = {["Cookie"] = w[2], ["User-Agent"] = "%(agent)s", ["HX-Request"] = "true",
             ["Content-Type"] = "application/x-www-form-urlencoded"}
end
function request()
  counter = counter + 1
  return wrk.format("POST", path, headers, fixed .. "&text=" .. text .. "+%%28" .. counter .. "%%29")
end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if headers["X-Autosave"] ~= nil or headers["x-autosave"] ~= nil then notsaved = notsaved + 1 end
end
"""
DONE = r"""
function done(summary, latency, requests)
  local bad, unsaved = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non2xx") or 0)
    unsaved = unsaved + (t:get("notsaved") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"non2xx": %d, "notsaved": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), bad, unsaved, e.connect, e.read, e.write, e.timeout, e.status))
end
"""


class BenchError(RuntimeError):
    """The harness could not measure: a broken setup, a wrong page, errors under load."""


def say(message: str = "") -> None:
    print(message, flush=True)


# --- wrk --------------------------------------------------------------------------------------

def ensure_wrk() -> str:
    found = shutil.which("wrk") or ("/usr/bin/wrk" if os.access("/usr/bin/wrk", os.X_OK) else None)
    if found:
        return found
    say("wrk is missing; installing it with apt-get install -y wrk")
    command = ["apt-get", "install", "-y", "wrk"]
    if os.geteuid() != 0 and shutil.which("sudo"):
        command = ["sudo", "-n", *command]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BenchError(f"wrk is not installed and `apt-get install -y wrk` could not run ({error}); "
                         "install wrk (Debian package `wrk`) and run `make bench` again") from error
    found = shutil.which("wrk")
    if done.returncode != 0 or not found:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BenchError("wrk is not installed and `apt-get install -y wrk` failed"
                         f" (exit {done.returncode}: {' / '.join(tail)}); install the Debian package `wrk`"
                         " as root and run `make bench` again")
    return found


def run_wrk(wrk: str, script: Path, url: str, headers: list[str], seconds: int, threads: int = WRK_THREADS,
            require: bool = True) -> dict:
    """One wrk run; `require`: no answers at all is a failure too (not so for a warm-up)."""
    # A long timeout: wrk's 2 s default would leave the slowest pages' answers out of the latencies.
    command = [wrk, f"-t{threads}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", f"--timeout={WRK_TIMEOUT}s", "--latency",
               "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    command.append(url)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + WRK_TIMEOUT + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {url} (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["output"] = done.stdout
    socket_errors = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    if result["non2xx"] or result["notsaved"] or socket_errors or (require and result["requests"] == 0):
        raise BenchError(f"{result['non2xx']} non-2xx answers, {result['notsaved']} 'not saved', {socket_errors} "
                         f"socket errors (connect {result['connect']}, read {result['read']}, write "
                         f"{result['write']}, timeout {result['timeout']}) in {result['requests']} requests; "
                         "not a figure")
    return result


# --- HTTP with urllib ---------------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# No proxies (127.0.0.1 must not go through $http_proxy) and no redirects: we want to see them.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def fetch(url: str, *, data: bytes | None = None, cookie: str | None = None, timeout: float = 30,
          compressed: bool = False, headers: dict | None = None):
    """GET (or POST `data`); return (status, headers, body as transferred) without following redirects."""
    sent = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING if compressed else "identity"}
    if cookie:
        sent["Cookie"] = cookie
    if data is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=sent | (headers or {}))
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def decoded(headers, body: bytes) -> bytes | None:
    """The body without its Content-Encoding; None for br without the brotli module."""
    encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding in ("identity", ""):
        return body
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        try:
            import brotli  # not a dependency: only if the app ever sends br
        except ImportError:
            return None
        return brotli.decompress(body)
    return None


def set_cookies(headers, jar: dict[str, str]) -> None:
    """Apply Set-Cookie headers to `jar` by hand.

    In production the session cookie is Secure, so http.cookiejar would never send it over
    plain http; the benchmark stands in for a TLS-terminating proxy and sends it anyway.
    """
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        expired = re.search(r";\s*(max-age=0|expires=thu, 01 jan 1970)", header, re.IGNORECASE)
        if value and not expired:
            jar[name.strip()] = value
        else:
            jar.pop(name.strip(), None)


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


class FormFields(HTMLParser):
    """The fields a browser would send with the form whose action is `action`."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif not self.inside or not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            if kind not in ("submit", "button"):
                self.fields[attrs["name"]] = attrs.get("value") or ("on" if kind == "checkbox" else "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            if self._textarea:  # browsers drop the newline that opens a textarea
                value = self.fields[self._textarea]
                self.fields[self._textarea] = value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
            self._textarea = None


def form_fields(html: str, action: str) -> dict:
    parser = FormFields(action)
    parser.feed(html)
    return parser.fields


def login(base: str, username: str, password: str) -> tuple[str, str]:
    """Log in through the real form; return the Cookie header value and the home page's path."""
    jar: dict[str, str] = {}
    status, headers, body = fetch(base + "/login")
    if status != 200:
        raise BenchError(f"GET /login answered {status}")
    set_cookies(headers, jar)
    fields = form_fields(body.decode(), "/login")
    if not fields.get("csrf_token"):
        raise BenchError("no csrf_token input in the login form")
    if "stemme_session" not in jar:
        raise BenchError("GET /login set no stemme_session cookie")
    fields |= {"login": username, "password": password}
    status, headers, body = fetch(base + "/login", data=urllib.parse.urlencode(fields).encode(),
                                  cookie=cookie_header(jar))
    if status != 303:
        raise BenchError(f"logging in as {username} answered {status}, not 303")
    before = jar.get("stemme_session")
    set_cookies(headers, jar)
    if jar.get("stemme_session") in (None, before):
        raise BenchError(f"logging in as {username} set no new stemme_session cookie")
    if urllib.parse.urlsplit(headers.get("Location") or "").path == "/login/code":  # professionals, admins
        _, _, body = fetch(base + "/login/code", cookie=cookie_header(jar))
        fields = form_fields(body.decode(), "/login/code") | {"code": one_time_code(username)}
        status, headers, body = fetch(base + "/login/code", data=urllib.parse.urlencode(fields).encode(),
                                      cookie=cookie_header(jar))
        if status != 303:
            raise BenchError(f"the code from the app for {username} answered {status}, not 303")
        set_cookies(headers, jar)
    # Then as a browser does: follow the redirect to the home page and keep the cookie it sets (the
    # new session's CSRF token). Without this every timed request would carry a session without a
    # token, and every answer would make one and send a new cookie, which no browser causes.
    home = urllib.parse.urlsplit(urllib.parse.urljoin(base + "/", headers.get("Location") or "/")).path
    status, headers, body = fetch(base + home, cookie=cookie_header(jar))
    if status != 200:
        raise BenchError(f"after logging in as {username}, {home} answered {status}")
    set_cookies(headers, jar)
    return cookie_header(jar), home


_code_steps: dict[str, int] = {}


def one_time_code(login_name: str) -> str:
    """The code a demo professional's or admin's app shows now (the demo's keys are on its login
    page: demo.DEMO_TOTP_SECRETS); each 30-second step is accepted once, so a second login of the
    same person within it uses the next step's code."""
    import pyotp

    from demo import DEMO_TOTP_SECRETS

    now = int(time.time()) // 30
    step = max(now, _code_steps.get(login_name, -1) + 1)
    if step > now + 1:
        time.sleep(30 - time.time() % 30 + 0.1)
        step = int(time.time()) // 30
    _code_steps[login_name] = step
    return pyotp.TOTP(DEMO_TOTP_SECRETS[login_name]).at(step * 30)


# --- crawling and the first load ----------------------------------------------------------------

class PageLinks(HTMLParser):
    """<a href> links, and the stylesheets, scripts, icons and images a page loads."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "link" and attrs.get("href") and ("stylesheet" in rel or "icon" in rel):
            self.assets.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.assets.append(attrs["src"])


CSS_URL = re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)|url\(\s*["']?([^"')]+)["']?\s*\)""")


@dataclass
class Page:
    person: str
    path: str  # with its query string, as found
    endpoint: str
    rule: str  # the route, e.g. /pathways/<pathway_id>
    found_on: str
    html_bytes: int = 0
    first_load: int = 0  # bytes as transferred: HTML and what it loads
    first_load_gzip: int | None = 0  # the same, each gzipped at level 6 (None: could not decode)
    sql: int | None = None
    sql_status: int | None = None
    load: dict | None = None
    failure: str | None = None


@dataclass
class Finding:
    person: str
    path: str
    status: int | str
    found_on: str
    detail: str = ""

    @property
    def error(self) -> bool:
        return not (isinstance(self.status, int) and 300 <= self.status < 400)


class Crawler:
    """Follows same-origin <a href> GET links; one page per (person, Flask endpoint)."""

    def __init__(self, base: str, url_map):
        self.base = base
        self.origin = urllib.parse.urlsplit(base)[:2]
        self.adapter = url_map.bind("127.0.0.1")
        self.rules = {rule.endpoint: re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"<\1>", rule.rule)
                      for rule in url_map.iter_rules()}
        self.assets: dict[str, tuple[int, int | None]] = {}
        self.asset_refs: dict[str, list[str]] = {}
        self.findings: list[Finding] = []
        self.files: list[str] = []  # links to downloads (not HTML): listed, not measured

    def endpoint(self, path: str) -> str | None:
        try:
            endpoint, _ = self.adapter.match(urllib.parse.urlsplit(path).path, method="GET")
            return endpoint
        except Exception:  # NotFound, MethodNotAllowed, RequestRedirect: no GET route for it
            return None

    def local(self, page_url: str, href: str) -> str | None:
        """The path (and query) of a link to follow, or None."""
        url = urllib.parse.urljoin(page_url, href.strip())
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or parts[:2] != self.origin:
            return None  # another host, mailto:, tel:, javascript:
        path = parts.path or "/"
        if path in SKIP_PATHS or path.startswith("/static/") or FILE_EXTENSION.search(path):
            return None
        return path + (f"?{parts.query}" if parts.query else "")

    def crawl(self, person: str, cookie: str | None, start: list[str], login_page_ok: bool = False) -> list[Page]:
        pages: list[Page] = []
        seen: set[str] = set()
        queue = deque((path, "(start)") for path in start)
        while queue:
            path, found_on = queue.popleft()
            endpoint = self.endpoint(path)
            key = endpoint or path
            if key in seen:
                continue
            seen.add(key)
            status, headers, raw = fetch(self.base + path, cookie=cookie, compressed=True)
            if 300 <= status < 400:
                location = self.local(self.base + path, headers.get("Location") or "")
                self.findings.append(Finding(person, path, status, found_on, f"to {headers.get('Location')}"))
                if location:
                    queue.appendleft((location, path))
                continue
            if status != 200:
                self.findings.append(Finding(person, path, status, found_on))
                continue
            if not (headers.get("Content-Type") or "").startswith("text/html"):
                self.files.append(f"{person} {path} ({headers.get('Content-Type')})")  # a download, e.g. a PDF
                continue
            html = decoded(headers, raw)
            if html is None:
                raise BenchError(f"{path} came with Content-Encoding {headers.get('Content-Encoding')}, "
                                 "which the harness cannot decode")
            if not login_page_ok and b'action="/login"' in html:
                raise BenchError(f"GET {path} as {person} showed the login form: the session was not accepted")
            if endpoint is None:
                self.findings.append(Finding(person, path, status, found_on, "200 but no GET route matches"))
                continue
            page = Page(person, path, endpoint, self.rules[endpoint], found_on, html_bytes=len(html))
            links = PageLinks()
            links.feed(html.decode("utf-8", "replace"))
            self.first_load(page, cookie, raw, html, links.assets)
            pages.append(page)
            for href in links.links:
                target = self.local(self.base + path, href)
                if target:
                    queue.append((target, path))
        return pages

    def first_load(self, page: Page, cookie: str | None, raw: bytes, html: bytes, assets: list[str]) -> None:
        """The page and everything it loads: bytes as transferred, and each part gzipped at level 6."""
        total, total_gzip = len(raw), len(gzip.compress(html, compresslevel=6))
        queue, seen = [(self.base + page.path, ref) for ref in assets], set()
        while queue:
            parent, ref = queue.pop(0)
            if ref.startswith("data:"):
                continue
            url = urllib.parse.urldefrag(urllib.parse.urljoin(parent, ref))[0]
            if urllib.parse.urlsplit(url)[:2] != self.origin:
                self.findings.append(Finding(page.person, page.path, "other host", page.path, f"loads {url}"))
                continue
            if url in seen:
                continue
            seen.add(url)
            if url not in self.assets:
                status, headers, body = fetch(url, cookie=cookie, compressed=True)
                if status != 200:
                    self.findings.append(Finding(page.person, urllib.parse.urlsplit(url).path, status, page.path,
                                                 "an asset"))
                    continue
                plain = decoded(headers, body)
                self.assets[url] = (len(body), None if plain is None else len(gzip.compress(plain, compresslevel=6)))
                if plain is not None and url.split("?")[0].endswith(".css"):  # what a stylesheet pulls in
                    self.asset_refs[url] = [m.group(1) or m.group(2)
                                            for m in CSS_URL.finditer(plain.decode("utf-8", "replace"))]
            size, size_gzip = self.assets[url]
            total += size
            total_gzip = None if size_gzip is None or total_gzip is None else total_gzip + size_gzip
            for ref in self.asset_refs.get(url, ()):
                queue.append((url, ref))
        page.first_load, page.first_load_gzip = total, total_gzip


# --- databases ----------------------------------------------------------------------------------

def clean_env() -> dict[str, str]:
    """The environment without anything that would change how the app or gunicorn runs."""
    drop = {"DATABASE_URL", "STEMME_ENV", "SECRET_KEY", "FLASK_DEBUG", "FLASK_APP", "GUNICORN_CMD_ARGS",
            "STEMME_PAGE_CACHE"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def import_project() -> None:
    for path in (str(BENCH), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)


def make_app(url: str, production: bool = True):
    """The project's app in this process, on the benchmark's database."""
    import_project()
    from app import create_app

    config = {"SQLALCHEMY_DATABASE_URI": url, "STEMME_ENV": "production" if production else "development",
              "SECRET_KEY": secrets.token_hex(32)}
    return create_app(config)


def pg_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER + " dbname=postgres", autocommit=True, connect_timeout=10) as connection:
        connection.execute(statement)


def database_exists(kind: str) -> bool:
    if kind == "sqlite":
        return SQLITE_FILE.exists()
    import psycopg

    try:
        with psycopg.connect(PG_SERVER + f" dbname={PG_DATABASE}", connect_timeout=10) as connection:
            return connection.execute("SELECT count(*) FROM access_log").fetchone()[0] > 0
    except psycopg.Error:
        return False


def build_database(kind: str, volume: dict) -> dict:
    """Drop and make the database, migrate, load the demo, add the generated volume."""
    url = DATABASES[kind]["url"]
    if kind == "sqlite":
        for leftover in OUT.glob("bench.sqlite3*"):  # the database and its WAL files
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    else:
        assert PG_DATABASE != "test"
        try:
            pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            pg_admin(f"CREATE DATABASE {PG_DATABASE}")
        except Exception as error:
            raise BenchError(f"PostgreSQL on 127.0.0.1:5432 (user postgres): {error}") from error
    env = clean_env() | {"DATABASE_URL": url, "STEMME_ENV": "development"}
    for command in (["db", "upgrade"], ["demo-data"]):
        done = subprocess.run([str(BIN / "flask"), "--app", "app", *command], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise BenchError(f"flask {' '.join(command)} failed:\n{done.stderr.strip()}")
    import_project()
    from seed import add_volume

    app = make_app(url, production=False)
    try:
        with app.app_context():
            from core.extensions import db

            try:
                return add_volume(**volume)
            finally:
                db.session.remove()
                db.engine.dispose()
    except BenchError:
        raise
    except Exception as error:  # the models changed under the generator, most likely
        raise BenchError(f"generating the volume failed: {type(error).__name__}: {error}") from error


def ola_statement(app) -> int:
    """Ola's first statement: the one the autosave saves."""
    from sqlalchemy import text

    from core.extensions import db

    with app.app_context():
        found = db.session.execute(text(
            "SELECT statements.id FROM statements JOIN users ON users.id = statements.author_id"
            " WHERE users.username = 'ola' AND statements.removed_at IS NULL ORDER BY statements.id")).scalar()
        db.session.remove()
    if found is None:
        raise BenchError("Ola has no statement to autosave")
    return found


def long_pathway(app) -> int | None:
    """kari's pathway with five years of history (bench/seed.py): her oldest open pathway."""
    from sqlalchemy import text

    from core.extensions import db

    with app.app_context():
        found = db.session.execute(text(
            "SELECT pathways.id FROM pathways JOIN users ON users.id = pathways.coordinator_id"
            " WHERE users.email = 'kari@bup.demo' AND pathways.closed_at IS NULL"
            " ORDER BY pathways.created_at, pathways.id")).scalar()
        db.session.remove()
    return found


def pg_backends() -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database (their CPU is the app's)."""
    import psycopg

    try:
        with psycopg.connect(PG_SERVER + " dbname=postgres", connect_timeout=5) as connection:
            rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s",
                                      (PG_DATABASE,)).fetchall()
        return [row[0] for row in rows]
    except psycopg.Error:
        return []


# --- SQL statements per request, in-process -----------------------------------------------------

def count_sql(app, pages: list[Page], autosave: "Autosave | None") -> None:
    """One GET of each page (after one warm-up GET) in-process, counting what reaches the database."""
    from sqlalchemy import event

    from core.extensions import db

    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def client(login_name: str | None):
        c = app.test_client()
        c.environ_base["HTTP_USER_AGENT"] = USER_AGENT
        if login_name is None:
            return c
        page = c.get("/login")
        fields = form_fields(page.data.decode(), "/login") | {"login": login_name, "password": DEMO_PASSWORD}
        answer = c.post("/login", data=fields)
        if answer.status_code != 303:
            raise BenchError(f"in-process login as {login_name} answered {answer.status_code}")
        if answer.headers["Location"] == "/login/code":
            fields = form_fields(c.get("/login/code").data.decode(), "/login/code")
            answer = c.post("/login/code", data=fields | {"code": one_time_code(login_name)})
            if answer.status_code != 303:
                raise BenchError(f"in-process code as {login_name} answered {answer.status_code}")
        c.get(urllib.parse.urlsplit(answer.headers["Location"]).path)  # home: the session's CSRF token
        return c

    logins = dict(PERSONS) | {ANONYMOUS: None}
    clients = {}
    event.listen(engine, "before_cursor_execute", count)
    try:
        for page in pages:
            if page.person not in clients:
                clients[page.person] = client(logins[page.person])
            c = clients[page.person]
            c.get(page.path)
            statements.clear()
            answer = c.get(page.path)
            page.sql, page.sql_status = len(statements), answer.status_code
        if autosave is not None:
            c = clients.get("ola") or client("ola")
            for mode in autosave.modes:
                edit = c.get(autosave.path).data.decode()
                c.post(autosave.path, data=mode.fields(form_fields(edit, autosave.path), "warm-up"),
                       headers={"HX-Request": "true"})
                fields = mode.fields(form_fields(c.get(autosave.path).data.decode(), autosave.path), "counted")
                statements.clear()
                answer = c.post(autosave.path, data=fields, headers={"HX-Request": "true"})
                mode.sql, mode.sql_status = len(statements), answer.status_code
                if answer.status_code != 200 or "X-Autosave" in answer.headers:
                    mode.failure = (f"in-process autosave answered {answer.status_code}"
                                    f" {answer.headers.get('X-Autosave')}")
                if mode.changing:  # Ola's text as it was, for the pages measured next (a new version)
                    fields["text"] = base_text(fields["text"])
                    c.post(autosave.path, data=fields, headers={"HX-Request": "true"})
    finally:
        event.remove(engine, "before_cursor_execute", count)
        with app.app_context():
            db.session.remove()
            engine.dispose()


# --- the autosave -------------------------------------------------------------------------------

@dataclass
class AutosaveMode:
    """One way to measure the autosave (see bench/README.md)."""

    name: str
    changing: bool
    threads: int
    sql: int | None = None
    sql_status: int | None = None
    load: dict | None = None
    failure: str | None = None

    def fields(self, form: dict, suffix: str) -> dict:
        """What htmx posts: the form as the edit page shows it; `changing` makes the text new (the
        stored text without earlier suffixes, plus ` (suffix)`)."""
        if not form.get("csrf_token") or "text" not in form:
            raise BenchError(f"the statement form has no csrf_token or text: {sorted(form)}")
        form = dict(form)
        if self.changing:
            # A device that holds the newest revision: the server refuses only older revisions with
            # another text (youth/services.py), so this stores every new text as a device typing does.
            form["revision"] = str(HIGHEST_REVISION)
            form["text"] = f"{base_text(form['text'])} ({suffix})"
        return form


def base_text(text: str) -> str:
    return re.sub(r"( \([^()]*\))+$", "", text)[:900]


@dataclass
class Autosave:
    path: str  # Ola's statement: the in-process SQL count and the same-text run
    writers: list[tuple[str, str]] = field(default_factory=list)  # (cookie, path): the new-text run
    modes: list[AutosaveMode] = field(default_factory=lambda: [
        # Two saves of one statement at the same moment race (both read revision n, both write n+1):
        # one thread, one connection and one young person's statement each keeps them apart.
        AutosaveMode("autosave, new text", changing=True, threads=WRK_CONNECTIONS),
        AutosaveMode("autosave, same text", changing=False, threads=WRK_THREADS),
    ])


def lua_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def writers(app, base: str, count: int = WRK_CONNECTIONS) -> list[tuple[str, str]]:
    """`count` generated young people on open pathways, logged in, each with a statement of their own."""
    from sqlalchemy import text

    from core.extensions import db

    with app.app_context():
        rows = db.session.execute(text(
            "SELECT users.username, min(statements.id) FROM users"
            " JOIN statements ON statements.author_id = users.id AND statements.removed_at IS NULL"
            " JOIN pathways ON pathways.id = statements.pathway_id AND pathways.closed_at IS NULL"
            " WHERE users.role = 'young_person' AND users.username != 'ola' AND users.active"
            " GROUP BY users.id, users.username ORDER BY users.id LIMIT :n"), {"n": count}).all()
        db.session.remove()
    if len(rows) < count:
        raise BenchError(f"only {len(rows)} young people with a statement to autosave; {count} needed")
    return [(login(base, username, DEMO_PASSWORD)[0], f"/my/statements/{statement_id}")
            for username, statement_id in rows]


def checked_fields(server: "Server", path: str, cookie: str, mode: AutosaveMode) -> dict:
    """The form of the edit page, posted once with urllib: it must answer 200 and say it saved."""
    status, _, body = fetch(server.base + path, cookie=cookie)
    if status != 200:
        raise BenchError(f"GET {path} answered {status}")
    fields = mode.fields(form_fields(body.decode(), path), "check")
    status, headers, _ = fetch(server.base + path, data=urllib.parse.urlencode(fields).encode(),
                               cookie=cookie, headers={"HX-Request": "true"})
    if status != 200 or headers.get("X-Autosave"):
        raise BenchError(f"POST {path} (htmx) answered {status}, X-Autosave {headers.get('X-Autosave')}")
    return fields


def load_autosave(wrk: str, kind: str, server: "Server", autosave: Autosave, mode: AutosaveMode,
                  cookie: str, args) -> dict:
    """Check the autosave with urllib (200, saved), then load it with wrk."""
    if mode.failure:
        raise BenchError(mode.failure)
    tag = f"autosave-{'new' if mode.changing else 'same'}"
    script = OUT / f"{tag}.lua"
    if not mode.changing:
        fields = checked_fields(server, autosave.path, cookie, mode)
        script.write_text((SAME_TEXT_SCRIPT % {"body": lua_string(urllib.parse.urlencode(fields))}) + DONE)
        return load(wrk, kind, server, script, autosave.path, cookie, tag, args.warmup, args.seconds)
    entries = []
    for writer_cookie, path in autosave.writers:
        fields = checked_fields(server, path, writer_cookie, mode)
        text = base_text(fields.pop("text"))
        entries.append("{" + ", ".join(f'"{lua_string(v)}"' for v in (
            path, writer_cookie, urllib.parse.urlencode(fields), urllib.parse.quote_plus(text))) + "}")
    script.write_text((NEW_TEXT_SCRIPT % {"writers": ",\n  ".join(entries), "agent": USER_AGENT}) + DONE)
    return load(wrk, kind, server, script, autosave.writers[0][1], None, tag, args.warmup, args.seconds,
                threads=mode.threads)


# --- servers ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One gunicorn master with `workers` sync workers; the same command for Stemme and the bare app."""

    def __init__(self, name: str, target: str, env: dict[str, str], workers: int):
        self.name, self.target, self.env, self.workers = name, target, env, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = OUT / f"gunicorn-{name}.log"
        self.process = None

    def command(self) -> list[str]:
        return [str(BIN / "gunicorn"), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
                # No control socket: gunicorn 27 puts it at one path per user (~/.gunicorn/gunicorn.ctl),
                # which two masters, or anyone else's gunicorn, would fight over.
                "--no-control-socket", "--error-logfile", str(self.log), self.target]

    def start(self) -> None:
        self.log.write_text("")  # one run's log, not every run's
        self.process = subprocess.Popen(self.command(), cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn ({self.name}) exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                status, _, _ = fetch(self.base + path, timeout=2)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn ({self.name}) did not answer on {self.base} in {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-15:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn master: graceful shutdown of its workers
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: the master and its workers
            self.process.wait()


# --- how busy the machine is --------------------------------------------------------------------

def _system_ticks() -> tuple[int, int]:
    """(all, idle) clock ticks summed over the cores since boot."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:9]]  # guest time is inside user already
    return sum(values), values[3] + values[4]


def _process_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


def cpu_busy(seconds: float = 1.0) -> float:
    """Share of all cores busy over `seconds`; -1 where there is no /proc."""
    try:
        all0, idle0 = _system_ticks()
        time.sleep(seconds)
        all1, idle1 = _system_ticks()
    except OSError:
        return -1.0
    return 1 - (idle1 - idle0) / max(all1 - all0, 1)


def wait_quiet(limit: float = QUIET_WAIT_SECONDS) -> float:
    """Wait up to `limit` seconds for other processes to leave the CPU alone; return their last share."""
    deadline = time.monotonic() + limit
    busy = cpu_busy(2.0)
    if busy > NOISY_SHARE:
        say(f"  the CPU is {busy:.0%} busy with other processes; waiting up to {limit:.0f} s for it to calm down ...")
    while busy > NOISY_SHARE and time.monotonic() < deadline:
        busy = cpu_busy(2.0)
    return busy


class OthersCpu:
    """Share of all cores that processes other than wrk and the system under test (gunicorn, and on
    PostgreSQL the server processes serving the benchmark's database) used meanwhile."""

    def __init__(self, server: Server, extra_pids: list[int]):
        self.pids = [server.process.pid, *_children(server.process.pid), *extra_pids]
        self.share = -1.0

    def _sample(self):
        wrk = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once it has been waited for
        wrk_ticks = (wrk.ru_utime + wrk.ru_stime) * CLK_TCK
        return (*_system_ticks(), _process_ticks(self.pids) + wrk_ticks)

    def __enter__(self):
        try:
            self.start = self._sample()
        except OSError:
            self.start = None
        return self

    def __exit__(self, *exc):
        if self.start is None:
            return
        try:
            end = self._sample()
        except OSError:
            return
        all_ticks, idle, ours = (b - a for a, b in zip(self.start, end))
        self.share = max(0.0, (all_ticks - idle - ours) / max(all_ticks, 1))


# --- one database -------------------------------------------------------------------------------

def drain(server: Server) -> None:
    """Wait until the server has answered what it accepted before: wrk stops waiting when its time
    is up, but gunicorn still serves every request it has taken, with a slow page seconds of work.
    One more request, answered after those (the workers take connections in turn), keeps them out
    of the next run."""
    fetch(server.base + ("/" if server.name.startswith("bare") else "/accessibility"), timeout=WRK_TIMEOUT * 4)


def load(wrk: str, kind: str, server: Server, script: Path, path: str, cookie: str | None,
         tag: str, warmup: int, seconds: int, threads: int = WRK_THREADS) -> dict:
    headers = [f"User-Agent: {USER_AGENT}"] + ([f"Cookie: {cookie}"] if cookie else [])
    url = server.base + path
    drain(server)
    run_wrk(wrk, script, url, headers, warmup, threads, require=False)
    drain(server)
    with OthersCpu(server, pg_backends() if kind == "postgresql" else []) as others:
        result = run_wrk(wrk, script, url, headers, seconds, threads)
    result["others_cpu"] = others.share
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", tag).strip("-") or "root"
    (OUT / f"wrk-{kind}-{safe}.txt").write_text(result.pop("output"))
    return {k: result[k] for k in ("rps", "p50_us", "p95_us", "p99_us", "requests", "others_cpu")}


def selected(text: str, only: str | None) -> bool:
    return only is None or only.lower() in text.lower()


def run_database(kind: str, args, wrk: str) -> dict:
    spec = DATABASES[kind]
    label, workers, url = spec["label"], spec["workers"], spec["url"]
    result = {"database": kind, "label": label, "workers": workers, "volume": None, "seed_seconds": None,
              "pages": [], "autosave": [], "findings": [], "bare": {}, "only": args.only,
              "wrk": {"threads": WRK_THREADS, "connections": WRK_CONNECTIONS, "warmup_s": args.warmup,
                      "seconds": args.seconds}}
    started = time.monotonic()
    result["git"] = git_state()  # at the start: other people may commit while it runs
    say(f"\n== {label} ==")
    if args.reuse_db and database_exists(kind):
        say("  reusing the database of the last run (--reuse-db)")
    else:
        say(f"  building the database: migrations, demo data, generated volume {args.volume} ...")
        seeding = time.monotonic()
        result["volume"] = build_database(kind, args.volume)
        result["seed_seconds"] = round(time.monotonic() - seeding, 1)
        say(f"  seeded in {result['seed_seconds']:.0f} s: "
            + ", ".join(f"{table} {n:,}" for table, n in result["volume"].items()))

    app = make_app(url)
    env = clean_env() | {"DATABASE_URL": url, "STEMME_ENV": "production", "SECRET_KEY": secrets.token_hex(32)}
    stemme = Server(f"stemme-{kind}", "app:create_app()", env, workers)
    bare = Server(f"bare-{kind}", "bench.bare:create_app()", env, workers)
    result["server_command"] = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(stemme.command()))
    get_script = OUT / "get.lua"
    get_script.write_text(GET_SCRIPT + DONE)
    try:
        for server in (stemme, bare):
            server.start()
        stemme.wait_ready("/login")
        bare.wait_ready("/")
        _, _, body = fetch(stemme.base + "/login")
        if b"demo-banner" in body:
            raise BenchError("the app runs in demo mode; STEMME_ENV=production did not take")

        # Log in and crawl.
        crawler = Crawler(stemme.base, app.url_map)
        cookies: dict[str, str | None] = {ANONYMOUS: None}
        pages = crawler.crawl(ANONYMOUS, None, ["/login", "/accessibility"], login_page_ok=True)
        # kari's pathway page is measured on her pathway with five years of history (issue 18).
        longest = long_pathway(app)
        for person, login_name in PERSONS:
            cookies[person], _home = login(stemme.base, login_name, DEMO_PASSWORD)
            start = [f"/pathways/{longest}"] if person == "kari" and longest else []
            pages += crawler.crawl(person, cookies[person], start + ["/"])
        result["findings"] = [asdict(f) | {"error": f.error} for f in crawler.findings]
        per_person = ", ".join(f"{who} {sum(1 for p in pages if p.person == who)}"
                               for who in [ANONYMOUS, *dict(PERSONS)])
        say(f"  crawled: {len(pages)} pages ({per_person}), {sum(f.error for f in crawler.findings)} non-200 "
            f"answers, {sum(not f.error for f in crawler.findings)} redirects")
        if crawler.files:
            say("  downloads, not measured: " + "; ".join(crawler.files))
        pages = [p for p in pages if selected(f"{p.person} {p.path} {p.endpoint}", args.only)]
        statement_id = ola_statement(app)
        autosave = Autosave(f"/my/statements/{statement_id}")
        if not selected(f"ola {autosave.path} youth.edit_statement autosave", args.only):
            autosave = None
        else:
            autosave.writers = writers(app, stemme.base)

        say("  counting SQL statements per request in-process ...")
        count_sql(app, pages, autosave)

        # Load.
        wait_quiet()
        runs = len(pages) + 2 + (3 if autosave else 0)
        say(f"  {runs} wrk runs (-c{WRK_CONNECTIONS}), {args.warmup} s warm-up + {args.seconds} s each: about "
            f"{runs * (args.warmup + args.seconds + 1) / 60:.0f} min")
        result["bare"]["before"] = load(wrk, kind, bare, get_script, "/", None, "bare-before", args.warmup,
                                        args.seconds)
        say(f"  bare page: {result['bare']['before']['rps']:.0f} req/s")
        for page in pages:
            try:
                page.load = load(wrk, kind, stemme, get_script, page.path, cookies[page.person],
                                 f"{page.person}-{page.path}", args.warmup, args.seconds)
                say(f"  {page.person:9s} {page.path:44s} {page.load['rps']:7.0f} req/s  p95 "
                    f"{page.load['p95_us'] / 1000:6.1f} ms  SQL {page.sql}")
            except BenchError as error:
                page.failure = str(error)
                say(f"  {page.person:9s} {page.path:44s} FAILED: {error}")
        if autosave is not None:
            for mode in autosave.modes:
                try:
                    if mode.threads != WRK_THREADS and f"t{mode.threads}" not in result["bare"]:
                        result["bare"][f"t{mode.threads}"] = load(
                            wrk, kind, bare, get_script, "/", None, f"bare-t{mode.threads}", args.warmup,
                            args.seconds, threads=mode.threads)
                    mode.load = load_autosave(wrk, kind, stemme, autosave, mode, cookies["ola"], args)
                    say(f"  {mode.name} (wrk -t{mode.threads}): {mode.load['rps']:.0f} req/s  p95 "
                        f"{mode.load['p95_us'] / 1000:.1f} ms  SQL {mode.sql}")
                except BenchError as error:
                    mode.failure = str(error)
                    say(f"  {mode.name}: FAILED: {error}")
        drain(stemme)  # what Stemme still has to answer
        result["bare"]["after"] = load(wrk, kind, bare, get_script, "/", None, "bare-after", args.warmup, args.seconds)
    finally:
        for server in (stemme, bare):
            server.stop()
        from core.extensions import db

        with app.app_context():
            db.engine.dispose()

    bare_rps = statistics.mean(result["bare"][when]["rps"] for when in ("before", "after"))
    result["bare"]["rps"] = bare_rps
    for page in pages:
        entry = asdict(page)
        if page.load:
            entry["load"]["ratio"] = page.load["rps"] / bare_rps
        result["pages"].append(entry)
    for mode in autosave.modes if autosave else []:
        entry = asdict(mode) | ({"path": autosave.path, "person": "ola"} if not mode.changing else
                                {"path": "/my/statements/<statement_id>", "person": f"{len(autosave.writers)} young"})
        if mode.load:
            same_way = result["bare"].get(f"t{mode.threads}", {}).get("rps", bare_rps)
            entry["load"]["ratio"] = mode.load["rps"] / (bare_rps if mode.threads == WRK_THREADS else same_way)
        result["autosave"].append(entry)
    result["seconds"] = round(time.monotonic() - started, 1)
    return result


# --- the report ---------------------------------------------------------------------------------

def ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def kb(n: int | None) -> str:
    return "-" if n is None else f"{n / 1000:.1f}"


def page_table(result: dict) -> list[str]:
    bare = result["bare"]
    lines = [f"{result['label']}: gunicorn -w {result['workers']} (sync), wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS}, "
             f"{result['wrk']['warmup_s']} s warm-up + {result['wrk']['seconds']} s; bare page "
             f"{bare['before']['rps']:.0f} req/s before, {bare['after']['rps']:.0f} after"
             + "".join(f"; bare with wrk -{k} {v['rps']:.0f} req/s (for the new-text autosave)"
                       for k, v in bare.items() if k.startswith("t") and isinstance(v, dict))]
    head = (f"{'person':9s} {'path':44s} {'route':30s} {'req/s':>7s} {'ratio':>6s} {'p50 ms':>7s} {'p95 ms':>7s} "
            f"{'SQL':>4s} {'1st load KB':>11s} {'gzip-6':>7s}")
    lines += [head, "-" * len(head)]
    for page in result["pages"]:
        lead = f"{page['person']:9s} {page['path']:44s} {page['endpoint']:30s}"
        load_ = page["load"]
        sql = "-" if page["sql"] is None else str(page["sql"])
        tail = f"{sql:>4s} {kb(page['first_load']):>11s} {kb(page['first_load_gzip']):>7s}"
        if load_:
            lines.append(f"{lead} {load_['rps']:7.0f} {load_['ratio']:5.2f}x {ms(load_['p50_us']):>7s} "
                         f"{ms(load_['p95_us']):>7s} {tail}")
        else:
            lines.append(f"{lead} {'FAILED':>7s} {'':6s} {'':7s} {'':7s} {tail}")
    for mode in result["autosave"]:
        lead = f"{mode['person']:9s} {'POST ' + mode['path']:44s} {mode['name']:30s}"
        sql = "-" if mode["sql"] is None else str(mode["sql"])
        if mode["load"]:
            load_ = mode["load"]
            lines.append(f"{lead} {load_['rps']:7.0f} {load_['ratio']:5.2f}x {ms(load_['p50_us']):>7s} "
                         f"{ms(load_['p95_us']):>7s} {sql:>4s}")
        else:
            lines.append(f"{lead} {'FAILED':>7s} {'':6s} {'':7s} {'':7s} {sql:>4s}")
    return lines


def loaded(result: dict) -> list[dict]:
    return [p for p in result["pages"] if p["load"]]


def check_targets(result: dict) -> list[str]:
    misses = []
    kind, label = result["database"], result["label"]
    pages = loaded(result)
    for page in result["pages"]:
        if page["failure"]:
            misses.append(f"FAIL {label} {page['path']} ({page['person']}): {page['failure']}")
        if page["sql"] is not None and page["sql"] > TARGET_MAX_SQL:
            misses.append(f"MISS {label} {page['path']} ({page['person']}): {page['sql']} SQL statements "
                          f"> {TARGET_MAX_SQL}")
        if page["sql_status"] not in (None, 200):
            misses.append(f"FAIL {label} {page['path']} ({page['person']}): in-process GET answered "
                          f"{page['sql_status']}")
    for page in pages:
        ratio, p95 = page["load"]["ratio"], page["load"]["p95_us"] / 1000
        where = f"{label} {page['path']} ({page['person']})"
        if kind == "sqlite" and ratio < TARGET_SQLITE_MIN_RATIO:
            misses.append(f"MISS {where}: {ratio:.2f}x bare < {TARGET_SQLITE_MIN_RATIO}x")
        if kind == "sqlite" and p95 >= TARGET_SQLITE_P95_MS:
            misses.append(f"MISS {where}: p95 {p95:.1f} ms >= {TARGET_SQLITE_P95_MS:.0f} ms")
        if kind == "postgresql" and p95 >= TARGET_PG_P95_MS:
            misses.append(f"MISS {where}: p95 {p95:.1f} ms >= {TARGET_PG_P95_MS:.0f} ms")
    if kind == "sqlite" and pages:
        median = statistics.median(p["load"]["ratio"] for p in pages)
        if median < TARGET_SQLITE_MEDIAN_RATIO:
            misses.append(f"MISS {label} median page {median:.2f}x bare < {TARGET_SQLITE_MEDIAN_RATIO}x")
    for mode in result["autosave"]:
        if mode["failure"]:
            misses.append(f"FAIL {label} {mode['name']}: {mode['failure']}")
        elif mode["sql"] is not None and mode["sql"] > TARGET_MAX_SQL:
            misses.append(f"MISS {label} {mode['name']}: {mode['sql']} SQL statements > {TARGET_MAX_SQL}")
        if kind == "sqlite" and mode["load"] and mode["load"]["ratio"] < TARGET_AUTOSAVE_RATIO:
            misses.append(f"MISS {label} {mode['name']}: {mode['load']['ratio']:.2f}x bare < {TARGET_AUTOSAVE_RATIO}x")
    for finding in result["findings"]:
        if finding["error"]:
            misses.append(f"FINDING {label} {finding['path']} ({finding['person']}, linked from "
                          f"{finding['found_on']}): {finding['status']} {finding['detail']}".rstrip())
    noisy = [p["path"] for p in pages if p["load"]["others_cpu"] > NOISY_SHARE]
    if noisy:
        misses.append(f"WARNING {label}: other processes took more than {NOISY_SHARE:.0%} of the CPU during "
                      f"{len(noisy)} runs ({', '.join(noisy[:5])}{' ...' if len(noisy) > 5 else ''}): those "
                      "figures are low")
    return misses


def summary_table(results: list[dict]) -> list[str]:
    def cell(result, what):
        pages = loaded(result)
        if what == "bare":
            return f"{result['bare']['rps']:.0f} req/s"
        if what == "pages":
            return f"{len(pages)} of {len(result['pages'])}"
        if not pages:
            return "-"
        if what == "median":
            return f"{statistics.median(p['load']['ratio'] for p in pages):.2f}x"
        if what == "slowest":
            p = min(pages, key=lambda p: p["load"]["ratio"])
            return f"{p['load']['ratio']:.2f}x {p['rule']} ({p['person']})"
        if what == "p95":
            p = max(pages, key=lambda p: p["load"]["p95_us"])
            return f"{ms(p['load']['p95_us'])} ms {p['rule']} ({p['person']})"
        if what == "sql":
            p = max(result["pages"], key=lambda p: p["sql"] or 0)
            return f"{p['sql']} {p['rule']} ({p['person']})"
        if what == "autosave":
            modes = [m for m in result["autosave"] if m["load"]]
            return ", ".join(f"{m['load']['ratio']:.2f}x" for m in modes) or "-"
        if what == "load":
            p = max(result["pages"], key=lambda p: p["first_load"])
            return f"{kb(p['first_load'])} KB {p['rule']} ({p['person']})"
        return "-"

    rows = [("bare page", "bare"), ("pages measured", "pages"), ("median ratio", "median"),
            ("lowest ratio", "slowest"), ("highest p95", "p95"), ("most SQL", "sql"),
            ("autosave new, same text", "autosave"), ("largest first load", "load")]
    lines = [f"{'':24s} " + " ".join(f"{r['label']:44s}" for r in results)]
    for title, what in rows:
        lines.append(f"{title:24s} " + " ".join(f"{cell(r, what):44s}" for r in results))
    return lines


def last_line(results: list[dict]) -> str:
    by_kind = {r["database"]: r for r in results}
    sqlite, pg = by_kind.get("sqlite"), by_kind.get("postgresql")
    if sqlite and loaded(sqlite):
        pages = loaded(sqlite)
        worst = min(pages, key=lambda p: p["load"]["ratio"])
        text = f"bench: slowest page {worst['rule']} ({worst['person']}) {worst['load']['ratio']:.2f}x bare on SQLite"
        if pg:
            same = next((p for p in loaded(pg) if (p["person"], p["endpoint"]) == (worst["person"], worst["endpoint"])),
                        None)
            text += f", p95 {ms(same['load']['p95_us'])} ms on PostgreSQL" if same else ", no figure on PostgreSQL"
        text += f"; median {statistics.median(p['load']['ratio'] for p in pages):.2f}x; {len(pages)} pages"
        if pg and loaded(pg):
            top = max(loaded(pg), key=lambda p: p["load"]["p95_us"])
            if (top["person"], top["endpoint"]) != (worst["person"], worst["endpoint"]):
                text += f"; worst p95 on PostgreSQL {ms(top['load']['p95_us'])} ms {top['rule']} ({top['person']})"
        return text
    if pg and loaded(pg):
        pages = loaded(pg)
        top = max(pages, key=lambda p: p["load"]["p95_us"])
        worst = min(pages, key=lambda p: p["load"]["ratio"])
        return (f"bench: slowest page {worst['rule']} ({worst['person']}) {worst['load']['ratio']:.2f}x bare, "
                f"p95 {ms(worst['load']['p95_us'])} ms on PostgreSQL; worst p95 {ms(top['load']['p95_us'])} ms "
                f"{top['rule']} ({top['person']}); median {statistics.median(p['load']['ratio'] for p in pages):.2f}x; "
                f"{len(pages)} pages")
    return "bench: failed: no page measured"


def results_file(result: dict) -> Path:
    """results-<db>.json; a run with --only writes results-<db>-only.json and leaves the full one be."""
    return OUT / f"results-{result['database']}{'-only' if result['only'] else ''}.json"


def git_state() -> dict:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                    capture_output=True, text=True).stdout.strip())
        return {"commit": commit, "dirty": dirty}
    except OSError:
        return {}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--only", metavar="SUBSTRING", help="only pages whose person, path or route contains it")
    parser.add_argument("--seconds", type=int, default=RUN_SECONDS, help="timed run per page")
    parser.add_argument("--warmup", type=int, default=WARMUP_SECONDS, help="warm-up per page")
    parser.add_argument("--reuse-db", action="store_true", help="keep the database of the last run if there is one")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="fraction of the generated volume (pathways and access_log rows; kari stays on 200 teams)")
    args = parser.parse_args(argv)
    from seed import VOLUME

    args.volume = dict(VOLUME)
    if args.scale != 1.0:
        args.volume["pathways"] = max(int(VOLUME["pathways"] * args.scale), VOLUME["kari_pathways"])
        args.volume["access_log"] = int(VOLUME["access_log"] * args.scale)
    return args


def main(argv=None) -> int:
    import_project()
    args = parse_args(argv)
    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    wrk = ensure_wrk()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    results, failures = [], []
    load_before = os.getloadavg()[0]
    for kind in kinds:
        try:
            result = run_database(kind, args, wrk)
        except BenchError as error:
            failures.append(f"FAIL {DATABASES[kind]['label']}: {error}")
            say(failures[-1])
            continue
        result |= {"finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "cores": os.cpu_count()}
        results_file(result).write_text(json.dumps(result, indent=1, ensure_ascii=False))
        results.append(result)

    say("\n" + "=" * 100)
    for result in results:
        say()
        for line in page_table(result):
            say(line)
    misses = list(failures)
    for result in results:
        misses += check_targets(result)
        result_misses = [m for m in misses if f" {result['label']} " in m or m.startswith(f"WARNING {result['label']}")]
        results_file(result).write_text(json.dumps(result | {"misses": result_misses}, indent=1, ensure_ascii=False))
    if results:
        say()
        for line in summary_table(results):
            say(line)
        redirects = sorted({f"{f['path']} ({f['status']} {f['detail']})" for r in results for f in r["findings"]
                            if not f["error"]})
        if redirects:
            say(f"redirects met while crawling (not measured): {'; '.join(redirects[:6])}"
                f"{' ...' if len(redirects) > 6 else ''}")
        for result in results:
            if result["volume"]:
                say(f"{result['label']} volume (seeded in {result['seed_seconds']:.0f} s): "
                    + ", ".join(f"{t} {n:,}" for t, n in result["volume"].items()
                                if t in ("pathways", "statements", "access_log", "users", "meetings", "kari_teams")))
    say()
    for line in misses:
        say(line)
    say(f"({time.monotonic() - started:.0f} s in all; load average {load_before:.2f} before, "
        f"{os.getloadavg()[0]:.2f} after; {os.cpu_count()} cores; JSON, wrk output and gunicorn logs in "
        f"{OUT.relative_to(ROOT)}/)")
    say(last_line(results))
    if not results:
        return 2
    return 1 if misses and any(not m.startswith("WARNING") for m in misses) else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks: stop gunicorn
    try:
        sys.exit(main())
    except BenchError as error:
        say(f"bench: failed: {error}")
        sys.exit(2)
