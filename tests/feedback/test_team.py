"""What the team sees and does with the family's feedback: the trend on the pathway page, every
shared response, alerts on the worklist, marking a meeting held and sending the questionnaire."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts.models import Role, User, YoungPerson
from core.extensions import db
from core.models import today_in_oslo, utcnow
from feedback import services
from feedback.models import FeedbackAlert, FeedbackRequest, QuestionSet, RequestReason, ResponseSharing
from pathways.models import AccessLog, InputKind, Meeting, MeetingKind, Pathway
from tests.conftest import post
from tests.helpers import count, field_error, page, sign_in, translated


def meeting(cast, days_ago=1.0, pathway=None, organiser=None) -> int:
    starts = utcnow() - timedelta(days=days_ago)
    found = Meeting(pathway_id=pathway or cast.pathway_a, kind=MeetingKind.CARE_TEAM, starts_at=starts,
                    ends_at=starts + timedelta(hours=1), place="Skulen", purpose="Korleis går det?",
                    created_by_id=organiser or cast.kari)
    db.session.add(found)
    db.session.commit()
    return found.id


def held(cast, days_ago=1.0) -> dict[int, FeedbackRequest]:
    """A meeting on Ola's pathway, marked held by Kari: a request for Ola and one for his mother."""
    meeting_id = meeting(cast, days_ago)
    services.mark_held(db.session.get(Meeting, meeting_id), db.session.get(User, cast.kari))
    asked = db.session.scalars(select(FeedbackRequest).where(FeedbackRequest.meeting_id == meeting_id))
    return {r.user_id: r for r in asked}


def rate(request, values, sharing=ResponseSharing.TEAM, text=None):
    version = services.current_version(services.MEETING_SET)
    scale_items = [item for item in version.items if item.scale is not None]
    texts = {next(item.id for item in version.items if item.scale is None): text} if text else {}
    return services.save_response(request, services.Answers(
        values={item.id: value for item, value in zip(scale_items, values)}, texts=texts, sharing=sharing))


@pytest.fixture()
def rated(app, cast):
    """Two held meetings on Ola's pathway. Ola shared both ratings with the team (the second low,
    with a free text); his mother rated the first for the team and the second only anonymously."""
    with app.app_context():
        first, second = held(cast, days_ago=8), held(cast, days_ago=1)
        rate(first[cast.ola], [4, 5, 4, 3, 4])
        rate(second[cast.ola], [1, 3, 4, 3, 3], text="Dei snakka over hovudet mitt")
        rate(first[cast.mother_a], [5, 5, 5, 5, 5])
        rate(second[cast.mother_a], [2, 2, 2, 2, 2], sharing=ResponseSharing.ANONYMOUS, text="HEMMELEG")
        alert = db.session.scalar(select(FeedbackAlert))
        return {"alert": alert.id, "first": first[cast.ola].meeting_id, "second": second[cast.ola].meeting_id}


def feedback_reads(app, reader_id) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(AccessLog.item_id).where(
            AccessLog.reader_id == reader_id, AccessLog.item_kind == InputKind.FEEDBACK)))


def shared_response_ids(app, cast) -> set[int]:
    from feedback.models import FeedbackResponse

    with app.app_context():
        return set(db.session.scalars(select(FeedbackResponse.id).join(FeedbackRequest).where(
            FeedbackRequest.pathway_id == cast.pathway_a, FeedbackResponse.sharing == ResponseSharing.TEAM)))


# --- the trend on the pathway page ----------------------------------------------------------------

