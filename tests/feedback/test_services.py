"""Feedback requests, responses and alerts (feedback/services.py): who is asked when, one response per
person per meeting, the windows, and which ratings alert the team."""
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accounts.models import Role, User
from core.extensions import db
from core.models import utcnow
from feedback import services, team_services
from feedback.models import (
    AlertReason, FeedbackAlert, FeedbackRequest, FeedbackResponse, RequestReason, ResponseSharing,
    ServiceFeedbackSettings,
)
from pathways.models import Meeting, MeetingKind, Pathway
from tests.helpers import count


def meeting(cast, days_ago=1, young=True, parents=True, organiser=None, pathway=None) -> int:
    starts = utcnow() - timedelta(days=days_ago, hours=2)
    found = Meeting(pathway_id=pathway or cast.pathway_a, kind=MeetingKind.CONVERSATION, starts_at=starts,
                    ends_at=starts + timedelta(hours=1), place="BUP", purpose="Korleis går det?",
                    young_person_invited=young, parents_invited=parents, created_by_id=organiser or cast.kari)
    db.session.add(found)
    db.session.commit()
    return found.id


def requests_for(meeting_id) -> dict[int, FeedbackRequest]:
    return {r.user_id: r for r in db.session.scalars(select(FeedbackRequest).where(FeedbackRequest.meeting_id == meeting_id))}


def rate(request: FeedbackRequest, values: list[int], sharing=ResponseSharing.TEAM, text=None) -> FeedbackResponse:
    version = services.current_version(services.MEETING_SET)
    scale_items = [item for item in version.items if item.scale is not None]
    texts = {}
    if text:
        texts = {next(item.id for item in version.items if item.scale is None): text}
    answers = services.Answers(values={item.id: value for item, value in zip(scale_items, values)}, texts=texts,
                               sharing=sharing)
    return services.save_response(request, answers)


def test_a_held_meeting_asks_the_young_person_and_the_parent(app, cast):
    """When a meeting's end has passed, Ola and his mother each get one request, counted for the
    organiser's service, the next time they look; asking again makes no second one."""
    with app.app_context():
        held = meeting(cast)
        ola, mother = db.session.get(User, cast.ola), db.session.get(User, cast.mother_a)
        services.make_due_requests(ola)
        assert set(requests_for(held)) == {cast.ola}
        services.make_due_requests(mother)
        services.make_due_requests(ola)
        made = requests_for(held)
        assert set(made) == {cast.ola, cast.mother_a}
        assert {r.service_id for r in made.values()} == {cast.service_bup}
        assert all(r.reason == RequestReason.MEETING and r.closes_at > utcnow() for r in made.values())


def test_nobody_is_asked_about_a_meeting_before_it_ends_or_long_after(app, cast):
    with app.app_context():
        future = meeting(cast, days_ago=-2)
        old = meeting(cast, days_ago=services.ANSWER_DAYS + 2)
        services.make_due_requests(db.session.get(User, cast.ola))
        assert requests_for(future) == {} and requests_for(old) == {}


def test_only_the_invited_are_asked(app, cast):
    """A meeting without the young person asks only the parents, and the other way round."""
    with app.app_context():
        parents_only = meeting(cast, young=False)
        young_only = meeting(cast, parents=False)
        for user_id in (cast.ola, cast.mother_a):
            services.make_due_requests(db.session.get(User, user_id))
        assert set(requests_for(parents_only)) == {cast.mother_a}
        assert set(requests_for(young_only)) == {cast.ola}


def test_marking_a_meeting_held_asks_at_once(app, cast):
    """A professional marks a meeting held before its end time: the family is asked straight away."""
    with app.app_context():
        starts = utcnow() - timedelta(minutes=10)
        found = Meeting(pathway_id=cast.pathway_a, kind=MeetingKind.CARE_TEAM, starts_at=starts,
                        ends_at=starts + timedelta(hours=2), place="Skulen", purpose="Plan", created_by_id=cast.per)
        db.session.add(found)
        db.session.commit()
        made = services.mark_held(found, db.session.get(User, cast.kari))
        assert made == 2 and found.held_at is not None
        assert services.mark_held(found, db.session.get(User, cast.kari)) == 0
        # Per set the meeting up: it counts for his service.
        per = db.session.get(User, cast.per)
        assert {r.service_id for r in requests_for(found.id).values()} == {per.services[0].id}


