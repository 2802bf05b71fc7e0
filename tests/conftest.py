"""Fixtures: the app on a real database (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
a clean database for every test, a cast of people in every role, and a login helper."""
import os
import re
import time
from dataclasses import dataclass
from html import unescape
from datetime import date

import pyotp
import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from accounts.models import ParentLink, Role, Service, ServiceKind, User, YoungPerson
from accounts.passwords import hash_password
from app import create_app
from core.extensions import db, limiter
from pathways.models import Pathway, TeamMember

PASSWORD = "test-passord-lang-nok"
# The pathway templates (0004) and the feedback question sets (0005) are data loaded by a migration:
# they stay between tests. What a test changes in them is put back from this copy, taken right after
# the migrations ran (parents first).
TEMPLATE_TABLES = ("pathway_templates", "template_steps", "step_guidance",
                   "feedback_scales", "feedback_scale_steps", "feedback_question_sets", "feedback_set_versions",
                   "feedback_items")
_template_rows: dict[str, list[dict]] = {}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if os.environ.get("STEMME_REQUIRE_POSTGRES") and not url.startswith("postgresql"):
        pytest.fail("STEMME_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not a PostgreSQL URL", pytrace=False)
    if not url:
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            # Start from an empty schema so the migrations run from the first revision.
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as error:  # noqa: BLE001 - any failure to reach the server ends the run
        pytest.fail(f"cannot use the test database {url}: {error}", pytrace=False)
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        # The throttling counters in memory, emptied after each test, even where REDIS_URL is set.
        "RATELIMIT_STORAGE_URI": "memory://",
    })
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            _template_rows.update(_read_template_rows(conn))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # PostgreSQL: no connection left open when the session ends


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Every test starts with empty tables (the schema stays), except the pathway templates, which
    start as the migration made them."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    # The throttling counters (Flask-Limiter's storage, in memory here) start empty for every test too.
    limiter.reset()
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)
                  if t.name not in TEMPLATE_TABLES]
        with db.engine.begin() as conn:
            # A question set version the admin saved names its author: let go of the users first.
            conn.execute(text("UPDATE feedback_set_versions SET created_by_id = NULL WHERE created_by_id IS NOT NULL"))
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f"DELETE FROM {table}"))
            _restore_template_rows(conn)


def _read_template_rows(conn) -> dict[str, list[dict]]:
    tables = db.metadata.tables
    return {name: [dict(row) for row in conn.execute(select(tables[name]).order_by(tables[name].c.id)).mappings()]
            for name in TEMPLATE_TABLES}


def _restore_template_rows(conn) -> None:
    """Put the templates and question sets back as the migration left them, with the same ids, if a
    test changed them. (Ids are inserted explicitly; on PostgreSQL the sequences are then moved past
    them, so later inserts never collide.)"""
    if _read_template_rows(conn) == _template_rows:
        return
    tables = db.metadata.tables
    for name in reversed(TEMPLATE_TABLES):
        conn.execute(tables[name].delete())
    for name in TEMPLATE_TABLES:
        if _template_rows[name]:
            conn.execute(tables[name].insert(), _template_rows[name])
    if conn.dialect.name == "postgresql":
        # TRUNCATE … RESTART IDENTITY CASCADE reaches tables that point at users (a version's
        # author) and restarts their sequences: move them past the ids put back.
        for name in TEMPLATE_TABLES:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                              f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"))


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def password_hash():
    """One real Argon2 hash for every test account: hashing is slow on purpose."""
    return hash_password(PASSWORD)


@dataclass
class Cast:
    """Ids and logins of the people every role-based test needs."""

    pathway_a: int
    pathway_b: int
    young_a: int
    kari: int
    per: int
    lise: int
    admin: int
    service_bup: int
    logins: dict
    # User ids of the family accounts, and the app (for table rows that make their own data).
    ola: int = 0
    emma: int = 0
    mother_a: int = 0
    father_b: int = 0
    young_b: int = 0
    app: object = None


