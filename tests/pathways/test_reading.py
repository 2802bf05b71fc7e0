"""The professional's reading side: the pathway timeline, the before-the-meeting page, the access log
of every read with "changed since you last read" marks, and withholding for weighty reasons."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from access.log import log_reads
from accounts.models import Role, YoungPerson
from core.extensions import db
from pathways.models import AccessLog, InputKind, PathwayVisit
from tests.conftest import as_user, post
from tests.helpers import count, field_error, page, sign_in, translated
from tests.pathways import reading_data as data
from tests.pathways.reading_data import last_reads
from youth.models import Statement, VisibilityChange, VisibilityKind

T0 = data.T0



def timeline(response):
    """The timeline items' texts, in page order."""
    assert response.status_code == 200
    return [li.text() for li in page(response).find("ol", class_="timeline").find_all("li", class_="timeline-item")]


def item(response, key):
    return page(response).by_id(key).text()


def reads(app, reader_id, kind=None):
    """(kind, item id) of every logged read by `reader_id`, in order."""
    with app.app_context():
        query = select(AccessLog.item_kind, AccessLog.item_id).where(AccessLog.reader_id == reader_id)
        if kind:
            query = query.where(AccessLog.item_kind == kind)
        return [tuple(row) for row in db.session.execute(query.order_by(AccessLog.id))]


def touch(app, statement_id, text, when):
    """The author changed the statement at `when`."""
    with app.app_context():
        db.session.execute(update(Statement).where(Statement.id == statement_id).values(text=text, updated_at=when))
        db.session.commit()


def set_birth_date(app, young_person_id, years_old):
    today = date.today()
    with app.app_context():
        db.session.get(YoungPerson, young_person_id).birth_date = today.replace(year=today.year - years_old, day=1)
        db.session.commit()


def t(app, message, **variables):
    return translated(app, message, **variables)


# --- the pathway page's timeline ------------------------------------------------------------------

def test_timeline_shows_the_familys_input_meetings_and_agreements_newest_first(app, kari, cast):
    """Statements (young person's and parent's), meetings, preparations and agreements, newest first."""
    ola_says = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg", at=T0 + timedelta(days=2))
    mother_says = data.statement(app, cast.pathway_a, cast.mother_a, "Han er trøytt om morgonen",
                                 role=Role.PARENT, prompt=data.Prompt.KNOW_ABOUT_ME, at=T0 + timedelta(days=1))
    last = data.meeting(app, cast.pathway_a, cast.kari, T0 - timedelta(days=20))
    coming = data.meeting(app, cast.pathway_a, cast.kari, T0 + timedelta(days=10))
    data.preparation(app, coming, cast.pathway_a, cast.ola, talk_about="skulen", at=T0 + timedelta(days=3))
    data.agreement(app, last, cast.pathway_a, cast.kari, "Kari ringer skulen", at=T0 - timedelta(days=19))

    response = kari.get(f"/pathways/{cast.pathway_a}")
    items = timeline(response)
    assert len(items) == 6
    assert t(app, "Care team meeting") in items[0]  # the coming meeting: latest in time
    assert t(app, "%(name)s prepared for a meeting", name="Ola Nordvik") in items[1]
    assert "Eg søv dårleg" in items[2] and t(app, "What is hard") in items[2]
    assert "Han er trøytt om morgonen" in items[3] and "Randi Nordvik" in items[3]
    assert t(app, "What you must know about me") in items[3]
    assert "Kari ringer skulen" in items[4]
    assert t(app, "Care team meeting") in items[5]
    links = {a["href"] for a in page(response).find("ol", class_="timeline").find_all("a")}
    assert f"/pathways/{cast.pathway_a}/meetings/{coming}" in links
    assert f"/pathways/{cast.pathway_a}/meetings/{last}" in links
    assert f"/pathways/{cast.pathway_a}/meetings/{last}/agreements" in links
    assert f"/pathways/{cast.pathway_a}/meetings/new" in {a["href"] for a in page(response).find_all("a")}
    # Only the statements' words are on this page: only they are logged as read.
    assert sorted(reads(app, cast.kari)) == sorted([(InputKind.STATEMENT, ola_says), (InputKind.STATEMENT, mother_says)])