def test_the_pathway_page_shows_a_chart_and_a_table_per_person_without_anonymous_answers(app, client, cast, rated):
    sign_in(client, cast.kari)
    response = client.get(f"/pathways/{cast.pathway_a}")
    assert response.status_code == 200
    body = page(response)
    section = body.by_id("feedback-heading").parent
    assert section.find("h2").text() == translated(app, "How the meetings felt")
    people = [h.text() for h in section.find_all("h3")]
    # The young person first, then the parent; each with their own chart and table.
    assert people == [translated(app, "%(name)s (young person)", name="Ola Nordvik"),
                      translated(app, "%(name)s (parent)", name="Randi Nordvik")]
    charts = section.find_all("svg", class_="trend-chart")
    assert len(charts) == 2 and all(svg["role"] == "img" for svg in charts)
    assert "Ola Nordvik" in charts[0]["aria-label"] and "Randi Nordvik" in charts[1]["aria-label"]
    description = body.by_id(charts[0]["aria-describedby"]).text()
    assert "Stemmer ikke" in description and "Stemmer helt" in description  # what 1 and 5 mean

    ola_table, mother_table = section.find_all("table")
    assert ola_table.find("caption").text() == translated(
        app, "The ratings from %(name)s, meeting by meeting", name="Ola Nordvik")
    headers = [th.text() for th in ola_table.find("thead").find_all("th")]
    assert all(th["scope"] == "col" for th in ola_table.find("thead").find_all("th"))
    assert headers[1:3] == ["Jeg ble lyttet til.", "Vi snakket om det som var viktig for meg."]  # bokmål
    rows = ola_table.find("tbody").find_all("tr")
    assert [row.find("th")["scope"] for row in rows] == ["row", "row"]
    cells = [[td.text() for td in row.find_all("td")] for row in rows]
    assert cells[0][:5] == ["4 – Stemmer godt", "5 – Stemmer helt", "4 – Stemmer godt", "3 – Stemmer litt",
                            "4 – Stemmer godt"]
    assert cells[1][0] == "1 – Stemmer ikke" and cells[1][-1] == "Dei snakka over hovudet mitt"
    # The mother's anonymous rating of the second meeting is neither in her table nor anywhere else.
    assert len(mother_table.find("tbody").find_all("tr")) == 1
    assert "2 – Stemmer lite" not in response.get_data(as_text=True)
    assert "HEMMELEG" not in response.get_data(as_text=True)
    # Each chart draws one marker per answered item: Ola 2 meetings × 5, his mother 1 × 5.
    assert [len([el for el in svg.iter() if "marker" in (el.get("class") or "")]) for svg in charts] == [10, 5]
    legend = section.find("ul", class_="trend-legend")
    assert len(legend.find_all("li")) == 5 and "Jeg ble lyttet til." in legend.text()
    assert section.find("a", href=f"/feedback/pathways/{cast.pathway_a}") is not None


def test_the_trend_is_in_nynorsk_for_a_reader_who_chose_it_and_the_reads_are_logged(app, client, cast, rated):
    with app.app_context():
        db.session.get(User, cast.per).locale = "nn"
        db.session.commit()
    assert feedback_reads(app, cast.per) == set()
    sign_in(client, cast.per)
    body = client.get(f"/pathways/{cast.pathway_a}").get_data(as_text=True)
    assert "1 – Stemmer ikkje" in body and "Eg vart lytta til." in body
    assert feedback_reads(app, cast.per) == shared_response_ids(app, cast)
    assert len(shared_response_ids(app, cast)) == 3  # Ola's two and his mother's first


def test_nothing_shared_says_so(app, client, cast):
    with app.app_context():
        requests = held(cast)
        rate(requests[cast.ola], [3, 3, 3, 3, 3], sharing=ResponseSharing.ANONYMOUS)
    sign_in(client, cast.kari)
    body = page(client.get(f"/pathways/{cast.pathway_a}"))
    section = body.by_id("feedback-heading").parent
    assert section.find("svg") is None and section.find("table") is None
    assert translated(app, "No ratings of the meetings have been shared with the team yet.") in section.text()
    assert feedback_reads(app, cast.kari) == set()


# --- every shared response ------------------------------------------------------------------------

def questionnaire_answer(app, cast, sharing=ResponseSharing.TEAM, text="Godt å bli høyrd"):
    """The mother answers the questionnaire about the help (all "true", and a free text)."""
    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        services.send_questionnaire(pathway, db.session.get(User, cast.kari))
        db.session.commit()
        request = db.session.scalar(select(FeedbackRequest).where(FeedbackRequest.user_id == cast.mother_a,
                                                                  FeedbackRequest.reason == RequestReason.ON_DEMAND))
        version = services.current_version(request.question_set.key)
        values = {item.id: 3 for item in version.items if item.scale is not None}
        texts = {next(item.id for item in version.items if item.scale is None): text}
        services.save_response(request, services.Answers(values=values, texts=texts, sharing=sharing))


