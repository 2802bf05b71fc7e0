"""No input gives a 500: a corpus of bad values (NUL, CR/LF, bidirectional overrides, 100 kB of emoji,
invalid UTF-8, HTML and SQL fragments, a file, an empty value, a very long value) in every field of
every POST route, posted by a person allowed to post it, and in the query of every GET route; and what
the other family and their coordinator see is the same afterwards.

The routes come from the app's URL map. Who may use a route, its URL's ids and a valid post come from
the access table (tests/test_access_table.py); a route not in it yet, without ids in its URL, is tried
by the first person whose GET of it is not refused. The fields are the valid post's plus those of the
route's own form on its page. Every GET route is also asked for with `HX-Request` (a page that htmx
never asks for a part of answers with the whole page)."""
import io
import re
from urllib.parse import urlencode, urlsplit

import pytest
from flask import url_for

from app import create_app
from tests.access_rules import LOGIN
from tests.conftest import HTMX, PASSWORD, ROLES, csrf_token
from tests.helpers import field_error, page, parse, sign_in, translated
from tests.test_access_table import TABLE

FILE = object()  # stands for a small text file posted in the field
CORPUS = {
    "nul": "Hei\x00du\x1b[31m",
    "crlf": "Hei\r\nSet-Cookie: x=1\r\n",
    "bidi": "\u202eevil\u202c \u2066x\u2069 \u200f",
    "emoji": "\U0001F600" * 25_000,  # 100 kB in UTF-8
    "invalid_utf8": b"\xff\xfe\xc3\x28 \xed\xa0\x80",
    "html": '<script>alert(1)</script><img src=x onerror=alert(1)>"\'&amp;',
    "sql": "'; DROP TABLE users; -- \" OR 1=1 /*",
    "file": FILE,
    "empty": "",
    "long": "lang " * 24_000,  # 120 kB: far past every field's limit, under the 1 MB the app accepts
}
# In an address, a value as long as servers take one (8 kB): past that a proxy answers 414.
IN_ADDRESS = {label: value[:8000] if isinstance(value, str) else value for label, value in CORPUS.items()
              if value is not FILE}
# Query parameters some GET route reads (request.args), besides those of the page's own GET forms.
KNOWN_QUERY = ("next", "code", "goal", "role", "page", "q")
USER_OF_ROLE = {"young_a": "ola", "young_b": "emma", "parent_a": "mother_a", "parent_b": "father_b",
                "pro_team": "kari", "pro_member": "per", "pro_other": "lise", "admin": "admin"}
# Who is tried first: the pathway A side (the other family and Lise are the onlookers).
PREFERRED = ["pro_team", "young_a", "parent_a", "admin", "pro_member", "anonymous", "young_b", "parent_b",
             "pro_other"]
REFUSED = {LOGIN, 302, 401, 403, 404, 405}  # for a route not in the table: not a page this person uses


def _url_map_routes() -> list[tuple[str, str]]:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "SECRET_KEY": "only-reading-the-url-map-0123456789abcdef"})
    found = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
             for method in rule.methods - {"HEAD", "OPTIONS"} if rule.endpoint != "static"}
    arguments = {rule.endpoint: bool(rule.arguments) for rule in app.url_map.iter_rules()}
    return sorted(route for route in found if route in TABLE or not arguments[route[0]])


ROUTES = _url_map_routes()
GETS = [endpoint for endpoint, method in ROUTES if method == "GET"]
POSTS = [endpoint for endpoint, method in ROUTES if method == "POST"]


# --- people, addresses, fields ----------------------------------------------------------------------

def client_as(app, cast, role):
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, getattr(cast, USER_OF_ROLE[role]))
    return client


def _allowed_roles(endpoint, method) -> list[str]:
    """Those the table lets in (a redirect elsewhere last: the logged-in at the login page); for a
    route not in the table, everyone in turn."""
    row = TABLE.get((endpoint, method))
    if row is None:
        return PREFERRED
    expected = row[2]
    allowed = [role for role in PREFERRED if expected[role] not in (LOGIN, 403, 404)]
    return [role for role in allowed if expected[role] != 302] + [role for role in allowed if expected[role] == 302]


def _url(app, cast, endpoint, method) -> str:
    row = TABLE.get((endpoint, method))
    kwargs = row[0](cast) if row and row[0] else {}
    with app.test_request_context():
        return url_for(endpoint, **kwargs)


def person_and_url(app, cast, endpoint, method):
    """The first allowed person, their client and the route's URL (its rows made as the table makes them)."""
    url = _url(app, cast, endpoint, method)
    for role in _allowed_roles(endpoint, method):
        client = client_as(app, cast, role)
        if (endpoint, method) in TABLE:
            return role, client, url
        # A route not in the table yet: the first person its page does not refuse.
        response = client.get(url)
        if response.status_code not in REFUSED:
            return role, client, url
    pytest.skip(f"no one may use {endpoint} ({method})")


