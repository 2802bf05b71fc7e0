"""Saving while typing is one protocol (youth/autosave.py) for statements and preparations: the same
status line, the same answer to a stale revision, the same refusal, double tap and unchanged save."""
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from pathways.models import Meeting, Pathway
from tests.conftest import HTMX, as_user, post
from tests.helpers import count, page, sign_in, translated
from tests.pathways.test_meetings import make_meeting
from youth import preparation_services, services
from youth.autosave import Outcome
from youth.models import Preparation, PreparationVersion, Prompt, Sharing, Statement, StatementVersion


@dataclass
class Kind:
    """One kind of entry that saves itself: where its form posts, and a valid form of it."""

    url: str
    words: str  # a text field of the form
    form: dict
    version: type

    def data(self, text: str, revision: int) -> dict:
        return {**self.form, self.words: text, "revision": str(revision)}


def make_kinds(app, client, cast) -> list[Kind]:
    """Ola's statement and his preparation for a meeting, each saved once (revision 1) with "Først"."""
    with app.app_context():
        statement, _ = services.create_or_update_statement(
            db.session.get(User, cast.ola), db.session.get(Pathway, cast.pathway_a),
            services.StatementData(Prompt.HARD, "Først", Sharing.TEAM))
        statement_url = f"/my/statements/{statement.id}"
    meeting = make_meeting(app, cast.pathway_a, cast.kari)
    kinds = [Kind(statement_url, "text", {"prompt": "hard", "sharing": "team"}, StatementVersion),
             Kind(f"/my/meetings/{meeting}/prepare", "talk_about", {"sharing": "team"}, PreparationVersion)]
    sign_in(client, cast.ola)
    assert post(client, kinds[1].url, kinds[1].data("Først", 0)).status_code == 303
    return kinds


@pytest.fixture()
def both(app, client, cast) -> list[Kind]:
    return make_kinds(app, client, cast)


@pytest.fixture(params=[0, 1], ids=["statement", "preparation"])
def kind(request, both) -> Kind:
    return both[request.param]


def skeleton(node) -> list:
    """The elements the protocol puts around each kind's own fields, with their ids, classes and roles."""
    return [(n.tag, n.get("id"), n.get("class"), n.get("role")) for n in node.iter()
            if n.tag in ("div", "section", "form", "h2", "h3", "button")]


def answers(client, kinds, text, revision, headers=HTMX):
    return [post(client, kind.url, kind.data(text, revision), headers=headers) for kind in kinds]


def test_both_forms_answer_an_autosave_with_the_same_status_line(app, client, both):
    """The same fragment, word for word: "Saved hh:mm" and revision 2 out of band; nothing else."""
    replies = answers(client, both, "Andre", 1)
    assert len({re.sub(r"\d\d:\d\d", "hh:mm", r.get_data(as_text=True)) for r in replies}) == 1
    reply = replies[0]
    assert reply.status_code == 200 and "X-Autosave" not in reply.headers and "HX-Request" in reply.headers["Vary"]
    assert re.fullmatch(translated(app, "Saved %(time)s", time=r"\d\d:\d\d"), page(reply).text())
    revision = page(reply).by_id("revision")
    assert (revision["value"], revision["hx-swap-oob"]) == ("2", "true")


def test_both_forms_answer_a_stale_revision_with_the_same_choice(app, client, cast, both):
    """Another device saved revision 2; this one, still at 1, sends other words: nothing is stored,
    and both forms answer alike: for htmx the choice replaces the form, without JavaScript 409."""
    phone = as_user(app, cast.ola)
    for kind in both:
        assert post(phone, kind.url, kind.data("Frå telefonen", 1)).status_code == 303
    versions = [count(app, kind.version) for kind in both]
    replies = answers(client, both, "Frå PC-en", 1)
    for reply in replies:
        assert reply.status_code == 200
        assert {h: reply.headers.get(h) for h in ("HX-Retarget", "HX-Reswap", "X-Autosave")} == {
            "HX-Retarget": "#autosave-editor", "HX-Reswap": "outerHTML", "X-Autosave": "not-saved"}
        editor = page(reply).by_id("autosave-editor")
        assert "Frå PC-en" in editor.text() and "Frå telefonen" in editor.text()
        assert [f.find("input", name="revision")["value"] for f in editor.find_all("form")] == ["2", "2"]
    choices = [skeleton(page(reply).by_id("autosave-editor")) for reply in replies]
    assert choices[0] == choices[1] and ("div", None, "conflict", None) in choices[0]
    full = answers(client, both, "Frå PC-en", 1, headers={})
    assert [r.status_code for r in full] == [409, 409]
    assert [skeleton(page(reply).by_id("autosave-editor")) for reply in full] == choices
    assert [count(app, kind.version) for kind in both] == versions


