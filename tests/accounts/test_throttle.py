"""Login throttling (accounts/throttle.py): guesses sent at once cannot pass the rule, the waits grow
for the account and address together, someone else's guesses keep a person out for a minute at the
most (and not at all on a browser they have logged in on), and app processes sharing Redis count
together. Time is moved by moving the clock the limiter's storage reads, never by sleeping."""
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import flask_babel
import limits.storage.memory
import pytest
from werkzeug.serving import make_server

from accounts import services, throttle
from core.i18n import LANG_COOKIE
from tests.conftest import CSRF, PASSWORD, csrf_token
from tests.helpers import alert_text, translated

WRONG = "ikkje-rett-passord"
TOO_MANY = ("Too many attempts to log in to this account. Wait %(wait)s and try again. "
            "This stops others from guessing passwords.")
ROOT = Path(__file__).resolve().parents[2]
# A database of its own on the Redis that CI and development machines run; each test uses its own prefix.
REDIS = os.environ.get("STEMME_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


class Clock:
    """The time the limiter's memory storage and the throttle read: now, plus however far a test
    has moved it."""

    def __init__(self):
        self.real = time.time
        self.offset = 0.0

    def time(self) -> float:
        return self.real() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture()
def quick_passwords(monkeypatch):
    """Tests of many attempts over days: the password check answers at once instead of taking an
    Argon2 hash's fraction of a second (throttling happens before it either way)."""
    monkeypatch.setattr(services, "verify_password",
                        lambda hashed, password: hashed is not None and password == PASSWORD)


@pytest.fixture()
def clock(monkeypatch):
    clock = Clock()
    # Only these two modules read the clock for throttling; time.time itself stays as it is.
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(throttle, "time", clock)
    return clock


def browser(app, address: str):
    """Another browser, at `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def attempt(client, login_name, password):
    """One press on «Log in»."""
    token = csrf_token(client, "/login")
    return client.post("/login", data={"login": login_name, "password": password, "csrf_token": token})


def retry_after(response) -> int:
    assert response.status_code == 429, response.status_code
    return int(response.headers["Retry-After"])


def wait_text(app, seconds: int, locale: str = "nb") -> str:
    with app.test_request_context(), flask_babel.force_locale(locale):
        return throttle.wait_text(seconds)


@contextmanager
def counting_password_checks(monkeypatch):
    """How many attempts reached the password check (Argon2), from any thread."""
    checks, lock = [], threading.Lock()
    real = services.verify_password

    def verify(*args):
        with lock:
            checks.append(1)
        return real(*args)

    monkeypatch.setattr(services, "verify_password", verify)
    yield checks


# --- one process -----------------------------------------------------------------------------

@contextmanager
def served(app):
    """The app behind a real HTTP server in a thread, as in production: one thread per request."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def http(url: str, data: dict | None = None, cookie: str = "") -> tuple[int, dict, str]:
    """One request over HTTP: status, headers, body (errors and redirects are answers too)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie} if cookie else {})
    try:
        with _OPENER.open(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def login_form(base: str) -> tuple[str, str]:
    """The session cookie and CSRF token of a login page fetched over HTTP."""
    status, headers, body = http(base + "/login")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";")[0]
    return cookie, CSRF.search(body).group(1)


def test_forty_concurrent_wrong_passwords_reach_the_check_five_times(app, cast, monkeypatch):
    """40 wrong passwords for one account from one address, sent at the same moment to a real
    threaded server: 5 (the pair's first window) are checked and refused with 401, 35 are told to
    wait with 429 and Retry-After, and the password check ran exactly 5 times."""
    with served(app) as base, counting_password_checks(monkeypatch) as checks:
        cookie, token = login_form(base)
        start = threading.Barrier(40)
        results = []

        def guess(n):
            start.wait()
            results.append(http(base + "/login", {"login": "ola", "password": f"{WRONG}-{n}", "csrf_token": token},
                                cookie))

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    statuses = sorted(status for status, _, _ in results)
    assert statuses == [401] * 5 + [429] * 35
    assert len(checks) == 5
    assert all(1 <= int(headers["Retry-After"]) <= 60 for status, headers, _ in results if status == 429)


def test_forty_concurrent_guesses_from_forty_addresses_reach_the_check_ten_times(app, cast, monkeypatch):
    """40 wrong passwords for one account from 40 addresses at once (each pair is new): the limit on
    the account alone, 10 a minute, still holds exactly."""
    clients = [browser(app, f"203.0.113.{n}") for n in range(1, 41)]
    tokens = [csrf_token(client, "/login") for client in clients]
    start = threading.Barrier(40)
    statuses = []

    def guess(client, token):
        start.wait()
        statuses.append(client.post("/login", data={"login": "ola", "password": WRONG, "csrf_token": token})
                        .status_code)

    with counting_password_checks(monkeypatch) as checks:
        threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert sorted(statuses) == [401] * 10 + [429] * 30
    assert len(checks) == 10


# --- the rule over time -----------------------------------------------------------------------

def test_waits_grow_for_the_account_and_address_together(app, cast, clock, quick_passwords):
    """From one address at one account, a guesser who waits exactly as long as told: 5 guesses reach
    the check in the first minute, 10 in the first ten minutes, 20 in the first hour, 40 in the
    first day; the waits grow to a minute, ten minutes, an hour and a day."""
    guesser = browser(app, "192.0.2.10")
    start = clock.time()
    checked, longest = [], {}
    while len(checked) < 41:
        response = attempt(guesser, "ola", WRONG)
        if response.status_code == 401:
            checked.append(clock.time() - start)
            clock.advance(1)  # a moment between presses
            continue
        wait = retry_after(response)
        longest[len(checked)] = max(wait, longest.get(len(checked), 0))
        clock.advance(wait)
    # After 5 attempts a minute, after 10 ten minutes, after 20 an hour, after 40 a day (and in
    # between, after 15, 25, 30 and 35, the shorter windows again).
    assert sorted(longest) == [5, 10, 15, 20, 25, 30, 35, 40]
    assert 50 <= longest[5] <= 60 < longest[10] <= 600 < longest[20] <= 3600 < longest[40] <= 86400
    assert all(longest[n] <= 60 for n in (15, 25, 35)) and longest[30] <= 600
    # Whoever waits as told is never refused twice in a row, and gets no more than the rule allows.
    for n, seconds in ((5, 60), (10, 600), (20, 3600), (40, 86400)):
        assert all(checked[i + n] - checked[i] >= seconds for i in range(len(checked) - n))


def test_the_wait_is_said_in_the_persons_language(app, cast):
    """The refusal says how long to wait, in nynorsk for a nynorsk reader, with a 429 and Retry-After."""
    guesser = browser(app, "192.0.2.11")
    guesser.set_cookie(LANG_COOKIE, "nn")
    for _ in range(5):
        assert attempt(guesser, "ola", WRONG).status_code == 401
    refused = attempt(guesser, "ola", PASSWORD)
    wait = retry_after(refused)
    assert 55 <= wait <= 60
    assert alert_text(refused) == translated(app, TOO_MANY, "nn", wait=wait_text(app, wait, "nn"))
    assert wait_text(app, wait, "nn") in ("1 minutt", f"{wait} sekund")
    # The login typed stays in the field.
    assert 'value="ola"' in refused.get_data(as_text=True)


def test_wait_texts_round_up(app):
    """A wait is never said shorter than it is."""
    assert [wait_text(app, s) for s in (1, 45, 60, 61, 600, 601, 3600, 3601, 86400)] == [
        "1 sekund", "45 sekunder", "1 minutt", "2 minutter", "10 minutter", "11 minutter", "1 time", "2 timer",
        "1 døgn"]


def test_guesses_from_many_addresses_keep_the_person_out_a_minute_at_most(app, cast, clock):
    """Guessers at 20 other addresses fill the account's own limit; the person, on a new browser,
    is told to wait at most a minute and then logs in."""
    for n in range(20):
        guesser = browser(app, f"198.51.100.{n + 1}")
        for _ in range(3):
            assert attempt(guesser, "ola", WRONG).status_code in (401, 429)
    person = browser(app, "192.0.2.50")
    wait = retry_after(attempt(person, "ola", PASSWORD))
    assert wait <= 60
    clock.advance(wait)
    logged_in = attempt(person, "ola", PASSWORD)
    assert logged_in.status_code == 303
    assert logged_in.headers["Location"] == "/me"


def use_up_a_day(app, address, clock):
    """A guesser at `address` who guesses at ola until told to wait hours: 40 guesses checked."""
    guesser = browser(app, address)
    checked = 0
    while True:
        response = attempt(guesser, "ola", WRONG)
        if response.status_code == 401:
            checked += 1
            continue
        wait = retry_after(response)
        if wait > 3600:
            assert checked == 40
            return guesser
        clock.advance(wait)


def test_guesses_from_one_other_address_do_not_slow_the_person_at_all(app, cast, clock, quick_passwords):
    """A guesser at another address who has used up a day's guesses at ola leaves ola's own
    logins from elsewhere untouched."""
    guesser = use_up_a_day(app, "198.51.100.7", clock)
    assert retry_after(attempt(guesser, "ola", WRONG)) > 3600
    person = browser(app, "192.0.2.60")
    assert attempt(person, "ola", PASSWORD).status_code == 303


def test_guesses_from_the_same_address_do_not_slow_the_person_on_their_own_browser(app, cast, clock,
                                                                                  quick_passwords):
    """At one school address: a classmate uses up a day's guesses at ola. Ola, on the phone she
    has logged in on before, logs in at once. On a browser never used for ola, at the same address,
    she cannot be told from the classmate and shares the classmate's wait (the rule says so)."""
    school = "192.0.2.80"
    phone = browser(app, school)
    assert attempt(phone, "ola", PASSWORD).status_code == 303
    phone.post("/logout", data={"csrf_token": csrf_token(phone)})

    use_up_a_day(app, school, clock)

    assert attempt(phone, "ola", PASSWORD).status_code == 303
    school_computer = browser(app, school)
    assert retry_after(attempt(school_computer, "ola", PASSWORD)) > 3600


def test_a_right_password_clears_the_pairs_waits(app, cast, clock):
    """Four typos and then the right password: the next four typos do not bring a wait closer."""
    person = browser(app, "192.0.2.90")
    for _ in range(2):
        for _ in range(4):
            assert attempt(person, "ola", WRONG).status_code == 401
        assert attempt(person, "ola", PASSWORD).status_code == 303
        person.post("/logout", data={"csrf_token": csrf_token(person)})


def test_one_address_at_many_accounts_is_slowed_a_minute_at_a_time(app, cast, clock, quick_passwords):
    """60 attempts a minute from one address at all accounts together; the 61st waits (at most a
    minute), and after it people at that address log in again."""
    school = browser(app, "192.0.2.100")
    statuses = [attempt(school, f"elev{n:02d}", WRONG).status_code for n in range(61)]
    assert statuses == [401] * 60 + [429]
    wait = retry_after(attempt(browser(app, "192.0.2.100"), "ola", PASSWORD))
    assert wait <= 60
    clock.advance(wait)
    assert attempt(browser(app, "192.0.2.100"), "ola", PASSWORD).status_code == 303


def test_a_forged_device_cookie_counts_as_no_cookie(app, cast, clock):
    """A device cookie that the app did not sign gives no way around the address's waits."""
    guesser = browser(app, "192.0.2.110")
    for _ in range(5):
        assert attempt(guesser, "ola", WRONG).status_code == 401
    guesser.set_cookie(throttle.DEVICE_COOKIE, "eyJkIjoieCIsImEiOltdfQ.forged")
    assert attempt(guesser, "ola", WRONG).status_code == 429


# --- several processes -----------------------------------------------------------------------

SERVER = """
import sys
from werkzeug.serving import make_server
from app import create_app

secret, database, prefix = sys.argv[1:]
app = create_app({"SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": database, "RATELIMIT_KEY_PREFIX": prefix})
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("STEMME_REQUIRE_REDIS"):
            pytest.fail(f"STEMME_REQUIRE_REDIS is set but Redis at {REDIS} cannot be reached: {error}", pytrace=False)
        pytest.skip(f"no Redis at {REDIS}")
    return redis.Redis.from_url(REDIS)


@contextmanager
def app_process(app, database_url: str, prefix: str):
    """A real app server in its own process, its counters in Redis under `prefix`."""
    env = {**os.environ, "REDIS_URL": REDIS, "STEMME_ENV": "development", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-c", SERVER, app.config["SECRET_KEY"], database_url, prefix],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert re.fullmatch(r"\d+\n", line), process.stderr.read() if process.poll() is not None else line
        yield f"http://127.0.0.1:{line.strip()}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def test_two_app_processes_sharing_redis_count_together(app, cast, database_url):
    """Two app processes with their counters in one Redis: wrong passwords sent to each in turn
    count together, so the 6th attempt is refused whichever process it reaches; 40 sent at once,
    half to each, reach the password check 5 times."""
    store = _redis_or_skip()
    prefix = f"stemme-test-{uuid.uuid4().hex}"
    try:
        with app_process(app, database_url, prefix) as first, app_process(app, database_url, prefix) as second:
            cookie, token = login_form(first)  # one secret key: the token is good on both
            answers = [http((first, second)[n % 2] + "/login",
                            {"login": "ola", "password": WRONG, "csrf_token": token}, cookie) for n in range(8)]
            # And 40 at once at another account, half to each process: Redis counts them atomically.
            start, at_once = threading.Barrier(40), []

            def guess(n):
                start.wait()
                at_once.append(http((first, second)[n % 2] + "/login",
                                    {"login": "emma", "password": WRONG, "csrf_token": token}, cookie)[0])

            threads = [threading.Thread(target=guess, args=(n,)) for n in range(40)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        assert [status for status, _, _ in answers] == [401] * 5 + [429] * 3
        assert sorted(at_once) == [401] * 5 + [429] * 35
        assert all(1 <= int(headers["Retry-After"]) <= 60 for _, headers, _ in answers[5:])
        assert list(store.scan_iter(match=f"*{prefix}/login-pair*"))
    finally:
        for key in store.scan_iter(match=f"*{prefix}*"):
            store.delete(key)