def test_the_responses_page_lists_every_shared_answer_newest_first_and_logs_the_reads(app, client, cast, rated):
    questionnaire_answer(app, cast)
    sign_in(client, cast.kari)
    response = client.get(f"/feedback/pathways/{cast.pathway_a}")
    assert response.status_code == 200
    body = page(response)
    cards = body.find_all("article", class_="feedback-response")
    headings = [card.find("h2").text() for card in cards]
    assert len(cards) == 4  # the mother's questionnaire, Ola's two ratings, the mother's first rating
    assert headings[0].startswith(translated(app, "%(name)s (parent)", name="Randi Nordvik"))
    assert "Hva synes du om hjelpen? (foreldre)" in headings[0]
    assert "Stemmer" in cards[0].text() and "Godt å bli høyrd" in cards[0].text()
    ola_low = next(card for card in cards if "Dei snakka over hovudet mitt" in card.text())
    assert "1 – Stemmer ikke" in ola_low.text()
    text = response.get_data(as_text=True)
    assert "HEMMELEG" not in text and "2 – Stemmer lite" not in text
    assert len(body.find_all("h1")) == 1
    assert feedback_reads(app, cast.kari) == shared_response_ids(app, cast)


def test_an_anonymous_questionnaire_is_not_shown(app, client, cast):
    questionnaire_answer(app, cast, sharing=ResponseSharing.ANONYMOUS, text="HEMMELEG")
    sign_in(client, cast.kari)
    response = client.get(f"/feedback/pathways/{cast.pathway_a}")
    assert "HEMMELEG" not in response.get_data(as_text=True) and "Randi" not in response.get_data(as_text=True)
    assert page(response).find("article") is None
    assert feedback_reads(app, cast.kari) == set()


def test_someone_not_on_the_team_gets_404(app, client, cast, rated):
    sign_in(client, cast.lise)
    assert client.get(f"/feedback/pathways/{cast.pathway_a}").status_code == 404
    assert client.get(f"/feedback/pathways/{cast.pathway_a}/alerts/{rated['alert']}").status_code == 404
    assert post(client, f"/feedback/pathways/{cast.pathway_a}/alerts/{rated['alert']}").status_code == 404
    assert post(client, f"/feedback/pathways/{cast.pathway_a}/questionnaire").status_code == 404
    assert feedback_reads(app, cast.lise) == set()


# --- alerts ---------------------------------------------------------------------------------------

def worklist_alerts(client):
    body = page(client.get("/pathways/"))
    heading = body.find(id="feedback-alerts-heading")
    return heading.parent.text() if heading is not None else None


def test_the_alert_is_on_the_worklists_of_the_team_until_someone_marks_it_seen(app, client, cast, rated):
    url = f"/feedback/pathways/{cast.pathway_a}/alerts/{rated['alert']}"
    for reader in (cast.kari, cast.per):
        sign_in(client, reader)
        text = worklist_alerts(client)
        assert text is not None and "Ola Nordvik" in text
        assert translated(app, "answered at the lowest two steps") in text
        body = page(client.get("/pathways/"))
        assert body.find("a", href=url) is not None
    sign_in(client, cast.lise)
    assert worklist_alerts(client) is None

    sign_in(client, cast.kari)
    alert_page = client.get(url)
    assert alert_page.status_code == 200
    assert "Dei snakka over hovudet mitt" in alert_page.get_data(as_text=True)
    assert "1 – Stemmer ikke" in alert_page.get_data(as_text=True)
    with app.app_context():
        ola_low = db.session.get(FeedbackAlert, rated["alert"]).response_id
    assert ola_low in feedback_reads(app, cast.kari)

    done = post(client, url, {"note": "Eg ringjer Ola i morgon."})
    assert done.status_code == 303 and done.headers["Location"] == "/pathways/"
    with app.app_context():
        alert = db.session.get(FeedbackAlert, rated["alert"])
        assert alert.seen_by_id == cast.kari and alert.seen_at is not None
        assert alert.note == "Eg ringjer Ola i morgon."
    assert worklist_alerts(client) is None
    sign_in(client, cast.per)
    assert worklist_alerts(client) is None
    seen = page(client.get(url))
    assert "Kari Nordmann" in seen.text() and "Eg ringjer Ola i morgon." in seen.text()
    assert seen.find("form", action=url) is None
    again = post(client, url, {"note": "Ny"})
    assert again.status_code == 409
    with app.app_context():
        assert db.session.get(FeedbackAlert, rated["alert"]).note == "Eg ringjer Ola i morgon."