def test_both_forms_refuse_bad_input_in_the_status_line(app, client, both):
    replies = [post(client, both[0].url, both[0].data("", 1), headers=HTMX),
               post(client, both[1].url, {**both[1].data("x", 1), "questions": "x" * 1001}, headers=HTMX)]
    prefix = translated(app, "Not saved: %(reason)s", reason="")
    for reply in replies:
        assert reply.status_code == 200 and reply.headers["X-Autosave"] == "not-saved"
        assert page(reply).text().startswith(prefix.strip()) and page(reply).find(id="revision") is None


def test_the_same_form_sent_twice_stores_once(app, client, kind):
    """A double tap, or the autosave and then the Save button: the second save changes nothing."""
    first, second = (post(client, kind.url, kind.data("Andre", 1), headers=HTMX) for _ in range(2))
    assert page(first).by_id("revision")["value"] == page(second).by_id("revision")["value"] == "2"
    assert "X-Autosave" not in second.headers
    assert count(app, kind.version) == 2


def test_a_stale_revision_with_the_same_words_is_no_conflict(app, client, cast, kind):
    assert post(as_user(app, cast.ola), kind.url, kind.data("Andre", 1)).status_code == 303
    assert post(client, kind.url, kind.data("Andre", 1)).status_code == 303
    assert count(app, kind.version) == 2


def first_lookup_misses(monkeypatch, module, name):
    """The twin of a double tap looked before the first save committed: it found nothing."""
    real, calls = getattr(module, name), []

    def lookup(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(module, name, lookup)


def test_a_double_tap_that_meets_the_unique_constraint_compares_with_the_first(app, cast, monkeypatch):
    """Both first saves of one form insert at once: the database refuses the second insert, which
    then finds the first one's entry and stores nothing more. The same for both kinds."""
    meeting_id = make_meeting(app, cast.pathway_a, cast.kari)
    with app.test_request_context():
        ola, pathway = db.session.get(User, cast.ola), db.session.get(Pathway, cast.pathway_a)
        meeting = db.session.get(Meeting, meeting_id)
        data = services.StatementData(Prompt.HARD, "Skulen", Sharing.TEAM)
        saves = [lambda: services.create_or_update_statement(ola, pathway, data, client_key="k" * 20),
                 lambda: preparation_services.save_preparation(ola, meeting, {"talk_about": "Skulen"}, Sharing.TEAM,
                                                               False, 0)]
        for save in saves:
            assert save().outcome == Outcome.SAVED
        first_lookup_misses(monkeypatch, services, "_statement_by_client_key")
        first_lookup_misses(monkeypatch, preparation_services, "own_preparation")
        assert [save().outcome for save in saves] == [Outcome.UNCHANGED, Outcome.UNCHANGED]
        assert [len(db.session.scalars(select(model)).all()) for model in (Statement, StatementVersion,
                                                                        Preparation, PreparationVersion)] == [1] * 4


def test_an_autosave_computes_only_what_it_sends_back(app, client, cast, kind, monkeypatch):
    """The status line and the choice need neither the list of statements, nor who read them, nor
    the family's other preparations: only a whole page does."""
    def not_now(*args):
        raise AssertionError("computed for an autosave")

    for module, name in ((services, "visible_statements"), (services, "statement_readers"),
                         (preparation_services, "others_preparations")):
        monkeypatch.setattr(module, name, not_now)
    assert post(client, kind.url, kind.data("Andre", 1), headers=HTMX).status_code == 200
    assert post(client, kind.url, kind.data("Tredje", 1), headers=HTMX).headers["HX-Retarget"] == "#autosave-editor"
    new = post(client, f"/my/pathways/{cast.pathway_a}/statements/new",
               {"prompt": "hard", "text": "Ny", "sharing": "team", "client_key": "n" * 20, "revision": "0"},
               headers=HTMX)
    assert new.status_code == 200 and "X-Autosave" not in new.headers