ROLES = ["anonymous", "young_a", "young_b", "parent_a", "parent_b", "pro_team", "pro_member", "pro_other", "admin"]


@pytest.fixture()
def cast(app, password_hash) -> Cast:
    """Young person A (Ola) with a pathway coordinated by Kari, Per on the team, Lise not;
    young person B (Emma) with a pathway coordinated by Lise; a parent of each; an admin."""
    with app.app_context():
        bup = Service(name="BUP Test", kind=ServiceKind.BUP, municipality="Molde")
        school = Service(name="Skulehelse Test", kind=ServiceKind.SCHOOL_HEALTH, municipality="Averøy")
        ppt = Service(name="PPT Test", kind=ServiceKind.PPT, municipality="Averøy")

        def user(role, name, login, services=()):
            field = "email" if "@" in login else "username"
            return User(role=role, name=name, password_hash=password_hash, services=list(services), **{field: login})

        kari = user(Role.PROFESSIONAL, "Kari Nordmann", "kari@test.no", [bup])
        per = user(Role.PROFESSIONAL, "Per Hansen", "per@test.no", [school])
        lise = user(Role.PROFESSIONAL, "Lise Berg", "lise@test.no", [ppt])
        admin = user(Role.ADMIN, "Admin", "admin@test.no")
        ola = user(Role.YOUNG_PERSON, "Ola Nordvik", "ola")
        emma = user(Role.YOUNG_PERSON, "Emma Lie", "emma")
        mother_a = user(Role.PARENT, "Randi Nordvik", "mor.ola")
        father_b = user(Role.PARENT, "Jon Lie", "far.emma")
        a = YoungPerson(name="Ola Nordvik", birth_date=date(2011, 5, 1), user=ola)
        b = YoungPerson(name="Emma Lie", birth_date=date(2015, 2, 1), user=emma)
        db.session.add_all([kari, per, lise, admin, mother_a, father_b, a, b])
        db.session.flush()
        pa = Pathway(young_person=a, title="Angst og søvn", coordinator=kari)
        pa.members = [TeamMember(user=kari, added_by_id=kari.id), TeamMember(user=per, added_by_id=kari.id)]
        pb = Pathway(young_person=b, title="Trivsel", coordinator=lise)
        pb.members = [TeamMember(user=lise, added_by_id=lise.id)]
        db.session.add_all([
            pa, pb,
            ParentLink(young_person=a, user=mother_a, parental_responsibility=True),
            ParentLink(young_person=b, user=father_b, parental_responsibility=True),
        ])
        db.session.commit()
        return Cast(
            pathway_a=pa.id, pathway_b=pb.id, young_a=a.id, kari=kari.id, per=per.id, lise=lise.id,
            admin=admin.id, service_bup=bup.id, ola=ola.id, emma=emma.id, mother_a=mother_a.id,
            father_b=father_b.id, young_b=b.id, app=app,
            logins={"young_a": "ola", "young_b": "emma", "parent_a": "mor.ola", "parent_b": "far.emma",
                    "pro_team": "kari@test.no", "pro_member": "per@test.no", "pro_other": "lise@test.no",
                    "admin": "admin@test.no"},
        )


def csrf_token(client, url="/accessibility") -> str:
    """The CSRF token from a real form on a page (every page has the language form)."""
    response = client.get(url)
    match = CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def login(client, login_name: str, password: str = PASSWORD, **fields):
    """Log in through the login form (with `fields` such as `next`); a professional or an admin then
    passes the second factor as a person with the app would (setting it up at the first login)."""
    response = client.post("/login", data={"login": login_name, "password": password,
                                           "csrf_token": csrf_token(client, "/login"), **fields})
    if response.status_code == 303 and response.headers["Location"] in (SECOND_STEP, SET_UP):
        response = second_step(client, client.get(response.headers["Location"]), login_name)
    elif response.status_code == 200 and SECOND_STEP_FORM.search(response.get_data(as_text=True)):
        response = second_step(client, response, login_name)  # the second step came at once (much carried)
    else:
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


