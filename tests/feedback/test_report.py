"""The service report: figures from the service's feedback over a period, every figure based on
fewer than five responses hidden (the whole period, an item, a month), on the page, in the chart and
in the CSV; the CSV has exactly the page's figures and no names, logins or free texts; free texts
only when the person allowed quoting; the services page; who may see which service."""
import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import utcnow
from feedback import report_services as reports
from feedback.models import (
    FeedbackAnswer, FeedbackItem, FeedbackRequest, FeedbackResponse, QuestionSet, QuestionSetVersion, RequestReason,
    ResponseSharing,
)
from feedback.services import current_version
from pathways.models import Meeting, MeetingKind
from tests.helpers import counting_queries, field_error, page, sign_in, translated

FIRST, THIS_MONTH = reports.default_period()
RATING_KEYS = ["listened", "mattered", "understood", "next", "overall"]


def month_before(months: int) -> str:
    return reports.month_from_index(reports.month_index(THIS_MONTH) - months)


def report_url(cast, **query) -> str:
    from urllib.parse import urlencode

    return f"/feedback/services/{cast.service_bup}/report" + (f"?{urlencode(query)}" if query else "")


def csv_url(cast, **query) -> str:
    return report_url(cast, **query).replace("/report", "/report.csv", 1)


def add_responses(app, cast, values_list, month=THIS_MONTH, set_key="meeting", unanswered=0, texts=None,
                  quote_allowed=False, service_id=None, version=None):
    """One request per entry of `values_list` (for Ola, on pathway A, made in `month`), each answered
    with those values ({item key: value}; a missing key is not answered), plus `unanswered` requests
    without a response. `texts`: {item key: text} added to every response."""
    with app.app_context():
        version = version or current_version(set_key)
        items = {item.key: item.id for item in version.items}
        set_id = db.session.scalar(select(QuestionSet.id).where(QuestionSet.key == set_key))
        now = utcnow()
        for i in range(len(values_list) + unanswered):
            meeting_id = None
            if set_key == "meeting":
                starts = now - timedelta(days=2, minutes=i)
                meeting = Meeting(pathway_id=cast.pathway_a, kind=MeetingKind.CARE_TEAM, starts_at=starts,
                                  ends_at=starts + timedelta(hours=1), place="Skulen", purpose="Korleis går det?",
                                  created_by_id=cast.kari)
                db.session.add(meeting)
                db.session.flush()
                meeting_id = meeting.id
            request = FeedbackRequest(
                reason=RequestReason.MEETING if meeting_id else RequestReason.SCHEDULE, set_id=set_id,
                pathway_id=cast.pathway_a, user_id=cast.ola, meeting_id=meeting_id,
                service_id=service_id or cast.service_bup, created_at=now, month=month,
                closes_at=now + timedelta(days=14))
            db.session.add(request)
            db.session.flush()
            if i >= len(values_list):
                continue
            response = FeedbackResponse(request_id=request.id, version_id=version.id, sharing=ResponseSharing.TEAM,
                                        quote_allowed=quote_allowed, submitted_at=now, updated_at=now)
            db.session.add(response)
            db.session.flush()
            for key, value in values_list[i].items():
                if value is None:
                    continue
                db.session.add(FeedbackAnswer(response_id=response.id, item_id=items[key], value=value))
            for key, text in (texts or {}).items():
                db.session.add(FeedbackAnswer(response_id=response.id, item_id=items[key], text=text))
        db.session.commit()


def ratings(*overall_values, **others):
    """Rating answers: every item 4, except `overall` (one response per value) and `others`."""
    return [{**{key: 4 for key in RATING_KEYS}, "overall": value, **others} for value in overall_values]


# --- reading the page and the CSV ---------------------------------------------------------------

def cells(row) -> list[str]:
    """A table row's cells as text, a cell spanning columns repeated (as in the CSV)."""
    out = []
    for cell in row.children:
        if getattr(cell, "tag", None) in ("th", "td"):
            out.extend([cell.text()] * int(cell.get("colspan", 1)))
    return out


def table_rows(body, table_id) -> list[list[str]]:
    table = body.by_id(table_id)
    return [cells(row) for row in table.find("tbody").find_all("tr")]


def month_keys(body) -> list[str]:
    return [row.find("time")["datetime"] for row in body.by_id("months-table").find("tbody").find_all("tr")]


def period_figures(body) -> list[str]:
    return [dd.text() for dd in body.by_id("period-figures").find_all("dd")]