def form_fields(html: str, path: str, method: str) -> dict[str, str]:
    """The fields of the page's forms that send `method` to `path`, each with a value as the page has it."""
    fields: dict[str, str] = {}
    for form in parse(html).find_all("form"):
        if (form.get("method") or "get").lower() != method.lower():
            continue
        if urlsplit(form.get("action") or path).path != path:
            continue
        for node in form.iter():
            name = node.get("name")
            if not name or name == "csrf_token" or node.tag not in ("input", "textarea", "select", "button"):
                continue
            if node.tag == "select":
                options = node.find_all("option")
                value = options[0].get("value", options[0].text()) if options else ""
            elif node.tag == "textarea":
                value = node.text()
            else:
                value = node.get("value", "")
                if node.get("type") in ("radio", "checkbox") and name in fields:
                    continue
            fields.setdefault(name, value or "x")
    return fields


def _encode(data: dict) -> tuple[bytes, str] | dict:
    """The request body: urlencoded by hand (so raw invalid UTF-8 can be sent), or a dict for a file."""
    if any(value is FILE for value in data.values()):
        return {name: (io.BytesIO(b"Hei, dette er ei fil.\n"), "notat.txt") if value is FILE else value
                for name, value in data.items()}
    pairs = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, item))
    return urlencode(pairs).encode("ascii")


def send(client, url, data: dict):
    body = _encode(data)
    if isinstance(body, dict):
        return client.post(url, data=body, content_type="multipart/form-data")
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")


# --- what others see ------------------------------------------------------------------------------

# The form tokens, and the pathway page's and the worklist's "new since your last visit, <when>" (each
# look at the pathway page is a visit: it is looked at first, so the worklist never says "not opened yet").
NOISE = re.compile(r'name="csrf_token"[^>]*value="[^"]+"|value="[^"]*" name="csrf_token"'
                   r'|<p class="ds-paragraph meta[^"]*">[^<]*</p>')


def onlookers(app, cast) -> dict[str, str]:
    """The pages the other family (Emma, her father) and her coordinator Lise see, without tokens."""
    seen = {}
    for role, url in (("young_b", "/me"), ("parent_b", "/family"), ("pro_other", f"/pathways/{cast.pathway_b}"),
                      ("pro_other", "/pathways/")):
        response = client_as(app, cast, role).get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        seen[f"{role} {url}"] = NOISE.sub("", response.get_data(as_text=True))
    return seen


def assert_same(before: dict, after: dict) -> None:
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"what others see changed: {changed}"


# --- the tests ------------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", POSTS)
def test_bad_input_in_every_field_of_a_post(app, cast, endpoint):
    """Every value of the corpus in every field, one field at a time, the rest a valid post; then in
    the names of KNOWN_QUERY at once, alone (request.values reads the body too)."""
    role, client, url = person_and_url(app, cast, endpoint, "POST")
    row = TABLE.get((endpoint, "POST"))
    valid = dict(row[1](cast)) if row and row[1] else {}
    if (endpoint, "GET") in set(ROUTES) or (endpoint, "GET") in TABLE:
        for name, value in form_fields(client.get(url).get_data(as_text=True), url, "post").items():
            valid.setdefault(name, value)
    token = csrf_token(client)
    # The valid post first: what it changes for others (Lise added to a team) is not the bad input's.
    send(client, url, {"csrf_token": token, **valid}).close()
    before = onlookers(app, cast)
    failures = []
    for field in valid or {"x": ""}:
        for label, bad in CORPUS.items():
            data = {"csrf_token": token, **valid, field: bad}
            response = send(client, url, data)
            response.close()
            if response.status_code >= 500:
                failures.append((field, label, response.status_code))
    for label, bad in CORPUS.items():  # names a view may read from request.values, all at once, in a
        # post its form refuses (a valid one is cleaned by the form and goes on without them)
        response = send(client, url, {"csrf_token": token} | {name: bad for name in KNOWN_QUERY})
        response.close()
        if response.status_code >= 500:
            failures.append(("the query's names", label, response.status_code))
    assert not failures, f"{endpoint} as {role}: {failures}"
    assert_same(before, onlookers(app, cast))