SECOND_STEP, SET_UP = "/login/code", "/login/set-up"
SECOND_STEP_FORM = re.compile(r'<form method="post" action="(/login/code|/login/set-up)"')
SECRET = re.compile(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<')
CARRIED = re.compile(r'name="carried" value="([^"]+)"')


def next_step(last_step: int | None = None) -> int:
    """The time step (30 s) of the next code to type: now's, or the one after if now's was used (the
    login accepts the step after now as well, and each step once)."""
    now = int(time.time()) // 30
    step = max(now, (last_step or 0) + 1)
    if step > now + 1:  # more logins in half a minute than the window holds: wait for the next step
        time.sleep(30 - time.time() % 30 + 0.1)
    return step


def one_time_code(secret: str, last_step: int | None = None) -> str:
    """The code an app with `secret` shows, for the step `next_step` chooses."""
    return pyotp.TOTP(secret).at(next_step(last_step) * 30)


def second_step(client, shown, login_name: str):
    """The second step of a login on the page `shown`: set the app up (reading the key off the page)
    or type its code; with what the page carries (`next`, the kept form) sent along."""
    html = shown.get_data(as_text=True)
    form = {"csrf_token": CSRF.search(html).group(1)}
    if CARRIED.search(html):
        form["carried"] = unescape(CARRIED.search(html).group(1))
    if SECOND_STEP_FORM.search(html).group(1) == SET_UP:
        secret = SECRET.search(html).group(1).replace(" ", "")
        codes = client.post(SET_UP, data={**form, "code": one_time_code(secret)})
        assert codes.status_code == 200, codes.get_data(as_text=True)[:500]
        response = client.post("/login/set-up/done", data=form)
    else:
        with client.application.app_context():
            user = db.session.scalar(select(User).where(User.email == login_name.strip().lower()))
            code = one_time_code(user.totp_secret, user.totp_last_step)
            db.session.remove()
        response = client.post(SECOND_STEP, data={**form, "code": code})
    assert response.status_code in (200, 303), response.get_data(as_text=True)[:500]
    return response


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST a form the way a browser does: with the page's CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


HTMX = {"HX-Request": "true"}  # the header every request htmx sends


def as_user(app, user_id: int):
    """Another browser (or device), logged in as `user_id`."""
    from tests.helpers import sign_in

    other = app.test_client()
    sign_in(other, user_id)
    return other


@pytest.fixture()
def demo_meeting(app) -> dict:
    """The demo loaded; the ids of Kari, Ola and his pathway, and the care team meeting next week that Ola
    and his mother prepared for: its id, start and before-the-meeting page."""
    from demo import load_demo_data
    from pathways.models import Meeting, MeetingKind

    with app.app_context():
        load_demo_data()
        db.session.commit()
        kari = db.session.scalar(select(User.id).where(User.email == "kari@bup.demo"))
        ola = db.session.scalar(select(User.id).where(User.username == "ola"))
        pathway = db.session.scalar(select(Pathway.id).join(YoungPerson).where(YoungPerson.user_id == ola))
        meeting, starts_at = db.session.execute(select(Meeting.id, Meeting.starts_at).where(
            Meeting.pathway_id == pathway, Meeting.kind == MeetingKind.CARE_TEAM)).first()
    return {"kari": kari, "ola": ola, "pathway": pathway, "meeting": meeting, "starts_at": starts_at,
            "url": f"/pathways/{pathway}/meetings/{meeting}"}


@pytest.fixture()
def kari(client, cast):
    """The test client, logged in as Kari (BUP Test), coordinator of pathway A."""
    from tests.helpers import sign_in

    sign_in(client, cast.kari)
    return client


@pytest.fixture()
def auth(client):
    class Auth:
        def login(self, login_name, password=PASSWORD):
            return login(client, login_name, password)

        def logout(self):
            return post(client, "/logout")

    return Auth()
