"""The person's own copy (issue 20, acceptance 2): the young person, and a parent within the age
rules, download everything Stemme holds about them that they may see, as a file to read and as
JSON; every download is recorded."""
import pytest
from sqlalchemy import select

from accounts.models import AccountEvent, AccountEventKind, User
from core.extensions import db
from pathways.models import AccessLog, InputKind, Pathway
from tests.conftest import as_user
from tests.helpers import counting_queries, page, translated
from youth import services
from youth.models import Prompt, Sharing, Statement

TEAM_ONLY = "Eg har kjærast, men det vil eg ikkje at foreldra mine skal vite"  # Ola, 15: not for his parents
SHARED = "Eg likar å spele fotball med vennene mine"
EDITED = "Eg likar å spele fotball og handball med vennene mine"
DRAFT = "Eit utkast berre for meg"
SUMMER = "det som skjedde i sommar"  # in Ola's preparation, for the team only
EMMA = "Eg har ei god venninne i klassen"  # another family


def _user_id(app, username):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def _save(app, user_id, pathway_id, text, sharing, *, statement_text=None):
    """Save a statement as its author would (a new one, or a new version of `statement_text`)."""
    with app.app_context():
        author = db.session.get(User, user_id)
        pathway = db.session.get(Pathway, pathway_id)
        statement = None
        if statement_text is not None:
            statement = db.session.scalar(select(Statement).where(Statement.text == statement_text))
        services.create_or_update_statement(
            author, pathway, services.StatementData(Prompt.GOES_WELL, text, sharing), statement=statement,
            base_revision=statement.revision if statement else 0)


@pytest.fixture()
def family(app, demo_meeting):
    """The demo, with a second version of one of Ola's statements, a draft of his, and Kari's reads
    of his pathway page and of the care team meeting's page."""
    ola, pathway = demo_meeting["ola"], demo_meeting["pathway"]
    _save(app, ola, pathway, EDITED, Sharing.FAMILY, statement_text=SHARED)
    _save(app, ola, pathway, DRAFT, Sharing.PRIVATE)
    kari = as_user(app, demo_meeting["kari"])
    assert kari.get(f"/pathways/{pathway}").status_code == 200
    assert kari.get(demo_meeting["url"]).status_code == 200
    return demo_meeting | {"mother": _user_id(app, "mor.ola")}