def test_a_drop_of_all_in_all_reads_as_a_drop(app, client, cast):
    with app.app_context():
        first, second = held(cast, days_ago=8), held(cast, days_ago=1)
        rate(first[cast.ola], [5, 5, 5, 5, 5])
        rate(second[cast.ola], [4, 4, 4, 4, 3])
    sign_in(client, cast.kari)
    assert translated(app, "all in all dropped by two steps or more") in worklist_alerts(client)


def test_a_long_note_is_refused_beside_the_field_and_kept(app, client, cast, rated):
    url = f"/feedback/pathways/{cast.pathway_a}/alerts/{rated['alert']}"
    sign_in(client, cast.kari)
    response = post(client, url, {"note": "x" * 1001})
    assert response.status_code == 400
    assert field_error(response, "note") == translated(app, "Write at most %(max)d characters.") % {"max": 1000}
    assert page(response).by_id("note").text() == "x" * 1001
    with app.app_context():
        assert db.session.get(FeedbackAlert, rated["alert"]).seen_at is None
    no_note = post(client, url, {"note": "  "})
    assert no_note.status_code == 303
    with app.app_context():
        alert = db.session.get(FeedbackAlert, rated["alert"])
        assert alert.seen_at is not None and alert.note is None


def test_an_alert_of_another_pathway_is_404(app, client, cast, rated):
    """Lise reaches her own pathway, but Ola's alert is not on it."""
    sign_in(client, cast.lise)
    assert client.get(f"/feedback/pathways/{cast.pathway_b}").status_code == 200
    assert client.get(f"/feedback/pathways/{cast.pathway_b}/alerts/{rated['alert']}").status_code == 404
    assert post(client, f"/feedback/pathways/{cast.pathway_b}/alerts/{rated['alert']}").status_code == 404
    sign_in(client, cast.kari)
    assert client.get(f"/feedback/pathways/{cast.pathway_a}/alerts/999999").status_code == 404
    with app.app_context():
        assert db.session.get(FeedbackAlert, rated["alert"]).seen_at is None


def test_on_a_closed_pathway_the_alert_is_read_but_not_marked(app, client, cast, rated):
    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        pathway.closed_at, pathway.closing_summary = utcnow(), "Ferdig"
        db.session.commit()
    url = f"/feedback/pathways/{cast.pathway_a}/alerts/{rated['alert']}"
    sign_in(client, cast.kari)
    assert worklist_alerts(client) is None  # it could never be marked seen: it leaves the worklist
    shown = client.get(url)
    assert shown.status_code == 200 and page(shown).find("form", action=url) is None
    assert post(client, url, {"note": "Sett"}).status_code == 409
    assert post(client, f"/feedback/pathways/{cast.pathway_a}/questionnaire").status_code == 409
    assert post(client, f"/feedback/pathways/{cast.pathway_a}/meetings/{rated['second']}/held").status_code == 409
    with app.app_context():
        assert db.session.get(FeedbackAlert, rated["alert"]).seen_at is None
    body = page(client.get(f"/pathways/{cast.pathway_a}"))
    assert body.find("form", action=f"/feedback/pathways/{cast.pathway_a}/questionnaire") is None
    assert body.find("svg", class_="trend-chart") is not None  # still read


# --- marking a meeting held -----------------------------------------------------------------------

