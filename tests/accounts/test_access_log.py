"""The admin's search of the access log: by person (reader or author) and by period (Oslo dates)."""
from datetime import datetime, timedelta, timezone

import pytest

from access.log import log_reads
from accounts.models import User
from core.extensions import db
from pathways.models import AccessLog, InputKind, Pathway
from tests.helpers import field_error, page, sign_in, translated
from tests.pathways import reading_data as data


@pytest.fixture()
def admin(app, cast):
    client = app.test_client()
    sign_in(client, cast.admin)
    return client


def read(app, reader_id, pathway_id, items, at=None):
    """`reader_id` read `items` ((kind, id, author id)); then the rows are moved to `at`."""
    with app.test_request_context():
        log_reads(db.session.get(User, reader_id), db.session.get(Pathway, pathway_id), items)
        if at is not None:
            db.session.query(AccessLog).filter(AccessLog.at > at).update({AccessLog.at: at})
            db.session.commit()


def rows(response):
    """The result table's rows as lists of cell texts."""
    assert response.status_code == 200, response.status_code
    table = page(response).find("table")
    return [[td.text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")] if table else []


@pytest.fixture()
def log(app, cast):
    """Kari read Ola's statement on 1 March, Per read Ola's mother's statement and a preparation on 10 March
    (Oslo), Lise read Emma's statement on 12 March just after midnight Oslo time (still 11 March in UTC)."""
    ola_says = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg")
    mother_says = data.statement(app, cast.pathway_a, cast.mother_a, "Mor", role=data.Role.PARENT)
    meeting = data.meeting(app, cast.pathway_a, cast.kari, data.T0)
    prep = data.preparation(app, meeting, cast.pathway_a, cast.ola, talk_about="skulen")
    emma_says = data.statement(app, cast.pathway_b, cast.emma, "Emma")
    read(app, cast.kari, cast.pathway_a, [(InputKind.STATEMENT, ola_says, cast.ola)],
         at=datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc))
    read(app, cast.per, cast.pathway_a, [(InputKind.STATEMENT, mother_says, cast.mother_a),
                                         (InputKind.PREPARATION, prep, cast.ola)],
         at=datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc))
    read(app, cast.lise, cast.pathway_b, [(InputKind.STATEMENT, emma_says, cast.emma)],
         at=datetime(2026, 3, 11, 23, 30, tzinfo=timezone.utc))
    return {"ola_says": ola_says, "mother_says": mother_says, "prep": prep, "emma_says": emma_says}


def readers(response):
    return [row[1].split(" (")[0] for row in rows(response)]


def test_without_a_search_the_newest_reads_come_first(app, admin, log, cast):
    found = rows(admin.get("/admin/access-log"))
    assert [r[1].split(" (")[0] for r in found] == ["Lise Berg", "Per Hansen", "Per Hansen", "Kari Nordmann"]
    kari = found[-1]
    assert kari[1] == "Kari Nordmann (kari@test.no)"
    assert kari[2] == "BUP Test" and kari[3] == "Ola Nordvik"
    assert kari[4] == translated(app, "Statement %(id)s", id=log["ola_says"])
    assert kari[5] == str(cast.pathway_a)
    assert "13:00" in kari[0]  # 12:00 UTC is 13:00 in Oslo in March
    # What was read is named, not quoted: the admin does not read the family's words here.
    assert "Eg søv dårleg" not in admin.get("/admin/access-log").get_data(as_text=True)


@pytest.mark.parametrize(("person", "expected"), [
    ("kari", ["Kari Nordmann"]),  # the reader's name, any case
    ("PER@TEST", ["Per Hansen", "Per Hansen"]),  # the reader's email
    ("randi", ["Per Hansen"]),  # the author's name: who read Randi's input
    ("mor.ola", ["Per Hansen"]),  # the author's username
    ("Nordvik", ["Per Hansen", "Per Hansen", "Kari Nordmann"]),  # Ola and his mother as authors
    ("emma", ["Lise Berg"]),
    ("nobody", []),
])
def test_search_by_person_reader_or_author(admin, log, person, expected):
    assert readers(admin.get("/admin/access-log", query_string={"person": person})) == expected


