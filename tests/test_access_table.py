"""Every route, for every role: who gets in, who is sent to log in, who gets 403 or 404.

The table is read against the app's URL map: a route without a row here fails the test."""
import re

import pytest

from tests.conftest import ROLES, csrf_token, login

from tests.access_rules import ADMIN, ANON, FAMILY, LOGIN, MEMBER, OTHER, PA, PB, PRO, PROS, YA, YB, expect, only, team_only  # noqa: F401
from tests.access_rows_meetings import ROWS as MEETING_ROWS
from tests.access_rows_reading import ROWS as READING_ROWS
from tests.access_rows_statements import ROWS as STATEMENT_ROWS
from tests.access_rows_baton import ROWS as BATON_ROWS
from tests.access_rows_relay import ROWS as RELAY_ROWS
from tests.access_rows_templates import ROWS as TEMPLATE_ROWS
from tests.access_rows_feedback_answer import ROWS as FEEDBACK_ANSWER_ROWS
from tests.access_rows_feedback_team import ROWS as FEEDBACK_TEAM_ROWS
from tests.access_rows_feedback_service import ROWS as FEEDBACK_SERVICE_ROWS
from tests.access_rows_feedback_admin import ROWS as FEEDBACK_ADMIN_ROWS
from tests.access_rows_second_factor import ROWS as SECOND_FACTOR_ROWS
from tests.access_rows_account import ROWS as ACCOUNT_ROWS
from tests.access_rows_home import ROWS as HOME_ROWS
from tests.access_rows_copy import ROWS as COPY_ROWS
from tests.access_rows_worklist import ROWS as WORKLIST_ROWS
from tests.access_rows_reset import ROWS as RESET_ROWS
from tests.access_rows_notices import ROWS as NOTICE_ROWS
from tests.access_rows_sms import ROWS as SMS_ROWS
from tests.access_rows_notices_admin import ROWS as NOTICES_ADMIN_ROWS
from tests.access_rows_fhir import ROWS as FHIR_ROWS

# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
TABLE = {
    ("static", "GET"): (lambda c: {"filename": "css/stemme.css"}, None, expect(200)),
    ("pages.accessibility", "GET"): (None, None, expect(200)),
    ("accounts.index", "GET"): (None, None, expect(302, anonymous=LOGIN)),
    ("accounts.login", "GET"): (None, None, expect(302, anonymous=200)),
    ("accounts.login", "POST"): (None, lambda c: {"login": "nobody", "password": "wrong-password"},
                                 expect(302, anonymous=401)),
    ("accounts.logout", "POST"): (None, None, expect(303)),
    ("accounts.language", "POST"): (None, lambda c: {"lang": "nn", "next": "/"}, expect(303)),
    ("accounts.invitation", "GET"): (None, None, expect(200)),
    ("accounts.invitation", "POST"): (None, lambda c: {"code": "AAAA-BBBB-CCCC"}, expect(400)),
    ("accounts.new_account", "GET"): (None, None, expect(303)),
    ("accounts.new_account", "POST"): (None, None, expect(303)),
    ("accounts.admin", "GET"): (None, None, only({ADMIN}, 200)),
    ("accounts.new_service", "GET"): (None, None, only({ADMIN}, 200)),
    ("accounts.new_service", "POST"): (
        None, lambda c: {"name": "Barnevern Test", "kind": "child_welfare", "municipality": "Molde"},
        only({ADMIN}, 303)),
    ("accounts.new_professional", "GET"): (None, None, only({ADMIN}, 200)),
    ("accounts.new_professional", "POST"): (
        None, lambda c: {"name": "Nina Ny", "email": "nina@test.no", "services": [str(c.service_bup)],
                         "password": "ein lang og god frase"},
        only({ADMIN}, 303)),
    ("accounts.toggle_professional", "POST"): (lambda c: {"user_id": c.per}, None, only({ADMIN}, 303)),
    ("pathways.worklist", "GET"): (None, None, only(PROS, 200)),
    ("pathways.new", "GET"): (None, None, only(PROS, 200)),
    ("pathways.show", "GET"): (lambda c: {"pathway_id": c.pathway_a}, None, team_only(200)),
    ("pathways.team", "GET"): (lambda c: {"pathway_id": c.pathway_a}, None, team_only(200)),
    ("pathways.add_member", "POST"): (lambda c: {"pathway_id": c.pathway_a}, lambda c: {"user_id": c.lise},
                                      team_only(303, member=403)),
    ("pathways.remove_member", "POST"): (lambda c: {"pathway_id": c.pathway_a, "user_id": c.per}, None,
                                         team_only(303, member=403)),
    ("pathways.invite", "GET"): (lambda c: {"pathway_id": c.pathway_a}, None, team_only(200)),
    ("pathways.invite", "POST"): (lambda c: {"pathway_id": c.pathway_a}, lambda c: {"role": "young_person"},
                                  team_only(200)),
    ("youth.home", "GET"): (None, None, only({YA, YB}, 200)),
    ("youth.parent_home", "GET"): (None, None, only({PA, PB}, 200)),
    **STATEMENT_ROWS, **MEETING_ROWS, **READING_ROWS, **TEMPLATE_ROWS, **BATON_ROWS, **RELAY_ROWS,
    **FEEDBACK_ANSWER_ROWS, **FEEDBACK_TEAM_ROWS, **FEEDBACK_SERVICE_ROWS, **FEEDBACK_ADMIN_ROWS,
    **SECOND_FACTOR_ROWS, **ACCOUNT_ROWS, **HOME_ROWS, **COPY_ROWS, **WORKLIST_ROWS, **RESET_ROWS, **NOTICE_ROWS, **SMS_ROWS, **NOTICES_ADMIN_ROWS,
    **FHIR_ROWS,
}