def test_marking_held_after_the_family_was_asked_says_how_many_were_asked(app, client, cast):
    """The meeting ended two hours ago and Ola and his mother have opened their home pages (and so
    have their requests): Kari marking it held is told that two were asked, not that nobody could
    be (found in review)."""
    from feedback.services import make_due_requests

    with app.app_context():
        ended = meeting(cast, days_ago=0.125)
        for user_id in (cast.ola, cast.mother_a):
            make_due_requests(db.session.get(User, user_id))
    sign_in(client, cast.kari)
    response = post(client, f"/feedback/pathways/{cast.pathway_a}/meetings/{ended}/held")
    shown = " ".join(client.get(response.headers["Location"]).get_data(as_text=True).split())
    assert translated(app, "The meeting is marked as held. %(num)d person in the family is asked how it went.",
                      plural="The meeting is marked as held. %(num)d people in the family are asked how it went.",
                      num=2) in shown
    assert count(app, FeedbackRequest, FeedbackRequest.meeting_id == ended) == 2


def test_marking_a_meeting_held_asks_ola_and_his_mother(app, client, cast):
    with app.app_context():
        started = meeting(cast, days_ago=0.1)
    meeting_url = f"/pathways/{cast.pathway_a}/meetings/{started}"
    held_url = f"/feedback/pathways/{cast.pathway_a}/meetings/{started}/held"
    sign_in(client, cast.per)
    before = page(client.get(meeting_url))
    assert before.find("form", action=held_url) is not None
    assert translated(app, "Mark the meeting as held") in before.by_id("held-heading").parent.text()

    response = post(client, held_url)
    assert response.status_code == 303 and response.headers["Location"].startswith(meeting_url)
    with app.app_context():
        asked = {r.user_id: r.reason for r in db.session.scalars(
            select(FeedbackRequest).where(FeedbackRequest.meeting_id == started))}
        assert db.session.get(Meeting, started).held_at is not None
    assert asked == {cast.ola: RequestReason.MEETING, cast.mother_a: RequestReason.MEETING}
    after = client.get(meeting_url)
    section = page(after).by_id("held-heading").parent
    assert translated(app, "Held; the family has been asked how it went.") in section.text()
    assert "2" in section.text() and section.find("form") is None
    flashed = translated(app, "The meeting is marked as held. %(num)d person in the family is asked how it went.",
                         plural="The meeting is marked as held. %(num)d people in the family are asked how it went.",
                         num=2)
    assert flashed in after.get_data(as_text=True)
    assert flashed not in client.get(meeting_url).get_data(as_text=True)  # shown once
    # Marking it again makes no second request.
    assert post(client, held_url).status_code == 303
    assert count(app, FeedbackRequest, FeedbackRequest.meeting_id == started) == 2


def test_a_meeting_that_has_not_started_cannot_be_marked_held(app, client, cast):
    with app.app_context():
        future = meeting(cast, days_ago=-2)
    sign_in(client, cast.kari)
    body = page(client.get(f"/pathways/{cast.pathway_a}/meetings/{future}"))
    assert body.find(id="held-heading") is None
    assert post(client, f"/feedback/pathways/{cast.pathway_a}/meetings/{future}/held").status_code == 303
    assert count(app, FeedbackRequest) == 0
    with app.app_context():
        assert db.session.get(Meeting, future).held_at is None


def test_a_meeting_of_another_pathway_is_404(app, client, cast):
    with app.app_context():
        other = meeting(cast, pathway=cast.pathway_b, organiser=cast.lise)
    sign_in(client, cast.kari)
    assert post(client, f"/feedback/pathways/{cast.pathway_a}/meetings/{other}/held").status_code == 404
    assert count(app, FeedbackRequest) == 0


# --- sending the questionnaire --------------------------------------------------------------------

def expected_set(role: Role, birth_date) -> str:
    today = today_in_oslo()
    age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    if role == Role.PARENT:
        return "questionnaire_parent"
    return "questionnaire_youth" if age >= 12 else "questionnaire_child" if age >= 9 else None


def sent_sets(app, pathway_id) -> dict[int, str]:
    with app.app_context():
        return dict(db.session.execute(
            select(FeedbackRequest.user_id, QuestionSet.key).join(QuestionSet, QuestionSet.id == FeedbackRequest.set_id)
            .where(FeedbackRequest.pathway_id == pathway_id, FeedbackRequest.reason == RequestReason.ON_DEMAND)).all())