def test_the_preparation_is_named_as_a_preparation(app, admin, log):
    found = rows(admin.get("/admin/access-log", query_string={"person": "per hansen"}))
    assert translated(app, "Preparation %(id)s", id=log["prep"]) in [r[4] for r in found]


def test_search_by_period_in_oslo_dates(admin, log):
    def between(date_from="", date_to=""):
        return readers(admin.get("/admin/access-log", query_string={"date_from": date_from, "date_to": date_to}))

    assert between("2026-03-10", "2026-03-10") == ["Per Hansen", "Per Hansen"]
    assert between("2026-03-12", "2026-03-12") == ["Lise Berg"]  # 23:30 UTC on the 11th is the 12th in Oslo
    assert between(date_to="2026-03-11") == ["Per Hansen", "Per Hansen", "Kari Nordmann"]
    assert between(date_from="02.03.2026") == ["Lise Berg", "Per Hansen", "Per Hansen"]
    assert readers(admin.get("/admin/access-log", query_string={
        "person": "per", "date_from": "2026-03-01", "date_to": "2026-03-09"})) == []


def test_a_bad_date_is_shown_beside_the_field_and_kept(app, admin, log):
    response = admin.get("/admin/access-log", query_string={"person": "kari", "date_from": "31.02.2026"})
    assert response.status_code == 400
    assert field_error(response, "date_from") == translated(app, "Not a valid date value.")
    body = page(response)
    assert body.by_id("date_from")["value"] == "31.02.2026"
    assert body.by_id("person")["value"] == "kari"
    assert body.find("table") is None


def test_to_before_from_is_shown_beside_the_to_date(app, admin, log):
    response = admin.get("/admin/access-log", query_string={"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.status_code == 400
    assert field_error(response, "date_to") == translated(app, "The to date is before the from date.")


def test_at_most_200_rows_with_a_note(app, admin, cast):
    statements = [data.statement(app, cast.pathway_a, cast.ola, f"Utsegn {n}") for n in range(201)]
    read(app, cast.kari, cast.pathway_a, [(InputKind.STATEMENT, s, cast.ola) for s in statements])
    response = admin.get("/admin/access-log")
    assert len(rows(response)) == 200
    note = translated(app, "Only the newest %(limit)s reads are shown. Narrow the search to see the rest.", limit=200)
    assert note in page(response).by_id("main").text()

    read(app, cast.per, cast.pathway_a, [(InputKind.STATEMENT, statements[0], cast.ola)])
    narrowed = admin.get("/admin/access-log", query_string={"person": "per"})
    assert len(rows(narrowed)) == 1 and note not in page(narrowed).by_id("main").text()


def test_the_search_form_works_without_javascript(admin):
    form = page(admin.get("/admin/access-log")).find("form", role="search")
    assert form["method"] == "get" and form["action"] == "/admin/access-log"
    labels = {label["for"] for label in form.find_all("label")}
    assert labels == {"person", "date_from", "date_to"}


def test_the_admin_page_links_to_the_access_log(admin):
    links = [a["href"] for a in page(admin.get("/admin")).by_id("main").find_all("a")]
    assert "/admin/access-log" in links


def test_only_the_admin_searches_the_access_log(app, cast):
    client = app.test_client()
    sign_in(client, cast.kari)
    assert client.get("/admin/access-log").status_code == 403


def test_reads_from_the_pages_show_up_in_the_search(app, admin, cast):
    """End to end: Kari opens Ola's pathway, and the admin finds the read by Ola's name."""
    statement = data.statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg")
    kari = app.test_client()
    sign_in(kari, cast.kari)
    kari.get(f"/pathways/{cast.pathway_a}")
    today = (datetime.now(timezone.utc) + timedelta(hours=2)).date().isoformat()
    found = rows(admin.get("/admin/access-log", query_string={"person": "ola nordvik", "date_to": today}))
    assert [(r[1], r[4]) for r in found] == [("Kari Nordmann (kari@test.no)",
                                             translated(app, "Statement %(id)s", id=statement))]