def _json(client):
    response = client.get("/my/copy.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="stemme-kopi-')
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json(), response.get_data(as_text=True)


def _html(client):
    response = client.get("/my/copy.html")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="stemme-kopi-')
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def _downloads(app, user_id):
    with app.app_context():
        return db.session.scalar(select(db.func.count()).select_from(AccountEvent).where(
            AccountEvent.user_id == user_id, AccountEvent.kind == AccountEventKind.COPY_DOWNLOADED))


def test_ola_gets_every_version_and_every_read(app, family):
    """Ola's copy holds each version of his statements, his draft, his preparation, and Kari's reads."""
    ola = as_user(app, family["ola"])
    copy, raw = _json(ola)
    own = {s["text"]: s for s in copy["statements"] if s["own"]}
    assert [v["text"] for v in own[EDITED]["versions"]] == [SHARED, EDITED]
    assert [v["revision"] for v in own[EDITED]["versions"]] == [1, 2]
    assert own[DRAFT]["sharing"] == "private" and TEAM_ONLY in own
    assert any(a["answer"] == SUMMER for p in copy["preparations"] if p["own"] for a in p["answers"])
    with app.app_context():
        logged = set(db.session.execute(select(AccessLog.item_kind, AccessLog.item_id).where(
            AccessLog.author_id == family["ola"], AccessLog.reader_id == family["kari"])).all())
        kari_name = db.session.get(User, family["kari"]).name
    assert (InputKind.STATEMENT, own[TEAM_ONLY]["id"]) in logged
    read_items = {(r["item_kind"], r["item_id"]) for r in copy["reads"] if r["reader"] == kari_name}
    assert read_items == {(kind.value, item_id) for kind, item_id in logged}
    assert ("statement", own[EDITED]["id"]) in read_items
    assert {c["sharing"] for c in copy["sharing_changes"] if c["item_id"] == own[DRAFT]["id"]} == {"private"}
    assert EMMA not in raw

    html = _html(ola)
    text = page(ola.get("/my/copy.html")).text()  # what a person reads in it
    for wanted in (SHARED, EDITED, DRAFT, TEAM_ONLY, SUMMER, kari_name):
        assert wanted in text
    assert EMMA not in text
    # One file to keep: no scripts, no links or styles from elsewhere.
    assert "<script" not in html and "<link" not in html and "http" not in html and "src=" not in html
    assert translated(app, "Everything Stemme has about %(name)s", "nb", name="Ola Nordvik") in html
    assert _downloads(app, family["ola"]) == 3


def test_mother_gets_only_what_ola_shares_with_his_parents(app, family):
    """Ola is 15: his mother's copy has her own input and what he shared with his parents, never
    what he keeps from them, nor his drafts, nor his preparation for the team."""
    mother = as_user(app, family["mother"])
    copy, raw = _json(mother)
    child = [s["text"] for s in copy["statements"] if not s["own"]]
    assert EDITED in child
    assert "Eg søv dårleg og gruar meg til skulen" in child
    for hidden in (TEAM_ONLY, DRAFT, SUMMER, SHARED, EMMA):  # SHARED: an old version is Ola's alone
        assert hidden not in raw
    assert any(a["answer"] == "Korleis vi kan hjelpe Ola med å sove betre"
               for p in copy["preparations"] if p["own"] for a in p["answers"])
    with app.app_context():  # the reads of her own input, not of Ola's
        logged = {(kind.value, item_id) for kind, item_id in db.session.execute(
            select(AccessLog.item_kind, AccessLog.item_id).where(AccessLog.author_id == family["mother"]))}
    assert ("preparation", next(p["id"] for p in copy["preparations"] if p["own"])) in logged
    assert {(r["item_kind"], r["item_id"]) for r in copy["reads"]} == logged
    html = _html(mother)
    for hidden in (TEAM_ONLY, DRAFT, SUMMER, EMMA):
        assert hidden not in html
    assert EDITED in html
    assert _downloads(app, family["mother"]) == 2 and _downloads(app, family["ola"]) == 0


def test_the_page_says_what_is_in_it(app, family):
    """The page lists what the copy holds, links both files, and is linked from the home page."""
    mother = as_user(app, family["mother"])
    shown = page(mother.get("/my/copy"))
    links = [a.attrs.get("href") for a in shown.find_all("a")]
    assert "/my/copy.html" in links and "/my/copy.json" in links
    assert "Ola Nordvik" in shown.text()
    assert _downloads(app, family["mother"]) == 0  # the page is not a download
    home = page(as_user(app, family["ola"]).get("/me"))
    assert "/my/copy" in [a.attrs.get("href") for a in home.find_all("a")]


def test_a_download_runs_a_fixed_number_of_queries(app, family):
    """The same number of SQL statements with more versions, reads and statements."""
    ola = as_user(app, family["ola"])
    with counting_queries(app) as small:
        _json(ola)
    for n in range(5):
        _save(app, family["ola"], family["pathway"], f"Ny tekst {n}", Sharing.FAMILY)
        _save(app, family["ola"], family["pathway"], f"Endra tekst {n}", Sharing.TEAM, statement_text=f"Ny tekst {n}")
    kari = as_user(app, family["kari"])
    for _ in range(3):
        kari.get(f"/pathways/{family['pathway']}")
    with counting_queries(app) as large:
        copy, _raw = _json(ola)
    assert len(copy["reads"]) > 10
    assert len(large) == len(small)