@pytest.mark.parametrize("which", ["a", "b"])
def test_sending_the_questionnaire_asks_the_family_with_the_set_for_their_age_and_role(app, client, cast, which):
    pathway_id, coordinator, young, parent, young_person = (
        (cast.pathway_a, cast.kari, cast.ola, cast.mother_a, cast.young_a) if which == "a"
        else (cast.pathway_b, cast.lise, cast.emma, cast.father_b, cast.young_b))
    with app.app_context():
        birth_date = db.session.get(YoungPerson, young_person).birth_date
    sign_in(client, coordinator)
    button = page(client.get(f"/pathways/{pathway_id}")).find(
        "form", action=f"/feedback/pathways/{pathway_id}/questionnaire")
    assert translated(app, "Send the questionnaire about the help to the family") in button.text()
    response = post(client, f"/feedback/pathways/{pathway_id}/questionnaire")
    assert response.status_code == 303 and response.headers["Location"].startswith(f"/pathways/{pathway_id}")
    assert sent_sets(app, pathway_id) == {young: expected_set(Role.YOUNG_PERSON, birth_date),
                                          parent: "questionnaire_parent"}
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert translated(app, "The questionnaire is sent to %(num)d person in the family.",
                      plural="The questionnaire is sent to %(num)d people in the family.", num=2) in shown
    # A second press while both are still open sends nothing, and says why.
    again = post(client, f"/feedback/pathways/{pathway_id}/questionnaire")
    assert again.status_code == 303
    assert len(sent_sets(app, pathway_id)) == 2
    assert count(app, FeedbackRequest, FeedbackRequest.pathway_id == pathway_id) == 2
    assert translated(app, "Nobody got the questionnaire: nobody in the family has an account in Stemme yet, each "
                           "of them got one from your service in the last 30 days, or the young person is under 9.") in \
        " ".join(client.get(again.headers["Location"]).get_data(as_text=True).split())


# --- queries --------------------------------------------------------------------------------------

def test_the_trend_costs_the_same_queries_for_one_or_many_rated_meetings(app, cast):
    """Ola's pathway with one rated meeting, Emma's with six rated by Emma and her father: the
    pathway page runs as many queries for each (no loading per meeting, item or person)."""
    from tests.helpers import counting_queries
    from tests.pathways.test_query_counts import MOST_QUERIES

    with app.app_context():
        rate(held(cast)[cast.ola], [3, 3, 3, 3, 3])
        for n in range(6):
            meeting_id = meeting(cast, days_ago=1 + n, pathway=cast.pathway_b, organiser=cast.lise)
            services.mark_held(db.session.get(Meeting, meeting_id), db.session.get(User, cast.lise))
            for request in db.session.scalars(select(FeedbackRequest).where(FeedbackRequest.meeting_id == meeting_id)):
                rate(request, [1 + (n + k) % 5 for k in range(5)], text=f"Tekst {n}")

    def queries(user_id, pathway_id):
        client = app.test_client()
        sign_in(client, user_id)
        with counting_queries(app) as statements:
            body = client.get(f"/pathways/{pathway_id}").get_data(as_text=True)
        return len(statements), body

    small, _ = queries(cast.kari, cast.pathway_a)
    large, body = queries(cast.lise, cast.pathway_b)
    assert all(f"Tekst {n}" in body for n in range(6))
    assert small == large <= MOST_QUERIES


def test_a_parents_alert_names_the_parent_and_a_closed_pathway_shows_no_held_button(app, client, cast):
    with app.app_context():
        requests = held(cast)
        rate(requests[cast.mother_a], [2, 4, 4, 4, 4])
        unmarked = meeting(cast, days_ago=0.1)
    sign_in(client, cast.per)
    text = worklist_alerts(client)
    assert translated(app, "%(young)s: %(name)s (parent)", young="Ola Nordvik", name="Randi Nordvik") in text
    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        pathway.closed_at, pathway.closing_summary = utcnow(), "Ferdig"
        db.session.commit()
    section = page(client.get(f"/pathways/{cast.pathway_a}/meetings/{unmarked}")).by_id("held-heading").parent
    assert section.find("form") is None
    assert translated(app, "The meeting was not marked as held. The pathway is closed, so nothing can be changed.") \
        in section.text()