@pytest.mark.parametrize("endpoint", GETS)
def test_bad_input_in_the_query_of_every_get(app, cast, endpoint):
    """Every value of the corpus (but the file) in every query parameter the route may read, and the
    page asked for by htmx."""
    role, client, url = person_and_url(app, cast, endpoint, "GET")
    response = client.get(url, headers=HTMX)
    assert response.status_code < 500, f"{endpoint} with HX-Request as {role}: {response.status_code}"
    shown = client.get(url)  # a page's GET forms name more parameters; a download (the PDF) has none
    fields = form_fields(shown.get_data(as_text=True), url, "get") if shown.mimetype == "text/html" else {}
    names = sorted(set(KNOWN_QUERY) | set(fields))
    before = onlookers(app, cast)
    failures = []
    for label, bad in IN_ADDRESS.items():  # every parameter at once: none refuses the others
        response = client.get(url, query_string=urlencode([(name, bad) for name in names]))
        response.close()
        if response.status_code >= 500:
            failures.append((label, response.status_code))
    assert not failures, f"{endpoint} as {role}: {failures}"
    assert_same(before, onlookers(app, cast))


def test_routes_are_read_from_the_url_map(app):
    """Every route of the app is tried here (those with ids in their URL once the access table has them)."""
    in_map = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"} if rule.endpoint != "static"}
    assert in_map - set(ROUTES) <= {route for route in in_map if route not in TABLE}
    assert len(ROUTES) > 60


# --- what the person is told ----------------------------------------------------------------------

def test_a_nul_byte_is_refused_beside_the_field_and_the_rest_kept(app, client, cast):
    """Ola's statement with a NUL: 400, the message beside the text, the text back without it."""
    sign_in(client, cast.ola)
    response = client.post(f"/my/pathways/{cast.pathway_a}/statements/new", data={
        "csrf_token": csrf_token(client), "prompt": "hard", "text": "Eg søv\x00 dårleg", "sharing": "team",
        "revision": "0"})
    assert response.status_code == 400
    message = translated(app, "This contained characters that cannot be typed, such as invisible control "
                              "characters. We have taken them out: check the text and send it again.")
    assert field_error(response, "text") == message
    assert page(response).by_id("text").text() == "Eg søv dårleg"


def test_a_nul_byte_at_login_is_a_400_with_the_login_form(app, client, cast):
    """The anonymous login form with a NUL in the username: the form again, with the message, a 400."""
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "login": "ola\x00",
                                           "password": "whatever-it-is"})
    assert response.status_code == 400
    assert field_error(response, "login").startswith(translated(app, "This contained characters that cannot be "
                                                                     "typed, such as invisible control characters. "
                                                                     "We have taken them out: check the text and "
                                                                     "send it again."))
    assert page(response).by_id("login").get("value") == "ola"


def test_a_file_in_a_text_field_is_refused_with_a_message(app, client, cast):
    sign_in(client, cast.ola)
    response = client.post(f"/my/pathways/{cast.pathway_a}/statements/new", data={
        "csrf_token": csrf_token(client), "prompt": "hard", "sharing": "team", "revision": "0",
        "text": (io.BytesIO(b"hei"), "notat.txt")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert field_error(response, "text") == translated(app, "A file cannot be sent here. Write the text in the "
                                                            "field instead.")


def test_a_control_character_in_the_query_is_the_400_page(app, client, cast):
    sign_in(client, cast.kari)
    response = client.get("/pathways/", query_string="q=a%00b")
    assert response.status_code == 400
    assert translated(app, "Something was wrong with the address") in page(response).find("h1").text()


def test_cr_lf_in_next_after_login_goes_to_the_home_page(app, client, cast):
    """A `next` with a line break in it cannot be a Location header: the person lands at home."""
    assert client.get("/login", query_string="next=/me%0d%0aSet-Cookie:+x%3D1").status_code == 200
    response = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "login": "ola",
                                           "password": PASSWORD, "next": "/me/\r\nSet-Cookie: x=1"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/me"
    assert "x=1" not in str(response.headers)


def test_roles_cover_the_table():
    assert set(USER_OF_ROLE) | {"anonymous"} == set(ROLES) == set(PREFERRED)


@pytest.mark.parametrize(("user", "url", "field"), [
    (None, "/login", "login"), ("admin", "/admin/professionals/new", "email"), ("admin", "/admin/templates", None),
    ("kari", "/pathways/new", "name"), ("ola", "/invitation", "code")])
def test_a_form_page_asked_for_by_htmx_is_the_whole_page(app, client, cast, user, url, field):
    """Nothing on these pages asks htmx for a part of them: a request that says HX-Request gets the
    whole page with its form (core.render renders a block only where a view names one)."""
    if user:
        sign_in(client, getattr(cast, user))
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" in body and "<h1" in body
    if field:
        assert page(response).find("input", name=field) is not None


def test_json_in_a_form_is_refused_as_an_empty_form(app, client, cast):
    """JSON values need not be text (a list, an object): the form treats the post as empty."""
    sign_in(client, cast.ola)
    token = csrf_token(client)
    response = client.post(f"/my/pathways/{cast.pathway_a}/statements/new", headers={"X-CSRFToken": token},
                           json={"prompt": "hard", "text": {"a": [1, 2]}, "sharing": "team", "revision": "0"})
    assert response.status_code == 400
