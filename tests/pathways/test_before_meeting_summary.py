"""The before-the-meeting page of issue 18: the summary at the top, how the last meetings felt, every
agreement point still open from earlier meetings with the family's answers, the print button, and
the reads of it all in the access log."""
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from core.extensions import db
from pathways.models import AccessLog, Agreement, AgreementAnswer, AnswerKind, InputKind, Meeting
from tests.conftest import as_user
from tests.helpers import page, translated
from tests.pathways import reading_data as data


def t(app, message, **variables):
    return translated(app, message, **variables)


def logged(app, reader_id, kind):
    with app.app_context():
        return set(db.session.scalars(select(AccessLog.item_id).where(AccessLog.reader_id == reader_id,
                                                                      AccessLog.item_kind == kind)))


@pytest.fixture()
def demo(app, demo_meeting):
    """The demo, and Ola's question to the first point agreed two weeks ago."""
    with app.app_context():
        point = db.session.scalar(select(Agreement.id).where(Agreement.pathway_id == demo_meeting["pathway"])
                                  .order_by(Agreement.id).limit(1))
        answer = AgreementAnswer(agreement_id=point, user_id=demo_meeting["ola"], answer=AnswerKind.QUESTION,
                                 question="Må eg skrive det kvar kveld?")
        db.session.add(answer)
        db.session.commit()
        return demo_meeting | {"answer": answer.id}


def section(response, heading_id):
    return page(response).by_id(heading_id).parent.text()


def test_the_summary_says_ola_takes_part_in_part_of_the_meeting(app, demo):
    response = as_user(app, demo["kari"]).get(demo["url"])
    assert response.status_code == 200
    summary = section(response, "summary-heading")
    assert t(app, "I take part in part of the meeting") in summary
    assert "Ein pause midt i møtet" in summary  # what he needs
    assert "Mamma og Per" in summary  # who he wants there
    assert "det som skjedde i sommar" in summary  # not while he is there
    assert t(app, "Comes in writing only") not in summary
    # The summary comes before everything else of the family's.
    body = response.get_data(as_text=True)
    assert body.index('id="summary-heading"') < body.index('id="felt-heading"') < body.index('id="preparations-heading"')


def test_the_last_meetings_ratings_with_olas_own_words_and_the_trend(app, demo):
    response = as_user(app, demo["kari"]).get(demo["url"])
    felt = section(response, "felt-heading")
    assert "Vi snakka nesten ikkje om skulen, og det var det eg ville." in felt
    assert t(app, "What could have been better:") in felt
    # Ola rated 4,4,4,4,4 four weeks ago and 3,1,3,3,2 two weeks ago; the meeting two days ago is not rated.
    trend = page(response).find("p", class_="felt-trend").text()
    assert "Ola Nordvik" in trend and "4,0 → 2,4" in trend
    assert t(app, "%(name)s: %(figures)s, worse than the time before", name="Ola Nordvik", figures="4,0 → 2,4") in trend
    assert t(app, "No rating of this meeting was shared with the team.") in felt
    assert len(page(response).find_all("div", class_="felt-meeting")) == 3


def test_open_points_from_earlier_meetings_with_the_familys_answers(app, demo):
    response = as_user(app, demo["kari"]).get(demo["url"])
    points = section(response, "agreements-heading")
    assert "Ola skriv ned kva tid han legg seg kvar kveld" in points
    assert "Per snakkar med kontaktlæraren om kva som er vanskeleg på skulen" in points
    assert "Ola Nordvik: " + t(app, "I have a question") in points and "Må eg skrive det kvar kveld?" in points


def test_the_ratings_and_answers_shown_are_logged_as_reads(app, demo):
    from feedback.models import FeedbackRequest, FeedbackResponse, ResponseSharing

    as_user(app, demo["kari"]).get(demo["url"])
    with app.app_context():
        shared = set(db.session.scalars(
            select(FeedbackResponse.id).join(FeedbackRequest)
            .where(FeedbackRequest.pathway_id == demo["pathway"], FeedbackResponse.sharing == ResponseSharing.TEAM)))
    assert shared and logged(app, demo["kari"], InputKind.FEEDBACK) == shared
    assert logged(app, demo["kari"], InputKind.ANSWER) == {demo["answer"]}


def test_the_print_button_is_a_plain_button_for_stemme_js(app, demo):
    response = as_user(app, demo["kari"]).get(demo["url"])
    buttons = [b for b in page(response).find_all("button") if "data-print" in b.attrs]
    assert len(buttons) == 1 and buttons[0].get("type") == "button" and "hidden" in buttons[0].attrs
    assert "onclick" not in response.get_data(as_text=True)
    from pathlib import Path

    js = (Path(app.root_path) / "static/js/stemme.js").read_text()
    assert "button[data-print]" in js and "window.print()" in js
    css = (Path(app.root_path) / "static/css/stemme.css").read_text()
    print_rules = css[css.index("@media print"):]
    assert "nav" in print_rules and ".save-bar" in print_rules and "position: static" in print_rules


# --- with the reading_data helpers ---------------------------------------------------------------------

def _held(app, pathway_id, created_by, starts_at):
    meeting_id = data.meeting(app, pathway_id, created_by, starts_at)
    with app.app_context():
        db.session.execute(update(Meeting).where(Meeting.id == meeting_id)
                           .values(held_at=starts_at + timedelta(hours=1)))
        db.session.commit()
    return meeting_id