def routes(app):
    found = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((rule.endpoint, method))
    return found


def test_every_route_is_in_the_table(app):
    missing = routes(app) - set(TABLE)
    stale = set(TABLE) - routes(app)
    assert not missing, f"routes without an access rule in the table: {sorted(missing)}"
    assert not stale, f"table rows for routes that do not exist: {sorted(stale)}"


CASES = [(endpoint, method, role) for (endpoint, method) in TABLE for role in ROLES]


@pytest.mark.parametrize(("endpoint", "method", "role"), CASES, ids=[f"{e}-{m}-{r}" for e, m, r in CASES])
def test_access(app, client, cast, endpoint, method, role):
    kwargs_for, data_for, expected_by_role = TABLE[(endpoint, method)]
    expected = expected_by_role[role]
    if role != ANON:
        login(client, cast.logins[role])
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **(kwargs_for(cast) if kwargs_for else {}))
    if method == "GET":
        response = client.get(url)
    else:
        data = {"csrf_token": csrf_token(client), **(data_for(cast) if data_for else {})}
        response = client.open(url, method=method, data=data)
    response.get_data()
    response.close()
    if expected == LOGIN:
        assert response.status_code == 302, (url, role, response.status_code)
        assert response.headers["Location"].startswith("/login"), response.headers["Location"]
    else:
        assert response.status_code == expected, (url, role, response.status_code)
        if expected in (403, 404):
            # Refusals are the error page, and say nothing about the pathway.
            body = response.get_data(as_text=True)
            assert "Ola Nordvik" not in body or role == YA
            assert "Angst og søvn" not in body


def test_professional_not_on_the_team_gets_404_like_a_missing_pathway(client, cast):
    login(client, cast.logins[OTHER])
    not_mine = client.get(f"/pathways/{cast.pathway_a}")
    missing = client.get("/pathways/999999")
    assert not_mine.status_code == missing.status_code == 404
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(not_mine.get_data(as_text=True)).group() == main.search(missing.get_data(as_text=True)).group()