def test_the_database_refuses_a_second_request_for_the_same_meeting(app, cast):
    with app.app_context():
        held = meeting(cast)
        services.make_due_requests(db.session.get(User, cast.ola))
        first = requests_for(held)[cast.ola]
        now = utcnow()
        db.session.add(FeedbackRequest(reason=RequestReason.MEETING, set_id=first.set_id, pathway_id=cast.pathway_a,
                                       user_id=cast.ola, meeting_id=held, service_id=cast.service_bup,
                                       created_at=now, month=services.month_of(now), closes_at=now + timedelta(days=1)))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_second_submission_changes_the_one_response(app, cast):
    with app.app_context():
        held = meeting(cast)
        services.make_due_requests(db.session.get(User, cast.ola))
        request = requests_for(held)[cast.ola]
        first = rate(request, [4, 4, 4, 4, 4])
        second = rate(request, [5, 4, 4, 4, 3], text="Kortare møte")
        assert first.id == second.id
        assert count(app, FeedbackResponse) == 1
        assert sorted(a.value for a in second.answers if a.value is not None) == [3, 4, 4, 4, 5]
        assert [a.text for a in second.answers if a.text] == ["Kortare møte"]


def test_answers_close_after_their_windows(app, cast):
    """Unanswered: closed after `closes_at`. Answered: changeable for seven days, then closed; nothing
    is stored after."""
    with app.app_context():
        held = meeting(cast)
        services.make_due_requests(db.session.get(User, cast.ola))
        request = requests_for(held)[cast.ola]
        request.created_at, request.closes_at = utcnow() - timedelta(days=20), utcnow() - timedelta(days=6)
        db.session.commit()
        with pytest.raises(services.WindowClosed):
            rate(request, [4, 4, 4, 4, 4])
        assert count(app, FeedbackResponse) == 0

        request.closes_at = utcnow() + timedelta(days=1)
        db.session.commit()
        response = rate(request, [4, 4, 4, 4, 4])
        response.submitted_at = utcnow() - timedelta(days=services.CHANGE_DAYS, minutes=1)
        db.session.commit()
        with pytest.raises(services.WindowClosed):
            rate(request, [1, 1, 1, 1, 1])
        db.session.refresh(response)
        assert {a.value for a in response.answers} == {4}


def test_a_low_rating_alerts_the_team_until_it_is_better(app, cast):
    with app.app_context():
        held = meeting(cast)
        services.make_due_requests(db.session.get(User, cast.ola))
        request = requests_for(held)[cast.ola]
        response = rate(request, [4, 2, 4, 4, 4])
        alert = db.session.scalar(select(FeedbackAlert))
        assert (alert.reason, alert.response_id, alert.pathway_id) == (AlertReason.LOW, response.id, cast.pathway_a)
        kari = db.session.get(User, cast.kari)
        assert [a.id for a in services.alerts_for_worklist(kari)] == [alert.id]
        assert services.alerts_for_worklist(db.session.get(User, cast.lise)) == []
        rate(request, [4, 3, 4, 4, 4])  # changed his mind before anyone looked
        assert count(app, FeedbackAlert) == 0