def test_timeline_leaves_out_drafts_and_removed_statements(app, kari, cast):
    """Drafts ("only me") and removed statements never reach the team, and their reading is not logged."""
    shown = data.statement(app, cast.pathway_a, cast.ola, "Det går bra med fotball")
    data.statement(app, cast.pathway_a, cast.ola, "Eit utkast eg ikkje vil dele", sharing=data.Sharing.PRIVATE)
    data.statement(app, cast.pathway_a, cast.ola, "Dette tok eg bort", removed=True)
    meeting = data.meeting(app, cast.pathway_a, cast.kari, T0 + timedelta(days=3))
    data.preparation(app, meeting, cast.pathway_a, cast.mother_a, role=Role.PARENT, sharing=data.Sharing.PRIVATE,
                     talk_about="Mors utkast")

    body = kari.get(f"/pathways/{cast.pathway_a}").get_data(as_text=True)
    assert "Det går bra med fotball" in body
    assert "Eit utkast eg ikkje vil dele" not in body
    assert "Dette tok eg bort" not in body
    assert t(app, "%(name)s prepared for a meeting", name="Randi Nordvik") not in body
    assert reads(app, cast.kari) == [(InputKind.STATEMENT, shown)]


def test_new_since_your_last_visit_marks_only_what_came_after(app, kari, cast):
    """First visit: nothing is marked (all would be). Next visit: nothing, until something new is written."""
    data.statement(app, cast.pathway_a, cast.ola, "Gamal tekst", at=datetime.now(timezone.utc) - timedelta(days=1))
    new_mark = t(app, "New since your last visit")

    first = timeline(kari.get(f"/pathways/{cast.pathway_a}"))
    assert first and not any(new_mark in text for text in first)
    with app.app_context():
        assert db.session.get(PathwayVisit, (cast.pathway_a, cast.kari)) is not None

    second = timeline(kari.get(f"/pathways/{cast.pathway_a}"))
    assert not any(new_mark in text for text in second)

    data.statement(app, cast.pathway_a, cast.ola, "Ny tekst", at=datetime.now(timezone.utc) + timedelta(seconds=1))
    third = timeline(kari.get(f"/pathways/{cast.pathway_a}"))
    assert [new_mark in text for text in third] == [True, False]
    assert "Ny tekst" in third[0]
    # Per's visits are his own: this is his first, so nothing is marked for him.
    per = timeline(as_user(app, cast.per).get(f"/pathways/{cast.pathway_a}"))
    assert per and not any(new_mark in text for text in per)


def test_changed_since_you_last_read(app, kari, cast):
    """The mark appears when the statement changed after the reader's last read, and goes once read."""
    statement = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg", at=T0)
    changed = t(app, "Changed since you last read")
    url = f"/pathways/{cast.pathway_a}"

    assert changed not in item(kari.get(url), f"statement-{statement}")  # never read: new, not "changed"
    assert changed not in item(kari.get(url), f"statement-{statement}")
    touch(app, statement, "Eg søv litt betre no", datetime.now(timezone.utc))  # after the last read
    text = item(kari.get(url), f"statement-{statement}")
    assert changed in text and "Eg søv litt betre no" in text
    assert changed not in item(kari.get(url), f"statement-{statement}")
    # Per has read it once, after the change: no mark for him.
    per = as_user(app, cast.per)
    per.get(url)
    assert changed not in item(per.get(url), f"statement-{statement}")
    assert len(reads(app, cast.kari)) == 4 and len(reads(app, cast.per)) == 2


def test_every_read_is_logged_with_the_readers_services(app, kari, cast):
    statement = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg")
    kari.get(f"/pathways/{cast.pathway_a}")
    with app.app_context():
        row = db.session.scalar(select(AccessLog))
        assert (row.reader_id, row.reader_services, row.pathway_id, row.item_kind, row.item_id, row.author_id) == (
            cast.kari, "BUP Test", cast.pathway_a, InputKind.STATEMENT, statement, cast.ola)