def read_csv(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def csv_sections(rows) -> list[list[list[str]]]:
    """The CSV's blocks, split at the empty rows: [heading], [period], [items], [months]."""
    sections, current = [], []
    for row in rows:
        if not row:
            sections.append(current)
            current = []
        else:
            current.append(row)
    sections.append(current)
    return sections


def norm(values) -> list[str]:
    return [" ".join(value.split()) for value in values]


def too_few(app) -> str:
    return translated(app, "Too few answers to show")


# --- suppression at 4 and at 6 ------------------------------------------------------------------

def test_four_responses_hide_every_figure_on_the_page_and_in_the_csv(app, kari, cast):
    add_responses(app, cast, ratings(5, 5, 4, 1), unanswered=3)
    response = kari.get(report_url(cast))
    assert response.status_code == 200
    body = page(response)
    hidden = too_few(app)
    assert hidden in body.by_id("period-figures").text()
    assert not body.by_id("period-figures").find_all("dd")  # no requests, responses or rate
    for row in table_rows(body, "items-table"):
        assert row[1:] == [hidden] * (len(row) - 1)  # no count, no mean, no distribution
    for row in table_rows(body, "months-table"):
        assert row[1:] == [hidden] * (len(row) - 1)
    assert body.find("svg", role="img") is None  # no chart
    main = body.find("main").text()
    assert not re.search(r"\d,\d", main)  # no mean anywhere
    assert "75" not in main and "57" not in main  # no response rate (4 of 7)

    rows = read_csv(kari.get(csv_url(cast)))
    heading, period, items, months = csv_sections(rows)
    assert period[1] == [hidden] * 3
    assert all(row[1:] == [hidden] * (len(row) - 1) for row in items[1:])
    assert all(row[1:] == [hidden] * (len(row) - 1) for row in months[1:])
    assert len(months) == 1 + 12


def test_six_responses_show_the_figures_on_the_page_and_in_the_csv(app, kari, cast):
    add_responses(app, cast, ratings(5, 5, 4, 4, 3, 3), unanswered=2)
    body = page(kari.get(report_url(cast)))
    assert norm(period_figures(body)) == ["8", "6", "75 %"]
    rows = {row[0]: row[1:] for row in table_rows(body, "items-table")}
    with app.app_context():
        texts = {item.key: item.text_nb for item in current_version("meeting").items}
    # answered, mean, then the five steps (1 … 5); a step counted 1–4 times is too few to show
    hidden = too_few(app)
    assert rows[texts["overall"]] == ["6", "4,0", "0", "0", hidden, hidden, hidden]
    assert rows[texts["listened"]] == ["6", "4,0", "0", "0", "0", "6", "0"]
    this_month = table_rows(body, "months-table")[-1]
    assert this_month[1:3] == ["6", "4,0"]
    assert month_keys(body)[-1] == THIS_MONTH

    heading, period, items, months = csv_sections(read_csv(kari.get(csv_url(cast))))
    assert norm(period[1]) == ["8", "6", "75 %"]
    csv_items = {row[0]: row[1:] for row in items[1:]}
    assert csv_items[texts["overall"]] == ["6", "4,0", "0", "0", hidden, hidden, hidden]
    assert months[-1][:3] == [THIS_MONTH, "6", "4,0"]
    # Nothing asks htmx for a part of the report: an htmx request gets the whole page, same figures.
    whole = kari.get(report_url(cast), headers={"HX-Request": "true"})
    assert whole.status_code == 200 and "<html" in whole.get_data(as_text=True)
    assert norm(period_figures(page(whole))) == ["8", "6", "75 %"]


def test_the_csv_has_exactly_the_figures_on_the_page(app, kari, cast):
    add_responses(app, cast, ratings(5, 4, 4, 3, 2, 5, 5), month=month_before(2), unanswered=1)
    add_responses(app, cast, ratings(3, 3, 4, 4, 4, 5, 1, 2), month=THIS_MONTH)
    add_responses(app, cast, ratings(4, 4, 4, next=None), month=month_before(1))
    body = page(kari.get(report_url(cast)))
    heading, period, items, months = csv_sections(read_csv(kari.get(csv_url(cast))))
    assert norm(period[1]) == norm(period_figures(body))
    assert [norm(row) for row in items[1:]] == [norm(row) for row in table_rows(body, "items-table")]
    page_months = [[key, *row[1:]] for key, row in zip(month_keys(body), table_rows(body, "months-table"))]
    assert [norm(row) for row in months[1:]] == [norm(row) for row in page_months]
    assert any(row[1] != too_few(app) for row in months[1:])  # something is shown, something hidden
    assert any(row[1] == too_few(app) for row in months[1:])
    # The headers are the page's too, in the reader's language.
    assert items[0][:3] == [translated(app, "Question"), translated(app, "Answered"), translated(app, "Mean")]


def test_the_csv_is_a_download_without_names_logins_pathways_or_free_texts(app, kari, cast):
    add_responses(app, cast, ratings(5, 5, 4, 4, 3, 3, 2), texts={"better": "Kari Nordmann var flink, Ola Nordvik"},
                  quote_allowed=True)
    response = kari.get(csv_url(cast, **{"from": month_before(2), "to": THIS_MONTH}))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="tilbakemelding-bup-test-{month_before(2)}-{THIS_MONTH}.csv"')
    text = response.get_data().decode("utf-8")
    for name in ["Ola Nordvik", "Kari Nordmann", "Randi Nordvik", "Per Hansen", "Emma Lie", "Lise Berg",
                 "Angst og søvn", "var flink"]:
        assert name not in text
    for login in cast.logins.values():
        assert not re.search(rf"(?<![\w.@]){re.escape(login)}(?![\w.@])", text, re.I), login
    assert "pathway" not in text.lower() and "/pathways/" not in text
    # Every row is one of the report's: heading, period, items (5 and the header), months (3 and the header).
    assert len([row for row in read_csv(response) if row]) == 3 + 2 + 6 + 4
    # The free text is on the page (its author allowed it), never in the export.
    assert "var flink" in kari.get(report_url(cast)).get_data(as_text=True)


def test_the_csv_starts_no_spreadsheet_formula(app, kari, cast):
    """Words people typed (a service's name, a question) that look like a formula stay text."""
    from accounts.models import Service

    with app.app_context():
        db.session.get(Service, cast.service_bup).name = '=HYPERLINK("http://example.com")'
        db.session.commit()
    add_responses(app, cast, ratings(*[4] * 6))
    rows = read_csv(kari.get(csv_url(cast)))
    assert rows[0][1] == "'" + '=HYPERLINK("http://example.com")'
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_the_csv_headers_are_in_the_readers_language(app, client, cast):
    from accounts.models import User

    with app.app_context():
        db.session.get(User, cast.kari).locale = "nn"
        db.session.commit()
    sign_in(client, cast.kari)
    rows = read_csv(client.get(csv_url(cast)))
    assert rows[0][0] == translated(app, "Service", "nn")
    assert rows[4] == [translated(app, "Requests", "nn"), translated(app, "Responses", "nn"),
                       translated(app, "Response rate", "nn")]


# --- per item, per month ------------------------------------------------------------------------

def test_an_item_fewer_than_five_answered_is_hidden(app, kari, cast):
    answers = ratings(5, 5, 4, 4, 3, 3)
    for answer in answers[:2]:
        del answer["next"]  # only four answered "next"
    add_responses(app, cast, answers)
    body = page(kari.get(report_url(cast)))
    with app.app_context():
        texts = {item.key: item.text_nb for item in current_version("meeting").items}
    rows = {row[0]: row[1:] for row in table_rows(body, "items-table")}
    hidden = too_few(app)
    assert rows[texts["next"]] == [hidden] * len(rows[texts["next"]])
    assert rows[texts["overall"]][:2] == ["6", "4,0"]
    month_header = [th.text() for th in body.by_id("months-table").find("thead").find_all("th")]
    next_column = next(i for i, text in enumerate(month_header) if texts["next"] in text)
    assert table_rows(body, "months-table")[-1][next_column] == hidden
    _h, _p, items, months = csv_sections(read_csv(kari.get(csv_url(cast))))
    assert {row[0]: row[1:] for row in items[1:]}[texts["next"]] == [hidden] * 7
    assert months[-1][next_column] == hidden
    # The chart draws no line for it.
    chart = body.by_id("chart-means-title").parent
    assert {g["data-key"] for g in chart.find_all("g", class_="chart-series")} == set(RATING_KEYS) - {"next"}


def test_agreement_items_count_dont_know_apart_and_leave_it_out_of_the_mean(app, kari, cast):
    listened = [3, 3, 2, 1, 3, 0, 0]
    trust = [3, 3, 2, 0, 0, 0, 0]  # four gave a value: hidden
    add_responses(app, cast, [{"listened": a, "trust": b} for a, b in zip(listened, trust)],
                  set_key="questionnaire_youth")
    body = page(kari.get(report_url(cast, set="questionnaire_youth")))
    with app.app_context():
        texts = {item.key: item.text_nb for item in current_version("questionnaire_youth").items}
    rows = {row[0]: row[1:] for row in table_rows(body, "items-table")}
    # answered (not "don't know"), mean of 3, 3, 2, 1, 3, then true (3), partly (2), not true (1), don't
    # know: 3, 1, 1 and 2, each too few to show (together 5: none can be worked out from "answered")
    hidden = too_few(app)
    assert rows[texts["listened"]] == ["5", "2,4", hidden, hidden, hidden, hidden]
    assert rows[texts["trust"]] == [too_few(app)] * 6
    assert rows[texts["easy_talk"]] == [too_few(app)] * 6  # nobody answered it


def test_a_month_with_fewer_than_five_responses_is_hidden(app, kari, cast):
    add_responses(app, cast, ratings(5, 5, 5), month=month_before(2))
    add_responses(app, cast, ratings(1, 1, 1, 1), month=month_before(1))
    add_responses(app, cast, ratings(4, 4, 4, 4, 4, 2), month=THIS_MONTH)
    body = page(kari.get(report_url(cast)))
    assert norm(period_figures(body))[1] == "6"  # the quiet months add to no figure
    by_month = dict(zip(month_keys(body), table_rows(body, "months-table")))
    hidden = too_few(app)
    assert by_month[month_before(2)][1:] == [hidden] * 6
    assert by_month[month_before(1)][1:] == [hidden] * 6
    assert by_month[THIS_MONTH][1] == "6"
    assert by_month[THIS_MONTH][-1] == "3,7"  # overall: (5 × 4 + 2) / 6
    bars = [rect["data-month"] for rect in body.by_id("chart-responses-title").parent.find_all("rect")]
    assert bars == [THIS_MONTH]
    _h, _p, _items, months = csv_sections(read_csv(kari.get(csv_url(cast))))
    csv_months = {row[0]: row[1:] for row in months[1:]}
    assert csv_months[month_before(1)] == [hidden] * 6
    assert csv_months[THIS_MONTH][:2] == ["6", "4,0"]


def test_hidden_months_cannot_be_worked_out_from_the_total(app, kari, cast):
    """Months of 6, 3 and 7: the quiet month adds to no figure, so the total is 13, the shown months'
    sum, and nothing else needs hiding to keep its 3 answers out of reach."""
    add_responses(app, cast, ratings(5, 5, 5, 5, 5, 5), month=month_before(2))
    add_responses(app, cast, ratings(1, 1, 1), month=month_before(1))
    add_responses(app, cast, ratings(4, 4, 4, 4, 4, 4, 4), month=THIS_MONTH)
    body = page(kari.get(report_url(cast)))
    by_month = dict(zip(month_keys(body), table_rows(body, "months-table")))
    hidden = too_few(app)
    assert by_month[month_before(1)][1] == hidden
    assert by_month[month_before(2)][1] == "6"
    assert by_month[THIS_MONTH][1] == "7"
    assert norm(period_figures(body)) == ["13", "13", "100 %"]
    with app.app_context():
        texts = {item.key: item.text_nb for item in current_version("meeting").items}
    overall = {row[0]: row[1:] for row in table_rows(body, "items-table")}[texts["overall"]]
    assert overall == ["13", "4,5", "0", "0", "0", "7", "6"]  # the three 1s are nowhere
    assert body.find(id="items-protected") is None


# --- the month as the building block: no answer picked out by comparing two periods -------------

def period_and_items(body) -> tuple[list[str], list[list[str]]]:
    return norm(period_figures(body)), [norm(row) for row in table_rows(body, "items-table")]


def test_a_quiet_month_adds_nothing_so_two_periods_cannot_be_subtracted(app, kari, cast):
    """Six answers of 4 in one month and a single answer of 1 the next: the report of both months
    is the report of the first, so the difference gives nothing away."""
    january, february = month_before(2), month_before(1)
    add_responses(app, cast, ratings(*[4] * 6), month=january)
    add_responses(app, cast, ratings(1), month=february, unanswered=2)
    one = page(kari.get(report_url(cast, **{"from": january, "to": january})))
    both = page(kari.get(report_url(cast, **{"from": january, "to": february})))
    assert period_and_items(both) == period_and_items(one)
    assert norm(period_figures(both)) == ["6", "6", "100 %"]  # not 9 requests, 7 responses
    with app.app_context():
        texts = {item.key: item.text_nb for item in current_version("meeting").items}
    assert {row[0]: row[1:] for row in table_rows(both, "items-table")}[texts["overall"]] == [
        "6", "4,0", "0", "0", "0", "6", "0"]
    by_month = dict(zip(month_keys(both), table_rows(both, "months-table")))
    assert by_month[february][1] == too_few(app)
    sentence = translated(app, "Months with fewer than five answers are left out of every figure, so that no "
                               "answer can be picked out.")
    assert both.by_id("months-left-out").text() == sentence
    # The export is built from the same blocks.
    _h, period, items, _m = csv_sections(read_csv(kari.get(csv_url(cast, **{"from": january, "to": february}))))
    assert norm(period[1]) == ["6", "6", "100 %"]
    assert {row[0]: row[1:] for row in items[1:]}[texts["overall"]] == ["6", "4,0", "0", "0", "0", "6", "0"]


def test_a_month_where_few_answered_an_item_adds_nothing_to_that_item(app, kari, cast):
    """Two months of six responses; in the first only three answered "next": "next" counts the
    second month's six, the other items both months' twelve."""
    answers = ratings(*[5] * 6)
    for answer in answers[:3]:
        del answer["next"]
    add_responses(app, cast, answers, month=month_before(1))
    add_responses(app, cast, ratings(*[4] * 6, next=3), month=THIS_MONTH)
    body = page(kari.get(report_url(cast)))
    with app.app_context():
        texts = {item.key: item.text_nb for item in current_version("meeting").items}
    rows = {row[0]: row[1:] for row in table_rows(body, "items-table")}
    assert rows[texts["next"]] == ["6", "3,0", "0", "0", "6", "0", "0"]  # not 9 answered, mean 3,7
    assert rows[texts["overall"]][:2] == ["12", "4,5"]
    _h, _p, items, _m = csv_sections(read_csv(kari.get(csv_url(cast))))
    assert {row[0]: row[1:] for row in items[1:]}[texts["next"]] == ["6", "3,0", "0", "0", "6", "0", "0"]


# --- small steps in a distribution ---------------------------------------------------------------

def overall_row(app, body) -> list[str]:
    with app.app_context():
        text = next(item.text_nb for item in current_version("meeting").items if item.key == "overall")
    return {row[0]: row[1:] for row in table_rows(body, "items-table")}[text]


def test_a_step_answered_by_one_to_four_is_hidden_and_cannot_be_worked_out(app, kari, cast):
    """Seven answered "all in all": six said 5, one said 1. The 1 is too few to show; "answered"
    (7) minus the shown steps would give it, so the 5s (the smallest shown step) are hidden too."""
    add_responses(app, cast, ratings(5, 5, 5, 5, 5, 5, 1))
    body = page(kari.get(report_url(cast)))
    hidden = too_few(app)
    assert overall_row(app, body) == ["7", "4,4", hidden, "0", "0", "0", hidden]
    assert body.by_id("items-protected").text() == translated(
        app, "Some months or figures with five answers or more are hidden too: otherwise the hidden ones could be "
             "worked out from the totals.")
    _h, _p, items, _m = csv_sections(read_csv(kari.get(csv_url(cast))))
    assert [norm(row) for row in items[1:]] == [norm(row) for row in table_rows(body, "items-table")]
    assert ["7", "4,4", hidden, "0", "0", "0", hidden] in [row[1:] for row in items[1:]]


@pytest.mark.parametrize("values, expected, protected", [
    # one 1 and two 2s: the 3 left over could be 1 + 2 or 2 + 1; nothing more to hide
    ([5] * 6 + [1, 2, 2], ["9", "3,9", "H", "H", "0", "0", "6"], False),
    # one 1 and one 2: the 2 left over could only be 1 + 1, so the smallest shown step (the six 5s) goes too
    ([5] * 6 + [4] * 7 + [1, 2], ["15", "4,1", "H", "H", "0", "7", "H"], True),
    # one 1 and five 5s: 6 left over would still be 1 + 5, so the seven 4s go as well
    ([5] * 5 + [4] * 7 + [1], ["13", "4,2", "H", "0", "0", "H", "H"], True),
])
def test_hidden_steps_are_protected_only_when_they_could_be_worked_out(app, kari, cast, values, expected,
                                                                       protected):
    add_responses(app, cast, ratings(*values))
    body = page(kari.get(report_url(cast)))
    assert overall_row(app, body) == [too_few(app) if cell == "H" else cell for cell in expected]
    assert (body.find(id="items-protected") is not None) is protected


# --- period, question set, versions -------------------------------------------------------------

def test_bad_months_are_refused_beside_the_field(app, kari, cast):
    response = kari.get(report_url(cast, **{"from": "2026-13", "to": THIS_MONTH}))
    assert response.status_code == 400
    assert field_error(response, "from") == translated(app, "Write the month like this: 2026-03.")
    body = page(response)
    assert body.by_id("from")["value"] == "2026-13"  # what the user wrote stays
    assert body.find("h1") is not None and body.find(id="items-table") is None

    response = kari.get(report_url(cast, **{"from": THIS_MONTH, "to": month_before(1)}))
    assert response.status_code == 400
    assert field_error(response, "to") == translated(app, "The last month cannot be before the first month.")

    response = kari.get(report_url(cast, **{"from": "mars", "to": "2026-3"}))
    assert response.status_code == 400
    assert field_error(response, "to") == translated(app, "Write the month like this: 2026-03.")

    response = kari.get(report_url(cast, **{"from": "2000-01", "to": "2026-01"}))
    assert response.status_code == 400
    assert field_error(response, "to") == translated(app, "Choose a period of at most %(months)s months.",
                                                     months=reports.MAX_MONTHS)

    assert kari.get(report_url(cast, set="nonsense")).status_code == 400
    assert kari.get(csv_url(cast, **{"from": "2026-13"})).status_code == 400


def test_the_period_and_the_set_choose_what_is_counted(app, kari, cast):
    add_responses(app, cast, ratings(5, 5, 5, 5, 5), month=month_before(13))  # before the default period
    add_responses(app, cast, ratings(2, 2, 2, 2, 2, 2), month=THIS_MONTH)
    add_responses(app, cast, [{"listened": 3}] * 5, set_key="questionnaire_youth")
    add_responses(app, cast, ratings(1, 1, 1, 1, 1), service_id=_other_service(app, cast))
    body = page(kari.get(report_url(cast)))
    assert norm(period_figures(body)) == ["6", "6", "100 %"]
    assert len(month_keys(body)) == 12 and month_keys(body)[0] == FIRST
    body = page(kari.get(report_url(cast, **{"from": month_before(13), "to": month_before(13)})))
    assert norm(period_figures(body)) == ["5", "5", "100 %"]
    body = page(kari.get(report_url(cast, set="questionnaire_youth")))
    assert norm(period_figures(body))[1] == "5"
    assert [o["value"] for o in body.by_id("set").find_all("option") if "selected" in o.attrs] == ["questionnaire_youth"]


def _other_service(app, cast) -> int:
    from accounts.models import Service

    with app.app_context():
        return db.session.scalar(select(Service.id).where(Service.name == "PPT Test"))


def test_items_are_joined_by_key_across_versions_and_named_by_the_newest(app, kari, cast):
    with app.app_context():
        old = current_version("meeting")
        new = QuestionSetVersion(set_id=old.set_id, number=old.number + 1)
        new.items = [FeedbackItem(position=item.position, key=item.key, scale_id=item.scale_id, text_nn=item.text_nn,
                                  text_nb=item.text_nb + (" (ny)" if item.key == "listened" else ""),
                                  required=item.required, overall=item.overall, shows_topics=item.shows_topics)
                     for item in old.items]
        db.session.add(new)
        db.session.commit()
        old_version = db.session.get(QuestionSetVersion, old.id)
        db.session.expunge_all()
    add_responses(app, cast, ratings(5, 5, 5), version=_version(app, old_version.id))
    add_responses(app, cast, ratings(1, 1, 1))
    body = page(kari.get(report_url(cast)))
    rows = {row[0]: row[1:] for row in table_rows(body, "items-table")}
    listened = [text for text in rows if text.endswith("(ny)")]
    assert len(listened) == 1 and rows[listened[0]][0] == "6"
    assert len(rows) == 5


def _version(app, version_id):
    with app.app_context():
        version = db.session.scalar(select(QuestionSetVersion).where(QuestionSetVersion.id == version_id))
        version.items  # noqa: B018 - loaded before the session closes
        db.session.expunge_all()
        return version


def test_the_report_costs_the_same_queries_over_few_and_many_responses(app, kari, cast):
    add_responses(app, cast, ratings(*[4] * 6), texts={"better": "Kortare møte"}, quote_allowed=True)
    kari.get(report_url(cast))
    with counting_queries(app) as few:
        kari.get(report_url(cast))
    add_responses(app, cast, ratings(*[3] * 60), month=month_before(3), texts={"better": "Meir tid"},
                  quote_allowed=True)
    with counting_queries(app) as many:
        body = page(kari.get(report_url(cast)))
    assert norm(period_figures(body))[1] == "66"
    assert len(many) == len(few)


# --- free texts ---------------------------------------------------------------------------------

def test_free_texts_only_when_quoting_was_allowed_and_with_the_month_only(app, kari, cast):
    add_responses(app, cast, ratings(4, 4, 4), texts={"better": "Kortare møte, takk"}, quote_allowed=True)
    add_responses(app, cast, ratings(4, 4, 4), texts={"better": "Dette er berre for teamet"})
    body = page(kari.get(report_url(cast)))
    section = body.by_id("comments-heading").parent
    quotes = [q.text() for q in section.find_all("blockquote")]
    assert quotes == ["Kortare møte, takk"] * 3
    assert "berre for teamet" not in body.find("main").text()
    stamps = {time["datetime"] for time in section.find_all("time")}
    assert stamps == {THIS_MONTH}
    assert not section.find_all("a")  # no link to a pathway
    assert "Ola" not in section.text()


def test_a_free_text_from_a_quiet_month_is_not_quoted(app, kari, cast):
    """Six responses this month and two the month before: the quiet month's figures are hidden, and
    so are its quotes, in every period that spans it."""
    add_responses(app, cast, ratings(*[4] * 6), texts={"better": "Travel månad"}, quote_allowed=True)
    add_responses(app, cast, ratings(4, 4), month=month_before(1), texts={"better": "Stille månad"},
                  quote_allowed=True)
    section = page(kari.get(report_url(cast, **{"from": month_before(1)}))).by_id("comments-heading").parent
    assert [q.text() for q in section.find_all("blockquote")] == ["Travel månad"] * 6
    assert {time["datetime"] for time in section.find_all("time")} == {THIS_MONTH}


def test_no_period_quotes_a_text_that_a_shorter_period_around_it_hides(app, kari, cast, monkeypatch):
    """Over five months with busy and quiet ones, every period and every pair of periods, one inside
    the other: a text the longer period quotes from a month of the shorter one is quoted by the
    shorter one too, so comparing two reports singles out no one. (All texts are quoted: no cut.)"""
    monkeypatch.setattr(reports, "COMMENTS_SHOWN", 1000)
    months = [month_before(n) for n in range(4, -1, -1)]
    responses = dict(zip(months, [3, 6, 1, 5, 4]))  # 5 or more: the month's figures are shown
    for month, number in responses.items():
        for i in range(number):
            add_responses(app, cast, ratings(4), month=month, texts={"better": f"{month} nr. {i}"}, quote_allowed=True)
    periods = [(first, last) for a, first in enumerate(months) for last in months[a:]]
    quoted = {}
    for first, last in periods:
        body = page(kari.get(report_url(cast, **{"from": first, "to": last})))
        heading = body.by_id("comments-heading")
        quoted[first, last] = {q.text() for q in heading.parent.find_all("blockquote")} if heading else set()
    for (first, last), texts in quoted.items():
        assert {text[:7] for text in texts} <= {m for m in months[months.index(first):months.index(last) + 1]
                                                if responses[m] >= 5}, (first, last)
    for inner in periods:
        for outer in periods:
            if outer[0] <= inner[0] and inner[1] <= outer[1]:
                from_inner = {text for text in quoted[outer] if inner[0] <= text[:7] <= inner[1]}
                assert from_inner <= quoted[inner], (inner, outer, sorted(from_inner - quoted[inner]))
    assert quoted[months[0], months[-1]] == {f"{m} nr. {i}" for m in months if responses[m] >= 5
                                             for i in range(responses[m])}


def test_no_free_texts_when_the_period_has_too_few_responses(app, kari, cast):
    add_responses(app, cast, ratings(4, 4, 4, 4), texts={"better": "Kortare møte, takk"}, quote_allowed=True)
    body = page(kari.get(report_url(cast)))
    assert "Kortare møte" not in body.find("main").text()
    assert body.by_id("comments-too-few").text() == too_few(app)


def test_free_texts_are_in_a_stable_order_that_is_not_the_order_of_time(app, kari, cast):
    add_responses(app, cast, [ratings(4)[0]] * 1, texts={"better": "Tekst 0"}, quote_allowed=True)
    for i in range(1, 12):
        add_responses(app, cast, ratings(4), texts={"better": f"Tekst {i}"}, quote_allowed=True)
    first = [q.text() for q in page(kari.get(report_url(cast))).find_all("blockquote")]
    second = [q.text() for q in page(kari.get(report_url(cast))).find_all("blockquote")]
    assert first == second
    assert sorted(first) == sorted(f"Tekst {i}" for i in range(12))
    assert first != [f"Tekst {i}" for i in range(12)] and first != [f"Tekst {i}" for i in reversed(range(12))]


def test_many_free_texts_are_cut_and_the_page_says_how_many_there_are(app, kari, cast, monkeypatch):
    monkeypatch.setattr(reports, "COMMENTS_SHOWN", 5)
    for i in range(7):
        add_responses(app, cast, ratings(4), texts={"better": f"Tekst {i}"}, quote_allowed=True)
    section = page(kari.get(report_url(cast))).by_id("comments-heading").parent
    assert len(section.find_all("blockquote")) == 5
    assert translated(app, "%(shown)s of %(total)s comments are shown.", shown=5, total=7) in section.text()


# --- the chart ----------------------------------------------------------------------------------

def test_the_charts_have_a_text_alternative_and_the_tables_figures(app, kari, cast):
    add_responses(app, cast, ratings(5, 5, 4, 4, 3, 3), month=month_before(1))
    add_responses(app, cast, ratings(2, 2, 2, 2, 2), month=THIS_MONTH)
    body = page(kari.get(report_url(cast)))
    charts = body.find_all("svg", role="img")
    assert len(charts) == 2
    for chart in charts:
        title_id, desc_id = chart["aria-labelledby"].split()
        assert body.by_id(title_id).text() and body.by_id(desc_id).text()
    bars = {rect["data-month"]: rect["data-value"] for rect in charts[0].find_all("rect")}
    assert bars == {month_before(1): "6", THIS_MONTH: "5"}
    overall = next(g for g in charts[1].find_all("g", class_="chart-series") if g["data-key"] == "overall")
    points = overall.find("polyline")["points"].split()
    assert len(points) == 2
    # 4.0 then 2.0 on a scale of 1–5: the second point is lower (larger y).
    assert float(points[0].split(",")[1]) < float(points[1].split(",")[1])


# --- the services page and access ----------------------------------------------------------------

def test_the_services_page_lists_the_users_services(app, client, cast):
    sign_in(client, cast.kari)
    body = page(client.get("/feedback/services"))
    links = {a["href"] for a in body.find("main").find_all("a")}
    assert f"/feedback/services/{cast.service_bup}/report" in links
    assert f"/feedback/services/{cast.service_bup}/settings" in links
    assert f"/feedback/services/{cast.service_bup}/published" in links
    assert "PPT Test" not in body.find("main").text()
    sign_in(client, cast.admin)
    text = page(client.get("/feedback/services")).find("main").text()
    assert all(name in text for name in ["BUP Test", "PPT Test", "Skulehelse Test"])


@pytest.mark.parametrize("who", ["lise", "per"])
def test_a_professional_of_another_service_gets_404(app, client, cast, who):
    add_responses(app, cast, ratings(4, 4, 4, 4, 4, 4))
    sign_in(client, getattr(cast, who))
    assert client.get(report_url(cast)).status_code == 404
    assert client.get(csv_url(cast)).status_code == 404


@pytest.mark.parametrize("who", ["ola", "mother_a"])
def test_the_family_gets_403(app, client, cast, who):
    sign_in(client, getattr(cast, who))
    assert client.get(report_url(cast)).status_code == 403
    assert client.get(csv_url(cast)).status_code == 403
    assert client.get("/feedback/services").status_code == 403


def test_the_admin_sees_any_services_report(app, client, cast):
    add_responses(app, cast, ratings(4, 4, 4, 4, 4), service_id=_other_service(app, cast))
    sign_in(client, cast.admin)
    body = page(client.get(f"/feedback/services/{_other_service(app, cast)}/report"))
    assert norm(period_figures(body)) == ["5", "5", "100 %"]