def test_an_alert_marked_seen_stays_seen(app, cast):
    with app.app_context():
        held = meeting(cast)
        services.make_due_requests(db.session.get(User, cast.ola))
        request = requests_for(held)[cast.ola]
        rate(request, [1, 1, 1, 1, 1])
        alert = db.session.scalar(select(FeedbackAlert))
        kari = db.session.get(User, cast.kari)
        services.mark_alert_seen(alert, kari, "  Ringjer Ola i morgon ")
        assert (alert.seen_by_id, alert.note) == (cast.kari, "Ringjer Ola i morgon")
        assert services.alerts_for_worklist(kari) == []
        rate(request, [5, 5, 5, 5, 5])
        assert count(app, FeedbackAlert) == 1 and services.alerts_for_worklist(kari) == []


def test_a_drop_of_two_in_all_in_all_alerts(app, cast):
    """No item at the lowest two steps, but "all in all" fell from 5 to 3 since his last meeting."""
    with app.app_context():
        earlier, later = meeting(cast, days_ago=8), meeting(cast, days_ago=1)
        services.make_due_requests(db.session.get(User, cast.ola))
        rate(requests_for(earlier)[cast.ola], [5, 5, 5, 5, 5])
        assert count(app, FeedbackAlert) == 0
        rate(requests_for(later)[cast.ola], [4, 4, 4, 4, 3])
        assert db.session.scalar(select(FeedbackAlert.reason)) == AlertReason.DROP


def test_an_anonymous_answer_never_alerts(app, cast):
    with app.app_context():
        held = meeting(cast)
        services.make_due_requests(db.session.get(User, cast.ola))
        rate(requests_for(held)[cast.ola], [1, 1, 1, 1, 1], sharing=ResponseSharing.ANONYMOUS)
        assert count(app, FeedbackAlert) == 0
        assert team_services.team_feedback(db.session.get(Pathway, cast.pathway_a)).trends == []


@pytest.mark.parametrize(("role", "age", "expected"), [
    (Role.PARENT, 40, "questionnaire_parent"), (Role.YOUNG_PERSON, 12, "questionnaire_youth"),
    (Role.YOUNG_PERSON, 18, "questionnaire_youth"), (Role.YOUNG_PERSON, 11, "questionnaire_child"),
    (Role.YOUNG_PERSON, 9, "questionnaire_child"), (Role.YOUNG_PERSON, 8, None),
])
def test_the_questionnaire_fits_the_person(role, age, expected):
    assert services.questionnaire_set_key(role, age) == expected


def _questionnaires(app) -> list[tuple[int, str, RequestReason]]:
    with app.app_context():
        return sorted((r.user_id, r.question_set.key, r.reason) for r in db.session.scalars(
            select(FeedbackRequest).where(FeedbackRequest.meeting_id.is_(None))))


def test_a_professional_sends_the_questionnaire_once_while_it_is_open(app, cast):
    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        kari = db.session.get(User, cast.kari)
        assert services.send_questionnaire(pathway, kari) == 2
        db.session.commit()
        assert services.send_questionnaire(pathway, kari) == 0
        db.session.commit()
    assert _questionnaires(app) == sorted([(cast.ola, "questionnaire_youth", RequestReason.ON_DEMAND),
                                           (cast.mother_a, "questionnaire_parent", RequestReason.ON_DEMAND)])


def test_closing_a_pathway_sends_the_questionnaire(app, cast):
    from pathways.services import close_pathway

    with app.app_context():
        close_pathway(db.session.get(Pathway, cast.pathway_b), db.session.get(User, cast.lise), "Ferdig")
    # Emma is 11: the simpler version; her father the parents' version.
    assert _questionnaires(app) == sorted([(cast.emma, "questionnaire_child", RequestReason.CLOSING),
                                           (cast.father_b, "questionnaire_parent", RequestReason.CLOSING)])


