"""The family answers what was agreed: "I agree", "I do not agree" or a question; one answer each."""
from datetime import timedelta

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from core.models import utcnow
from pathways.models import AgreementAnswer, AnswerKind
from tests.conftest import post
from tests.helpers import page, parse, sign_in, translated
from tests.pathways.test_meetings import make_agreement, make_meeting
from youth import preparation_services

HTMX = {"HX-Request": "true"}


@pytest.fixture()
def point(app, cast) -> int:
    """A point agreed at a meeting on Ola's pathway three days ago (parents invited)."""
    meeting_id = make_meeting(app, cast.pathway_a, cast.kari, starts_at=utcnow() - timedelta(days=3))
    return make_agreement(app, meeting_id, cast.kari, what="Ola skriv ned når han legg seg", who="Ola")


def url(agreement_id) -> str:
    return f"/my/agreements/{agreement_id}/answer"


def answers(app):
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(AgreementAnswer.user_id, AgreementAnswer.answer, AgreementAnswer.question))]


def test_young_person_agrees_and_goes_back_to_the_agreements(app, client, cast, point):
    """Without JavaScript: back to the page of agreements, at the point, with the thanks."""
    sign_in(client, cast.ola)
    response = post(client, url(point), {"answer": "agree"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/my/agreements#agreement-{point}"
    assert answers(app) == [(cast.ola, AnswerKind.AGREE, None)]
    shown = page(client.get("/my/agreements"))
    assert translated(app, "Thank you. Your answer is saved, and the team can read it.") in shown.text()
    assert translated(app, "I agree") in shown.by_id(f"agreement-{point}").find("p", class_="answer-given").text()


def test_parent_answers_and_goes_back_to_the_agreements(app, client, cast, point):
    sign_in(client, cast.mother_a)
    response = post(client, url(point), {"answer": "question", "question": " Kva tid legg han seg no? "})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/my/agreements#agreement-{point}"
    assert answers(app) == [(cast.mother_a, AnswerKind.QUESTION, "Kva tid legg han seg no?")]


def test_sending_twice_keeps_one_answer_and_the_last_one_counts(app, client, cast, point):
    """A double tap, then a change of mind: still one row, with the latest answer (the question dropped)."""
    sign_in(client, cast.ola)
    post(client, url(point), {"answer": "question", "question": "Kvifor?"})
    post(client, url(point), {"answer": "question", "question": "Kvifor?"})
    assert answers(app) == [(cast.ola, AnswerKind.QUESTION, "Kvifor?")]
    post(client, url(point), {"answer": "disagree", "question": "Kvifor?"})
    assert answers(app) == [(cast.ola, AnswerKind.DISAGREE, None)]


def test_question_without_text_is_refused(app, client, cast, point):
    """Without JavaScript: the page of agreements again (400), the message beside the field of that
    point, the choice kept; nothing stored."""
    other = make_agreement(app, _meeting_of(app, point), cast.kari, what="Kari ringjer skulen", who="Kari")
    sign_in(client, cast.ola)
    response = post(client, url(point), {"answer": "question", "question": "  "})
    assert response.status_code == 400
    shown = page(response)
    assert len(shown.find_all("h1")) == 1  # the whole page
    assert shown.by_id(f"question-{point}-error").text() == translated(app, "Write your question.")
    assert "checked" in shown.by_id(f"answer-{point}-question").attrs
    assert shown.find(id=f"question-{other}-error") is None  # only the point that was sent
    assert "checked" not in shown.by_id(f"answer-{other}-question").attrs
    assert answers(app) == []


def test_question_without_text_with_htmx_shows_the_message_beside_the_field(app, client, cast, point):
    sign_in(client, cast.ola)
    response = post(client, url(point), {"answer": "question", "question": ""}, headers=HTMX)
    assert response.status_code == 200
    item = page(response).by_id(f"agreement-{point}")
    assert item.tag == "li"
    question = item.by_id(f"question-{point}")
    assert question["aria-invalid"] == "true"
    assert item.by_id(f"question-{point}-error").text() == translated(app, "Write your question.")
    assert "checked" in item.by_id(f"answer-{point}-question").attrs  # what was chosen stays
    assert answers(app) == []


def test_no_answer_chosen_is_refused(app, client, cast, point):
    sign_in(client, cast.ola)
    response = post(client, url(point), {}, headers=HTMX)
    assert page(response).by_id(f"answer-{point}-error").text() == translated(app, "Choose an answer.")
    assert answers(app) == []


def test_htmx_answer_returns_the_updated_point(app, client, cast, point):
    sign_in(client, cast.ola)
    response = post(client, url(point), {"answer": "agree"}, headers=HTMX)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<html" not in text
    item = page(response).by_id(f"agreement-{point}")
    assert translated(app, "Your answer:") in item.find("p", class_="answer-given").text()
    assert translated(app, "I agree") in item.find("p", class_="answer-given").text()
    form = item.find("form")
    assert form["action"] == url(point) and form["hx-post"] == url(point)
    assert "checked" in item.by_id(f"answer-{point}-agree").attrs
    assert answers(app) == [(cast.ola, AnswerKind.AGREE, None)]


def test_others_may_not_answer(app, client, cast, point):
    """Emma and her father: 404; professionals: 403; Ola's mother: 404 if the parents were not invited."""
    for user_id, status in ((cast.emma, 404), (cast.father_b, 404), (cast.kari, 403), (cast.admin, 403)):
        sign_in(client, user_id)
        assert post(client, url(point), {"answer": "agree"}).status_code == status
    without_parents = make_meeting(app, cast.pathway_a, cast.kari, starts_at=utcnow() - timedelta(days=1),
                                   parents_invited=False)
    hidden_point = make_agreement(app, without_parents, cast.kari)
    sign_in(client, cast.mother_a)
    assert post(client, url(hidden_point), {"answer": "agree"}).status_code == 404
    assert post(client, url(999999), {"answer": "agree"}).status_code == 404
    assert answers(app) == []


def test_latest_agreements_come_from_the_most_recent_meeting_with_points(app, client, cast, point):
    """Points of the latest meeting that has any (a later meeting without points does not hide them),
    each with this user's answer only; a parent does not see points of a meeting without parents."""
    older = make_meeting(app, cast.pathway_a, cast.kari, starts_at=utcnow() - timedelta(days=30))
    make_agreement(app, older, cast.kari, what="Gammalt punkt")
    make_meeting(app, cast.pathway_a, cast.kari, starts_at=utcnow() - timedelta(days=1))  # no points
    second = make_agreement(app, _meeting_of(app, point), cast.kari, what="Kari ringjer skulen", who="Kari")
    emma_meeting = make_meeting(app, cast.pathway_b, cast.lise, starts_at=utcnow() - timedelta(days=2))
    make_agreement(app, emma_meeting, cast.lise, what="Emma sitt punkt")
    sign_in(client, cast.ola)
    post(client, url(point), {"answer": "agree"})
    sign_in(client, cast.mother_a)
    post(client, url(second), {"answer": "question", "question": "Når?"})
    with app.app_context():
        ola, mother = db.session.get(User, cast.ola), db.session.get(User, cast.mother_a)
        [group] = preparation_services.latest_agreements(ola)
        [mothers] = preparation_services.latest_agreements(mother)
    assert [(p.what, p.answer) for p in group.points] == [("Ola skriv ned når han legg seg", AnswerKind.AGREE),
                                                          ("Kari ringjer skulen", None)]
    assert [(p.id, p.answer, p.question) for p in mothers.points] == [(point, None, None),
                                                                      (second, AnswerKind.QUESTION, "Når?")]

    hidden = make_meeting(app, cast.pathway_a, cast.kari, starts_at=utcnow() - timedelta(hours=2),
                          parents_invited=False)
    make_agreement(app, hidden, cast.kari, what="Berre for Ola")
    with app.app_context():
        mother = db.session.get(User, cast.mother_a)
        ola = db.session.get(User, cast.ola)
        assert [p.what for p in preparation_services.latest_agreements(mother)[0].points] == [
            "Ola skriv ned når han legg seg", "Kari ringjer skulen"]
        assert [p.what for p in preparation_services.latest_agreements(ola)[0].points] == [
            "Berre for Ola"]


def _meeting_of(app, agreement_id):
    from pathways.models import Agreement

    with app.app_context():
        return db.session.get(Agreement, agreement_id).meeting_id


def test_the_agreements_partial_has_working_forms(app, cast, point):
    """The partial the home pages include: a form per point that posts to the answer route."""
    with app.app_context():
        ola = db.session.get(User, cast.ola)
        groups = preparation_services.latest_agreements(ola)
    with app.test_request_context():
        with app.app_context():
            login_user(db.session.get(User, cast.ola))
            html = render_template("youth/_agreements.html", agreement_groups=groups)
    section = parse(html).find("section")
    assert translated(app, "Care team meeting") in section.find("h2").text()
    form = section.find("form", action=url(point))
    assert form["method"] == "post"
    assert form.find("input", name="csrf_token") is not None
    assert [i["value"] for i in form.find_all("input", name="answer")] == ["agree", "disagree", "question"]
    assert section.find("label", **{"for": f"question-{point}"}) is not None
