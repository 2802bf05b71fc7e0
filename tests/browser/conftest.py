"""Browser tests: the app served on 127.0.0.1 in a thread, driven by the system Chromium through
Playwright, on a phone-sized screen; every page checked with axe-core; no request may leave the app."""
import os
import re
import shutil
import threading
from urllib.parse import urlsplit

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from werkzeug.serving import make_server

from demo import DEMO_PASSWORD, DEMO_TOTP_SECRETS, load_demo_data
from tests.conftest import next_step

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

_axe = Axe()
expect.set_options(timeout=10_000)  # Playwright's 5 s default is tight on a loaded two-core machine


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            # The threaded dev server leaves a static file open when the browser drops a connection
            # mid-download (it navigates on); that is the test server's affair, not the app's.
            item.add_marker(pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"))
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not shutil.which(CHROMIUM):
        if os.environ.get("STEMME_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing and STEMME_REQUIRE_BROWSER is set", pytrace=False)
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return {"executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture(scope="session")
def live_server(app):
    """The app on a free port of 127.0.0.1, in a thread, for the whole session."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture()
def demo(app):
    """The demo data, loaded fresh for each test (the tables are emptied after each test)."""
    with app.app_context():
        load_demo_data()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, **PHONE, "locale": "nn-NO", "base_url": live_server}


class Hosts:
    """Every host a browser context asked for; the app's own must be the only one."""

    def __init__(self, origin: str):
        self.origin = urlsplit(origin).netloc
        self.seen: set[str] = set()

    def watch(self, context):
        context.on("request", lambda request: self.seen.add(urlsplit(request.url).netloc or request.url))
        return context

    def check(self):
        foreign = {host for host in self.seen if host != self.origin and not host.startswith(("data:", "about:"))}
        assert not foreign, f"requests left the app: {sorted(foreign)}"


@pytest.fixture()
def hosts(live_server):
    watcher = Hosts(live_server)
    yield watcher
    watcher.check()


@pytest.fixture()
def new_context(browser, browser_context_args, hosts):
    """Make a fresh browser context (a new phone), with or without JavaScript."""
    made = []

    def make(javascript: bool = True, **overrides):
        context = browser.new_context(**{**browser_context_args, "java_script_enabled": javascript, **overrides})
        # Generous: CI shares two cores between Chromium, the app and the database server.
        context.set_default_timeout(20_000)
        made.append(hosts.watch(context))
        return context

    yield make
    for context in made:
        context.close()


def check_accessibility(page, javascript: bool = True):
    """axe-core on the page: no violations. A page without JavaScript is copied into one with it,
    because axe cannot run where scripts are off."""
    target = page
    helper = None
    if not javascript:
        html = page.content()
        helper = page.context.browser.new_context(**PHONE)
        target = helper.new_page()
        target.set_content(html.replace("<head>", f'<head><base href="{page.url}">', 1))
    try:
        results = _axe.run(target)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    finally:
        if helper is not None:
            helper.close()


def fits_the_screen(page):
    """Nothing scrolls sideways on the phone."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the screen"


_used_steps: dict[str, int] = {}  # the last code's time step per demo login (each step works once)


def type_code(page, login: str):
    """The second step of a demo professional's or admin's login: the code their app shows now,
    made from the key the demo's login page gives."""
    expect(page).to_have_url(re.compile(r"/login/code$"))
    step = _used_steps[login] = next_step(_used_steps.get(login))
    page.fill("#code", pyotp.TOTP(DEMO_TOTP_SECRETS[login]).at(step * 30))
    page.locator("form[action='/login/code'] button[type=submit]").click()


def log_in(page, login: str, password: str = DEMO_PASSWORD):
    """Log in through the login form, with the code from the app for those who need one."""
    page.goto("/login")
    page.fill("#login", login)
    page.fill("#password", password)
    page.locator("form[action='/login'] button[type=submit]").click()
    if login in DEMO_TOTP_SECRETS:
        type_code(page, login)
    expect(page).not_to_have_url(re.compile(r"/login"))