def test_a_service_sends_its_questionnaire_every_few_months(app, cast):
    """BUP Test sends it every three months: Ola's pathway started four months ago, so he gets one
    now, and not again until three months after it."""
    with app.app_context():
        db.session.add(ServiceFeedbackSettings(service_id=cast.service_bup, questionnaire_every_months=3))
        pathway = db.session.get(Pathway, cast.pathway_a)
        pathway.created_at = utcnow() - timedelta(days=120)
        db.session.commit()
        ola = db.session.get(User, cast.ola)
        services.make_due_requests(ola)
        services.make_due_requests(ola)
        services.make_due_requests(db.session.get(User, cast.emma))  # her team has no such service
    assert _questionnaires(app) == [(cast.ola, "questionnaire_youth", RequestReason.SCHEDULE)]
    with app.app_context():
        services.make_due_requests(db.session.get(User, cast.ola), now=utcnow() + timedelta(days=95))
    assert len(_questionnaires(app)) == 2


def test_the_home_page_lists_open_and_changeable_requests(app, cast):
    with app.app_context():
        held, older = meeting(cast), meeting(cast, days_ago=5)
        ola = db.session.get(User, cast.ola)
        services.make_due_requests(ola)
        home = services.for_home(ola, [cast.pathway_a])
        assert [r.answered for r in home.requests] == [False, False]
        rate(requests_for(older)[cast.ola], [4, 4, 4, 4, 4])
        home = services.for_home(ola, [cast.pathway_a])
        assert {(r.id, r.answered) for r in home.requests} == {
            (requests_for(held)[cast.ola].id, False), (requests_for(older)[cast.ola].id, True)}
        later = services.for_home(ola, [cast.pathway_a], now=utcnow() + timedelta(days=services.CHANGE_DAYS + 1))
        assert [r.answered for r in later.requests] == [False]


# --- what the team must not learn about anonymous answers (found in review) -----------------------

def test_an_anonymous_earlier_rating_never_shows_through_a_drop(app, cast):
    """Ola rated the first meeting 5 anonymously, the next 3 shared: no "drop" alert, which would
    tell the team he had answered the first and how."""
    with app.app_context():
        earlier, later = meeting(cast, days_ago=8), meeting(cast, days_ago=1)
        services.make_due_requests(db.session.get(User, cast.ola))
        rate(requests_for(earlier)[cast.ola], [5, 5, 5, 5, 5], sharing=ResponseSharing.ANONYMOUS)
        rate(requests_for(later)[cast.ola], [4, 4, 4, 4, 3])
        assert count(app, FeedbackAlert) == 0


def test_an_answer_made_anonymous_takes_its_seen_alert_with_it(app, cast):
    with app.app_context():
        held = meeting(cast)
        services.make_due_requests(db.session.get(User, cast.ola))
        request = requests_for(held)[cast.ola]
        rate(request, [1, 1, 1, 1, 1])
        services.mark_alert_seen(db.session.scalar(select(FeedbackAlert)), db.session.get(User, cast.kari), None)
        rate(request, [1, 1, 1, 1, 1], sharing=ResponseSharing.ANONYMOUS)
        assert count(app, FeedbackAlert) == 0


def test_sending_again_does_not_tell_who_answered(app, cast):
    """Whether Ola answered the first questionnaire (anonymously or not) does not change who gets
    the next one within 30 days: nobody does."""
    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        kari = db.session.get(User, cast.kari)
        services.send_questionnaire(pathway, kari)
        db.session.commit()
        ola_request = db.session.scalar(select(FeedbackRequest).where(FeedbackRequest.user_id == cast.ola))
        version = services.current_version(ola_request.question_set.key)
        values = {item.id: 3 for item in version.items if item.scale is not None}
        services.save_response(ola_request, services.Answers(values=values, texts={},
                                                             sharing=ResponseSharing.ANONYMOUS))
        assert services.send_questionnaire(pathway, kari) == 0
        db.session.commit()
        assert services.send_questionnaire(pathway, kari) == 0
        # A month later both get the next one.
        for request in db.session.scalars(select(FeedbackRequest)):
            request.created_at -= timedelta(days=services.QUESTIONNAIRE_ANSWER_DAYS + 1)
            request.closes_at -= timedelta(days=services.QUESTIONNAIRE_ANSWER_DAYS + 1)
        db.session.commit()
        assert services.send_questionnaire(pathway, kari) == 2
