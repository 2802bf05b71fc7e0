"""Helpers for the feature tests: a quick login, reading pages as a user would, translated texts."""
import time
from contextlib import contextmanager
from html.parser import HTMLParser

import flask_babel
from sqlalchemy import event, func, select

from core.extensions import db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def sign_in(client, user_id: int) -> None:
    """Start `client` logged in as `user_id`, with the session Flask-Login keeps after a login.

    Logging in through the form costs a real Argon2 verification (a fraction of a second each);
    tests that are not about logging in start here. tests/accounts/test_login.py covers the form."""
    from accounts.models import User

    app = client.application
    # Session protection compares a hash of the address and user agent of the client.
    with app.test_request_context(environ_base=client.environ_base):
        identifier = app.login_manager._session_identifier_generator()
        session_id = db.session.get(User, user_id).get_id()
        db.session.remove()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["login_at"] = session["seen_at"] = int(time.time())
        session["_fresh"] = True
        session["_id"] = identifier


def translated(app, message, locale: str = "nb", plural: str | None = None, **variables) -> str:
    """`message` (a msgid or the app's own lazy text) as the app shows it in `locale` right now:
    the catalogues are being translated, so tests never spell out the Norwegian. With `plural`, the
    form for `num` of a message with a plural."""
    with app.test_request_context(), flask_babel.force_locale(locale):
        if plural is not None:
            text = flask_babel.ngettext(message, plural, **variables)
        else:
            text = flask_babel.gettext(message, **variables) if isinstance(message, str) else str(message)
        return " ".join(text.split())


def count(app, model, *where) -> int:
    """How many rows of `model` (matching `where`) are stored."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


@contextmanager
def counting_queries(app):
    """The SQL statements sent to the database during the block (an executemany counts as one)."""
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


@contextmanager
def extra_app(app_factory):
    """An app besides the `app` fixture; its database connections are closed afterwards."""
    other = app_factory()
    try:
        yield other
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


# --- reading HTML ----------------------------------------------------------------------------

class Node:
    """An element of a parsed page: tag, attributes, children (nodes and text)."""

    def __init__(self, tag: str, attrs: dict, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def __getitem__(self, name):
        return self.attrs[name]

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def text(self) -> str:
        """The visible text, entities decoded and white space collapsed."""
        parts = []

        def walk(node):
            for child in node.children:
                if isinstance(child, Node):
                    walk(child)
                else:
                    parts.append(child)

        walk(self)
        return " ".join("".join(parts).split())

    def find_all(self, tag: str | None = None, **attrs) -> list["Node"]:
        """Descendants with `tag` and the given attributes (`class_` matches one class word)."""
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if all(_matches(node, name, value) for name, value in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs) -> "Node | None":
        nodes = self.find_all(tag, **attrs)
        return nodes[0] if nodes else None

    def by_id(self, element_id: str) -> "Node":
        node = self.find(id=element_id)
        assert node is not None, f"no element with id={element_id!r}"
        return node


def _matches(node: Node, name: str, value) -> bool:
    if name == "class_":
        return value in (node.get("class") or "").split()
    return node.get(name.replace("_", "-")) == value


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def page(response) -> Node:
    """The response body, parsed."""
    return parse(response.get_data(as_text=True))


def alert_text(response) -> str:
    """The text of the page's alert (the error message above a form)."""
    alerts = page(response).find_all(role="alert")
    assert alerts, "no alert on the page"
    return " ".join(a.text() for a in alerts)


def field_error(response, field_id: str) -> str:
    """The message shown beside a field; the field itself must be marked invalid."""
    body = page(response)
    field = body.by_id(field_id)
    assert field.get("aria-invalid") == "true", f"{field_id} is not marked invalid"
    assert f"{field_id}-error" in (field.get("aria-describedby") or "").split()
    return body.by_id(f"{field_id}-error").text()