def test_in_writing_only_is_flagged_at_the_top(app, kari, cast):
    meeting = data.meeting(app, cast.pathway_a, cast.kari, datetime(2026, 3, 12, 13, 0, tzinfo=UTC))
    data.preparation(app, meeting, cast.pathway_a, cast.ola, participation=data.Participation.IN_WRITING,
                     needs="Les opp det eg skreiv")
    response = kari.get(f"/pathways/{cast.pathway_a}/meetings/{meeting}")
    alert = page(response).find("section", class_="meeting-summary").find("div", class_="ds-alert")
    assert alert is not None and t(app, "Comes in writing only") in alert.text()
    assert "Les opp det eg skreiv" in section(response, "summary-heading")


def test_not_prepared_or_only_me_is_said_in_one_line(app, kari, cast):
    meeting = data.meeting(app, cast.pathway_a, cast.kari, datetime(2026, 3, 12, 13, 0, tzinfo=UTC))
    data.preparation(app, meeting, cast.pathway_a, cast.ola, sharing=data.Sharing.PRIVATE,
                     participation=data.Participation.IN_WRITING, needs="Hemmeleg")
    response = kari.get(f"/pathways/{cast.pathway_a}/meetings/{meeting}")
    summary = section(response, "summary-heading")
    assert t(app, "%(name)s has not prepared for this meeting, or has not shared the preparation with the team.",
             name="Ola Nordvik") in summary
    assert "Hemmeleg" not in response.get_data(as_text=True)
    assert t(app, "Comes in writing only") not in summary


def test_a_point_followed_up_at_a_held_meeting_is_no_longer_open(app, kari, cast):
    """Open: due after the last meeting held before this one, or without a due date from that meeting on."""
    first = _held(app, cast.pathway_a, cast.kari, datetime(2026, 1, 10, 10, 0, tzinfo=UTC))
    second = _held(app, cast.pathway_a, cast.kari, datetime(2026, 2, 10, 10, 0, tzinfo=UTC))
    meeting = data.meeting(app, cast.pathway_a, cast.kari, datetime(2026, 3, 12, 13, 0, tzinfo=UTC))
    later = data.meeting(app, cast.pathway_a, cast.kari, datetime(2026, 4, 12, 13, 0, tzinfo=UTC))
    data.agreement(app, first, cast.pathway_a, cast.kari, "Forfall før andre møte", due_on=date(2026, 2, 1))
    data.agreement(app, first, cast.pathway_a, cast.kari, "Forfall etter andre møte", due_on=date(2026, 3, 1),
                   answers=[(cast.mother_a, data.AnswerKind.DISAGREE, None)])
    data.agreement(app, first, cast.pathway_a, cast.kari, "Utan frist frå første", due_on=None)
    data.agreement(app, second, cast.pathway_a, cast.kari, "Utan frist frå andre", due_on=None)
    data.agreement(app, later, cast.pathway_a, cast.kari, "Frå eit seinare møte", due_on=date(2026, 5, 1))
    response = kari.get(f"/pathways/{cast.pathway_a}/meetings/{meeting}")
    points = section(response, "agreements-heading")
    assert "Forfall etter andre møte" in points and "Utan frist frå andre" in points
    assert "Randi Nordvik: " + t(app, "I do not agree") in points
    assert "Forfall før andre møte" not in points and "Utan frist frå første" not in points
    assert "Frå eit seinare møte" not in points


def test_the_page_runs_the_same_queries_with_many_held_meetings_ratings_and_points(app, cast):
    """Three held meetings with ratings, or thirty: the same number of SQL statements."""
    from tests.pathways.test_query_counts import measure

    def build(pathway_id, young_user, parent, coordinator, n):
        from feedback import services as feedback
        from feedback.models import (
            FeedbackAnswer,
            FeedbackRequest,
            FeedbackResponse,
            RequestReason,
            ResponseSharing,
        )

        start = datetime(2025, 1, 6, 10, 0, tzinfo=UTC)
        held = [_held(app, pathway_id, coordinator, start + timedelta(days=7 * i)) for i in range(n)]
        for i, meeting_id in enumerate(held):
            data.agreement(app, meeting_id, pathway_id, coordinator, f"Punkt {i}", due_on=None,
                           answers=[(young_user, data.AnswerKind.AGREE, None)])
        with app.app_context():
            version = feedback.current_version(feedback.MEETING_SET)
            for meeting_id in held:
                for user_id in (young_user, parent):
                    request = FeedbackRequest(
                        reason=RequestReason.MEETING, set_id=version.set_id, pathway_id=pathway_id,
                        user_id=user_id, meeting_id=meeting_id, service_id=cast.service_bup, created_at=start, month=feedback.month_of(start), closes_at=start + timedelta(days=14))
                    response = FeedbackResponse(request=request, version_id=version.id,
                                                sharing=ResponseSharing.TEAM, submitted_at=start, updated_at=start)
                    response.answers = [FeedbackAnswer(item_id=item.id, value=3) for item in version.items
                                        if item.scale is not None]
                    db.session.add(response)
            db.session.commit()
        return data.meeting(app, pathway_id, coordinator, start + timedelta(days=7 * n + 3))

    small = build(cast.pathway_a, cast.ola, cast.mother_a, cast.kari, 3)
    large = build(cast.pathway_b, cast.emma, cast.father_b, cast.lise, 30)
    few = measure(app, cast.kari, f"/pathways/{cast.pathway_a}/meetings/{small}")
    many = measure(app, cast.lise, f"/pathways/{cast.pathway_b}/meetings/{large}")
    assert few == many <= 15