def test_log_reads_is_one_insert_and_last_reads_gives_the_latest(app, cast):
    """log_reads writes all rows at once; last_reads answers per entry, for this reader only."""
    from sqlalchemy import event

    from accounts.models import User
    from pathways.models import Pathway

    first = data.statement(app, cast.pathway_a, cast.ola, "Ein")
    second = data.statement(app, cast.pathway_a, cast.ola, "To")
    with app.test_request_context():
        kari, per = db.session.get(User, cast.kari), db.session.get(User, cast.per)
        pathway = db.session.get(Pathway, cast.pathway_a)
        kari.service_names  # noqa: B018 - load the services before counting
        inserts = []

        def count_inserts(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("INSERT INTO ACCESS_LOG"):
                inserts.append(executemany)

        event.listen(db.engine, "before_cursor_execute", count_inserts)
        try:
            log_reads(kari, pathway, [(InputKind.STATEMENT, first, cast.ola), (InputKind.STATEMENT, second, cast.ola)])
        finally:
            event.remove(db.engine, "before_cursor_execute", count_inserts)
        assert len(inserts) == 1
        entries = [(InputKind.STATEMENT, first, cast.ola), (InputKind.STATEMENT, second, cast.ola),
                   (InputKind.PREPARATION, first, cast.ola)]
        found = last_reads(kari, entries)
        assert set(found) == {(InputKind.STATEMENT, first), (InputKind.STATEMENT, second)}
        assert all(isinstance(at, datetime) and at.tzinfo for at in found.values())
        assert last_reads(per, entries) == {}
    assert count(app, AccessLog) == 2


def test_a_professional_not_on_the_team_gets_404(app, cast):
    meeting = data.meeting(app, cast.pathway_a, cast.kari, T0)
    data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg")
    lise = as_user(app, cast.lise)
    assert lise.get(f"/pathways/{cast.pathway_a}").status_code == 404
    assert lise.get(f"/pathways/{cast.pathway_a}/meetings/{meeting}").status_code == 404
    assert reads(app, cast.lise) == []


# --- the before-the-meeting page --------------------------------------------------------------------

@pytest.fixture()
def meeting_setup(app, cast):
    """A care team meeting on Ola's pathway after an earlier one with agreements."""
    earlier = data.meeting(app, cast.pathway_a, cast.kari, datetime(2026, 2, 10, 12, 0, tzinfo=timezone.utc))
    meeting = data.meeting(app, cast.pathway_a, cast.kari, datetime(2026, 3, 12, 13, 3, tzinfo=timezone.utc),
                           place="BUP Molde, rom 3", purpose="Snakke om skule og søvn", invitees=[cast.per, cast.kari])
    ola_prep = data.preparation(app, meeting, cast.pathway_a, cast.ola, talk_about="skulen og søvn",
                                not_while_present="det som skjedde i sommar",
                                participation=data.Participation.PART)
    mother_prep = data.preparation(app, meeting, cast.pathway_a, cast.mother_a, role=Role.PARENT,
                                   talk_about="Korleis vi kan hjelpe med lekser")
    old = data.statement(app, cast.pathway_a, cast.ola, "Eg likar fotball", prompt=data.Prompt.GOES_WELL,
                         at=datetime(2026, 1, 5, tzinfo=timezone.utc))
    new = data.statement(app, cast.pathway_a, cast.ola, "Eg gruar meg til skulen",
                         at=datetime(2026, 1, 5, tzinfo=timezone.utc), updated_at=datetime(2026, 3, 1, tzinfo=timezone.utc))
    mothers = data.statement(app, cast.pathway_a, cast.mother_a, "Mor sitt utsegn", role=Role.PARENT)
    data.agreement(app, earlier, cast.pathway_a, cast.kari, "Kari ringer skulen", who="Kari",
                   answers=[(cast.ola, data.AnswerKind.QUESTION, "Kva skal du seie?"),
                            (cast.mother_a, data.AnswerKind.AGREE, None)])
    return {"earlier": earlier, "meeting": meeting, "ola_prep": ola_prep, "mother_prep": mother_prep,
            "old": old, "new": new, "mothers": mothers,
            "url": f"/pathways/{cast.pathway_a}/meetings/{meeting}"}


def test_before_the_meeting_page_shows_the_meeting_and_both_preparations_side_by_side(app, kari, cast, meeting_setup):
    response = kari.get(meeting_setup["url"])
    assert response.status_code == 200
    body = page(response)
    assert len(body.find_all("h1")) == 1
    facts = body.find("dl", class_="meeting-facts").text()
    assert "14:03" in facts  # 13:03 UTC is 14:03 in Oslo in March
    assert "BUP Molde, rom 3" in facts and "Snakke om skule og søvn" in facts
    assert "Per Hansen, Skulehelse Test" in facts and "Randi Nordvik" in facts and "Ola Nordvik" in facts

    columns = body.find("div", class_="prep-columns").find_all("div", class_="prep-column")
    assert len(columns) == 2
    young, parents = columns[0].text(), columns[1].text()
    assert "Ola Nordvik" in young and "skulen og søvn" in young and "det som skjedde i sommar" in young
    assert t(app, "What I do not want talked about while I am there") in young
    assert t(app, "I take part in part of the meeting") in young
    assert "Randi Nordvik" in parents and "Korleis vi kan hjelpe med lekser" in parents
    terms = [dt.text() for dt in columns[0].find_all("dt")]
    assert terms[0] == t(app, "What I want to talk about")
    # Each parent answered their own questions.
    assert t(app, "What should not be talked about while my child is there") in parents
    assert f"/pathways/{cast.pathway_a}/meetings/{meeting_setup['meeting']}/agreements" in {
        a["href"] for a in body.find_all("a")}


def test_before_the_meeting_page_marks_statements_changed_since_the_last_meeting(app, kari, cast, meeting_setup):
    response = kari.get(meeting_setup["url"])
    since_meeting = t(app, "Changed since the last meeting")
    assert since_meeting in item(response, f"statement-{meeting_setup['new']}")
    assert since_meeting not in item(response, f"statement-{meeting_setup['old']}")
    # The young person's statements only; the parent's are on the pathway page.
    assert "Mor sitt utsegn" not in response.get_data(as_text=True)


def test_before_the_meeting_page_shows_the_last_meetings_agreements_with_answers(app, kari, meeting_setup):
    section = page(kari.get(meeting_setup["url"])).by_id("agreements-heading").parent.text()
    assert "Kari ringer skulen" in section
    assert "Ola Nordvik: " + t(app, "I have a question") in section and "Kva skal du seie?" in section
    assert "Randi Nordvik: " + t(app, "I agree") in section


def test_before_the_meeting_page_logs_every_preparation_and_statement_shown(app, kari, cast, meeting_setup):
    from pathways.models import AgreementAnswer

    kari.get(meeting_setup["url"])
    with app.app_context():  # the family's answers to the last meeting's agreements, shown on the page
        answers = [(InputKind.ANSWER, a) for a in db.session.scalars(select(AgreementAnswer.id))]
    assert answers
    assert sorted(reads(app, cast.kari)) == sorted([
        (InputKind.PREPARATION, meeting_setup["ola_prep"]), (InputKind.PREPARATION, meeting_setup["mother_prep"]),
        (InputKind.STATEMENT, meeting_setup["old"]), (InputKind.STATEMENT, meeting_setup["new"]), *answers,
    ])


def test_before_the_meeting_page_marks_a_preparation_changed_since_you_last_read(app, kari, meeting_setup):
    changed = t(app, "Changed since you last read")
    kari.get(meeting_setup["url"])
    assert changed not in page(kari.get(meeting_setup["url"])).find("div", class_="prep-columns").text()
    from youth.models import Preparation

    with app.app_context():
        db.session.execute(update(Preparation).where(Preparation.id == meeting_setup["ola_prep"])
                           .values(talk_about="berre skulen", updated_at=datetime.now(timezone.utc)))
        db.session.commit()
    columns = page(kari.get(meeting_setup["url"])).find("div", class_="prep-columns").find_all("div", class_="prep-column")
    assert changed in columns[0].text() and "berre skulen" in columns[0].text()
    assert changed not in columns[1].text()


def test_a_draft_preparation_reads_not_prepared_yet(app, kari, cast, meeting_setup):
    """A parent's draft is not shown nor logged; the column says "not prepared yet"."""
    from youth.models import Preparation

    with app.app_context():
        db.session.execute(update(Preparation).where(Preparation.id == meeting_setup["mother_prep"])
                           .values(sharing=data.Sharing.PRIVATE))
        db.session.commit()
    response = kari.get(meeting_setup["url"])
    parents = page(response).find("div", class_="prep-columns").find_all("div", class_="prep-column")[1].text()
    assert t(app, "Not prepared yet.") in parents
    assert "Korleis vi kan hjelpe med lekser" not in response.get_data(as_text=True)
    assert (InputKind.PREPARATION, meeting_setup["mother_prep"]) not in reads(app, cast.kari)


def test_first_meeting_has_no_earlier_agreements_and_nobody_prepared(app, kari, cast):
    meeting = data.meeting(app, cast.pathway_a, cast.kari, T0)
    response = kari.get(f"/pathways/{cast.pathway_a}/meetings/{meeting}")
    text = page(response).by_id("main").text()
    assert t(app, "There was no meeting before this one.") in text
    assert text.count(t(app, "Not prepared yet.")) == 2  # Ola and his mother


def test_a_meeting_of_another_pathway_is_404(app, kari, cast):
    """The meeting must belong to the pathway in the address."""
    other = data.meeting(app, cast.pathway_b, cast.lise, T0)
    assert kari.get(f"/pathways/{cast.pathway_a}/meetings/{other}").status_code == 404
    assert kari.get(f"/pathways/{cast.pathway_a}/meetings/999999").status_code == 404


def test_before_the_meeting_page_prints_side_by_side(app):
    """The print stylesheet keeps the two columns and hides the page's furniture."""
    from pathlib import Path

    css = (Path(app.root_path) / "static/css/stemme.css").read_text()
    print_rules = css[css.index("@media print"):]
    assert ".prep-columns" in print_rules and "grid-template-columns" in print_rules
    assert "@page" in print_rules and "A4" in print_rules


# --- weighty reasons ---------------------------------------------------------------------------------

def test_withholding_for_a_child_under_twelve_records_who_when_and_why(app, cast):
    """Lise withholds Emma's (11) statement from her father, with a reason; then lifts it."""
    statement = data.statement(app, cast.pathway_b, cast.emma, "Eg er redd for pappa")
    lise = as_user(app, cast.lise)
    url = f"/pathways/{cast.pathway_b}/input/statement/{statement}"

    response = post(lise, url + "/withhold", {"reason": "Barnet sin tryggleik"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pathways/{cast.pathway_b}#statement-{statement}"
    with app.app_context():
        row = db.session.get(Statement, statement)
        assert (row.withheld_by_id, row.withheld_reason) == (cast.lise, "Barnet sin tryggleik")
        assert row.withheld_at is not None
        change = db.session.scalar(select(VisibilityChange))
        assert (change.item_kind, change.item_id, change.kind, change.reason, change.by_id) == (
            InputKind.STATEMENT, statement, VisibilityKind.WITHHELD, "Barnet sin tryggleik", cast.lise)
    shown = item(lise.get(f"/pathways/{cast.pathway_b}"), f"statement-{statement}")
    assert t(app, "Withheld from the parents") in shown and "Barnet sin tryggleik" in shown

    assert post(lise, url + "/release").status_code == 303
    with app.app_context():
        row = db.session.get(Statement, statement)
        assert (row.withheld_at, row.withheld_by_id, row.withheld_reason) == (None, None, None)
        kinds = list(db.session.scalars(select(VisibilityChange.kind).order_by(VisibilityChange.id)))
        assert kinds == [VisibilityKind.WITHHELD, VisibilityKind.RELEASED]


def test_withholding_hides_the_entry_from_the_parents(app, cast):
    """The rule in access.policy: a withheld entry is not among what the parents see."""
    from access.policy import parents_see

    statement = data.statement(app, cast.pathway_b, cast.emma, "Eg er redd")
    lise = as_user(app, cast.lise)
    visible = select(Statement.id).where(parents_see(Statement, 11))
    with app.app_context():
        assert list(db.session.scalars(visible)) == [statement]
    post(lise, f"/pathways/{cast.pathway_b}/input/statement/{statement}/withhold", {"reason": "Vektige grunnar"})
    with app.app_context():
        assert list(db.session.scalars(visible)) == []


def test_withholding_needs_a_reason_beside_the_field(app, cast):
    statement = data.statement(app, cast.pathway_b, cast.emma, "Eg er redd")
    lise = as_user(app, cast.lise)
    response = post(lise, f"/pathways/{cast.pathway_b}/input/statement/{statement}/withhold", {"reason": "   "})
    assert response.status_code == 400
    assert field_error(response, f"reason-statement-{statement}") == t(app, "Fill in this field.")
    details = page(response).by_id(f"reason-statement-{statement}").parent.parent.parent
    assert details.tag == "details" and "open" in details.attrs  # the form is open at the message
    assert count(app, VisibilityChange) == 0
    with app.app_context():
        assert db.session.get(Statement, statement).withheld_at is None


def test_withholding_keeps_the_typed_reason_when_it_is_too_long(app, cast):
    statement = data.statement(app, cast.pathway_b, cast.emma, "Eg er redd")
    lise = as_user(app, cast.lise)
    long_reason = "x" * 1001
    response = post(lise, f"/pathways/{cast.pathway_b}/input/statement/{statement}/withhold", {"reason": long_reason})
    assert response.status_code == 400
    assert page(response).by_id(f"reason-statement-{statement}").text() == long_reason
    assert field_error(response, f"reason-statement-{statement}")


def test_withholding_is_refused_from_twelve_the_young_person_decides(app, kari, cast):
    """Ola is 15: the team cannot withhold; the page says why and nothing is stored."""
    statement = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg")
    form_url = f"/pathways/{cast.pathway_a}/input/statement/{statement}/withhold"
    assert form_url not in kari.get(f"/pathways/{cast.pathway_a}").get_data(as_text=True)
    response = post(kari, form_url, {"reason": "Vektige grunnar"})
    assert response.status_code == 409
    assert "12" in page(response).find("main").find(role="alert").text()
    assert count(app, VisibilityChange) == 0
    with app.app_context():
        assert db.session.get(Statement, statement).withheld_at is None


@pytest.mark.parametrize("years", [11, 12])
def test_the_withhold_form_is_offered_only_under_twelve(app, kari, cast, years):
    set_birth_date(app, cast.young_a, years)
    statement = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg")
    form_url = f"/pathways/{cast.pathway_a}/input/statement/{statement}/withhold"
    assert (form_url in kari.get(f"/pathways/{cast.pathway_a}").get_data(as_text=True)) == (years < 12)


def test_a_withholding_can_be_lifted_after_the_young_person_turned_twelve(app, kari, cast):
    statement = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg", withheld_by=cast.kari)
    assert post(kari, f"/pathways/{cast.pathway_a}/input/statement/{statement}/release").status_code == 303
    with app.app_context():
        assert db.session.get(Statement, statement).withheld_at is None
        assert db.session.scalar(select(VisibilityChange.kind)) == VisibilityKind.RELEASED


def test_a_preparation_can_be_withheld_by_any_team_member(app, cast):
    set_birth_date(app, cast.young_a, 10)
    meeting = data.meeting(app, cast.pathway_a, cast.kari, T0)
    prep = data.preparation(app, meeting, cast.pathway_a, cast.ola, talk_about="Heime")
    per = as_user(app, cast.per)
    response = post(per, f"/pathways/{cast.pathway_a}/input/preparation/{prep}/withhold", {"reason": "Vektige grunnar"})
    assert response.status_code == 303
    from youth.models import Preparation

    with app.app_context():
        assert db.session.get(Preparation, prep).withheld_by_id == cast.per
        assert db.session.scalar(select(VisibilityChange.item_kind)) == InputKind.PREPARATION


@pytest.mark.parametrize("case", ["parent", "draft", "removed", "other-pathway", "unknown-kind"])
def test_only_the_young_persons_visible_input_can_be_withheld(app, cast, case):
    """A parent's input, a draft, a removed statement, another pathway's or an unknown kind: 404."""
    set_birth_date(app, cast.young_a, 10)
    kind, pathway = "statement", cast.pathway_a
    if case == "parent":
        item_id = data.statement(app, cast.pathway_a, cast.mother_a, "Mor", role=Role.PARENT)
    elif case == "draft":
        item_id = data.statement(app, cast.pathway_a, cast.ola, "Utkast", sharing=data.Sharing.PRIVATE)
    elif case == "removed":
        item_id = data.statement(app, cast.pathway_a, cast.ola, "Borte", removed=True)
    elif case == "other-pathway":
        item_id = data.statement(app, cast.pathway_b, cast.emma, "Emma")
    else:
        item_id, kind = data.statement(app, cast.pathway_a, cast.ola, "Ola"), "agreement"
    kari = as_user(app, cast.kari)
    response = post(kari, f"/pathways/{pathway}/input/{kind}/{item_id}/withhold", {"reason": "Vektige grunnar"})
    assert response.status_code == 404
    assert count(app, VisibilityChange) == 0


def test_lise_cannot_withhold_on_a_pathway_she_is_not_on(app, cast):
    set_birth_date(app, cast.young_a, 10)
    statement = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg")
    lise = as_user(app, cast.lise)
    url = f"/pathways/{cast.pathway_a}/input/statement/{statement}"
    assert post(lise, url + "/withhold", {"reason": "Vektige grunnar"}).status_code == 404
    assert post(lise, url + "/release").status_code == 404
    assert count(app, VisibilityChange) == 0


def test_the_visit_is_stored_once_and_moved_on_each_visit(app, cast):
    """The first visit inserts the reader's visit, the next one moves it (one row, an upsert that two
    tabs opening the page at the same moment cannot collide on)."""
    from pathways.models import PathwayVisit
    from tests.helpers import count

    client = app.test_client()
    sign_in(client, cast.kari)
    assert client.get(f"/pathways/{cast.pathway_a}").status_code == 200
    with app.app_context():
        first = db.session.get(PathwayVisit, (cast.pathway_a, cast.kari)).seen_at
    assert client.get(f"/pathways/{cast.pathway_a}").status_code == 200
    with app.app_context():
        assert db.session.get(PathwayVisit, (cast.pathway_a, cast.kari)).seen_at > first
    assert count(app, PathwayVisit) == 1


def test_the_wish_and_answers_read_by_the_team_are_logged_and_shown_to_the_family(app, cast):
    """Kari opening the pathway page reads Ola's wish for a coordinator, and the agreements page his
    answer with its question: both are logged, and Ola's readers page names them in his words."""
    from core.models import utcnow
    from pathways.models import AgreementAnswer, AnswerKind, CoordinatorWish
    from tests.pathways.reading_data import agreement, meeting

    with app.app_context():
        db.session.add(CoordinatorWish(pathway_id=cast.pathway_a, author_id=cast.ola, wished_id=cast.per,
                                       note="Per forstår meg", at=utcnow()))
        db.session.commit()
    held = meeting(app, cast.pathway_a, cast.kari, utcnow() - timedelta(days=3))
    point = agreement(app, held, cast.pathway_a, cast.kari, "Ola skriv dagbok")
    with app.app_context():
        db.session.add(AgreementAnswer(agreement_id=point, user_id=cast.ola, answer=AnswerKind.QUESTION,
                                       question="Kor lenge skal eg skrive?", at=utcnow()))
        db.session.commit()
    kari = app.test_client()
    sign_in(kari, cast.kari)
    assert "Per forstår meg" in kari.get(f"/pathways/{cast.pathway_a}").get_data(as_text=True)
    assert "Kor lenge skal eg skrive?" in kari.get(
        f"/pathways/{cast.pathway_a}/meetings/{held}/agreements").get_data(as_text=True)
    kinds = {kind for kind, _ in reads(app, cast.kari)}
    assert {InputKind.WISH, InputKind.ANSWER} <= kinds

    ola = app.test_client()
    sign_in(ola, cast.ola)
    text = page(ola.get("/my/readers")).text()
    # Grouped by reader and day, saying what was read (tests/youth/test_readers.py has the rest).
    assert t(app, "your wish for a coordinator") in text
    assert translated(app, "your answer to what was agreed", plural="%(num)d of your answers to what was agreed",
                      num=1) in text
