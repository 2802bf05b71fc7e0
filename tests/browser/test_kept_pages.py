"""axe-core on the pages that give a person back what they wrote or tell them to wait: the login
page keeping a post made after the login ran out, the page that sends it again after the next
login, the rating that met a broken database connection (503), and the login refused for too many
attempts (429). Each is made by the app as the tests in tests/accounts and tests/core make it, and
checked in Chromium on a phone with its own address as base."""
from datetime import timedelta

from core.models import utcnow
from tests.accounts.test_session import log_in_again, moved_back
from tests.browser.conftest import PHONE, check_accessibility
from tests.conftest import csrf_token
from tests.core.test_database_away import connection_breaks, writes
from tests.feedback.test_answer import GOOD, form_data, rating_request, url
from tests.helpers import page, sign_in
from tests.pathways.test_meetings import make_meeting
from tests.pathways.test_relay import meeting


def axe_on(browser, live_server, response, path: str, status: int) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    context = browser.new_context(**PHONE)
    try:
        tab = context.new_page()
        html = response.get_data(as_text=True)
        tab.set_content(html.replace("<head>", f'<head><base href="{live_server}{path}">', 1))
        check_accessibility(tab)
    finally:
        context.close()


def test_the_kept_login_and_the_page_that_sends_it_again(app, client, cast, browser, live_server):
    minutes = f"/pathways/{cast.pathway_a}/meetings/{meeting(app, cast)}/minutes"
    sign_in(client, cast.kari)
    token = csrf_token(client, minutes)
    moved_back(client, seen_at=40 * 60)
    response = client.post(minutes, data={"csrf_token": token, "text": "Ola vil ha færre møte."})
    axe_on(browser, live_server, response, minutes, 401)
    kept = page(response).find("input", name="kept")["value"]
    axe_on(browser, live_server, log_in_again(client, "kari@test.no", kept), "/login/code", 200)


def test_the_rating_that_met_a_broken_connection(app, client, cast, browser, live_server):
    request_id = rating_request(app, cast.ola, make_meeting(app, cast.pathway_a, cast.kari,
                                                            starts_at=utcnow() - timedelta(hours=2)))
    sign_in(client, cast.ola)
    data = form_data(app, GOOD) | {"csrf_token": csrf_token(client)}
    data["version"] = page(client.get(url(request_id))).find("input", name="version")["value"]
    with connection_breaks(app, writes):
        response = client.post(url(request_id), data=data)
    axe_on(browser, live_server, response, url(request_id), 503)


def test_the_login_refused_for_too_many_attempts(app, client, cast, browser, live_server):
    def wrong():
        return client.post("/login", data={"login": "ola", "password": "feil",
                                           "csrf_token": csrf_token(client, "/login")})

    for _ in range(5):
        assert wrong().status_code == 401
    response = wrong()
    axe_on(browser, live_server, response, "/login", 429)
