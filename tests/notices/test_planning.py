"""What falls due for whom (notices.planning) and sending it (notices.delivery), with the clock moved:
the reminders of a meeting reach Ola and his mother at 08:00 in their languages and say nothing else."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from accounts.models import ParentLink, Role, Service, User, YoungPerson
from core.extensions import db
from core.models import OSLO
from feedback.models import FeedbackRequest, FeedbackResponse, QuestionSet, RequestReason, ResponseSharing
from notices.delivery import deliver
from notices.models import Channel, Contact, Notice, NoticeKind, NoticeOptOut, NoticeStatus
from notices.planning import plan_due
from notices.sending import SendError
from pathways.models import Agreement, AgreementAnswer, AnswerKind, Meeting, MeetingKind, Pathway, TeamMember
from tests.helpers import counting_queries, translated
from youth.models import Preparation, Prompt, Sharing, Statement

MORNING = datetime(2026, 12, 8, 8, 0, tzinfo=OSLO)
PURPOSE = "Ny medisin mot angst og søvnvanskar"
PLACE = "BUP Molde, rom 3"
OLAS_WORDS = "Eg søv dårleg når det er prøver"


def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A moment in Oslo, `day_offset` days after 8 December 2026."""
    return (MORNING + timedelta(days=day_offset)).replace(hour=hour, minute=minute)


def add_contact(user_id: int, address: str, channel=Channel.EMAIL, confirmed: bool = True) -> None:
    db.session.add(Contact(user_id=user_id, channel=channel, address=address,
                           confirmed_at=MORNING - timedelta(days=30) if confirmed else None))


def add_meeting(cast, pathway_id: int, starts_at: datetime, **flags) -> int:
    meeting = Meeting(pathway_id=pathway_id, kind=MeetingKind.CARE_TEAM, starts_at=starts_at,
                      ends_at=starts_at + timedelta(hours=1), place=PLACE, purpose=PURPOSE,
                      created_by_id=cast.kari, created_at=starts_at - timedelta(days=10), **flags)
    db.session.add(meeting)
    db.session.flush()
    return meeting.id


def add_agreement(cast, meeting_id: int, pathway_id: int) -> int:
    """A point agreed yesterday at `meeting_id`."""
    point = Agreement(meeting_id=meeting_id, pathway_id=pathway_id, what="Prøve ny døgnrytme", who="Ola",
                      created_by_id=cast.kari, created_at=MORNING - timedelta(days=1))
    db.session.add(point)
    db.session.flush()
    return point.id


def add_request(cast, pathway_id: int, user_id: int) -> FeedbackRequest:
    """A questionnaire sent yesterday to `user_id`, open for two weeks."""
    set_id = db.session.scalar(select(QuestionSet.id).where(QuestionSet.key == "questionnaire_youth"))
    request = FeedbackRequest(reason=RequestReason.SCHEDULE, set_id=set_id, pathway_id=pathway_id, user_id=user_id,
                              service_id=cast.service_bup, created_at=MORNING - timedelta(days=1), month="2026-12",
                              closes_at=MORNING + timedelta(days=13))
    db.session.add(request)
    db.session.flush()
    return request


@pytest.fixture()
def family(app, cast):
    """Ola (15, nynorsk) and his mother (bokmål), both with a confirmed e-mail address; Ola's own words
    shared with the team."""
    with app.app_context():
        db.session.execute(update(User).where(User.id == cast.ola).values(locale="nn"))
        db.session.execute(update(User).where(User.id == cast.mother_a).values(locale="nb"))
        add_contact(cast.ola, "ola@example.no")
        add_contact(cast.mother_a, "mor.ola@example.no")
        db.session.add(Statement(pathway_id=cast.pathway_a, author_id=cast.ola, author_role=Role.YOUNG_PERSON,
                                 prompt=Prompt.HARD, text=OLAS_WORDS, sharing=Sharing.TEAM,
                                 created_at=MORNING - timedelta(days=20), updated_at=MORNING - timedelta(days=20)))
        db.session.commit()
    return cast


def plan(app, now: datetime) -> list[int]:
    with app.app_context():
        return plan_due(now)


def plan_and_send(app, now: datetime) -> list[int]:
    """Decide at `now`, then send each new notice as the worker would."""
    with app.app_context():
        ids = plan_due(now)
        for notice_id in ids:
            assert deliver(notice_id, now=now)
        return ids


def notices(app) -> set[tuple]:
    with app.app_context():
        return set(db.session.execute(select(Notice.user_id, Notice.kind, Notice.occasion, Notice.channel)).all())


def test_a_meeting_three_days_ahead_emails_ola_and_his_mother_at_eight_in_their_languages(app, family, mailbox):
    with app.app_context():
        add_meeting(family, family.pathway_a, at(3, 14))
        db.session.commit()
        kari = db.session.get(User, family.kari)
        names = [kari.name, *kari.name.split(), "Ola", "Nordvik", "Randi", "Per Hansen", "BUP", "Molde"]

    assert plan(app, at(0, 7, 59)) == []  # quiet hours: nothing is decided before 08:00
    assert mailbox.messages == []

    assert len(plan_and_send(app, MORNING)) == 2
    (to_ola,), (to_mother,) = mailbox.to("ola@example.no"), mailbox.to("mor.ola@example.no")
    assert len(mailbox.messages) == 2
    login = "http://127.0.0.1:5000/login"
    for message, locale in ((to_ola, "nn"), (to_mother, "nb")):
        body = mailbox.text(message)
        assert message["Subject"] == translated(app, "Reminder from Stemme", locale)
        assert translated(app, "You have a meeting in Stemme in %(num)d day.", locale,
                          plural="You have a meeting in Stemme in %(num)d days.", num=3) in body
        assert translated(app, "Log in to prepare for it: %(link)s", locale, link=login) in body
        assert "/notices/stop/" in body and str(message["List-Unsubscribe"]).strip().startswith("<http://127.0.0.1:5000/notices/stop/")
        for secret in (PURPOSE, PLACE, OLAS_WORDS, "Angst og søvn", "Skulehelse", *names):
            assert secret not in message["Subject"] and secret not in body, secret

    # Planning again, later that morning, sends nothing new.
    assert plan_and_send(app, at(0, 8, 5)) == []
    assert len(mailbox.messages) == 2


def test_a_prepared_meeting_asks_to_see_it_and_the_day_before_comes_a_second_reminder(app, family, mailbox):
    with app.app_context():
        meeting = add_meeting(family, family.pathway_a, at(3, 14))
        db.session.add(Preparation(meeting_id=meeting, pathway_id=family.pathway_a, author_id=family.mother_a,
                                   author_role=Role.PARENT, sharing=Sharing.TEAM, talk_about="Søvn"))
        db.session.commit()
    plan_and_send(app, MORNING)
    plan_and_send(app, at(1, 9))  # two days before: the 3-day reminder is sent already
    plan_and_send(app, at(2, 8))  # the day before
    to_mother = mailbox.to("mor.ola@example.no")
    assert len(to_mother) == 2 and len(mailbox.to("ola@example.no")) == 2
    see = translated(app, "Log in to see it: %(link)s", "nb", link="http://127.0.0.1:5000/login")
    assert all(see in mailbox.text(m) for m in to_mother)
    assert translated(app, "You have a meeting in Stemme tomorrow.", "nb") in mailbox.text(to_mother[1])
    assert notices(app) == {(user, NoticeKind.MEETING_SOON, f"meeting:{meeting}:{when}", Channel.EMAIL)
                            for user in (family.ola, family.mother_a) for when in ("3d", "1d")}


def test_a_meeting_made_at_22_for_the_next_morning_is_sent_at_08_not_at_night(app, family, mailbox):
    with app.app_context():
        meeting = add_meeting(family, family.pathway_a, at(1, 10), young_person_invited=False)
        db.session.commit()
    assert plan(app, at(0, 22)) == []
    assert plan(app, at(1, 7, 59)) == []
    assert mailbox.messages == []
    plan_and_send(app, at(1, 8))
    (message,) = mailbox.messages  # the young person is not invited: only his mother
    assert message.envelope_to == ["mor.ola@example.no"]
    assert translated(app, "You have a meeting in Stemme today.", "nb") in mailbox.text(message)
    with app.app_context():
        notice = db.session.scalar(select(Notice))
        assert (notice.occasion, notice.status, notice.sent_at) == (f"meeting:{meeting}:1d", NoticeStatus.SENT, at(1, 8))


def test_a_young_person_under_13_gets_no_notice_of_their_own_unless_a_service_turns_it_on(app, cast):
    with app.app_context():
        add_contact(cast.emma, "emma@example.no")  # Emma is 11
        add_contact(cast.father_b, "far.emma@example.no")
        meeting = add_meeting(cast, cast.pathway_b, at(2, 12))
        db.session.commit()
    plan(app, MORNING)
    assert notices(app) == {(cast.father_b, NoticeKind.MEETING_SOON, f"meeting:{meeting}:3d", Channel.EMAIL)}
    with app.app_context():  # Lise's service, on Emma's team, turns notices to under-13s on
        lise = db.session.get(User, cast.lise)
        lise.services[0].notices_under_13 = True
        db.session.commit()
    assert len(plan(app, at(0, 9))) == 1
    assert (cast.emma, NoticeKind.MEETING_SOON, f"meeting:{meeting}:3d", Channel.EMAIL) in notices(app)


def test_a_kind_turned_off_or_the_stop_link_stops_it(app, family, mailbox):
    with app.app_context():
        meeting = add_meeting(family, family.pathway_a, at(3, 14))
        db.session.add(NoticeOptOut(user_id=family.mother_a, kind=NoticeKind.MEETING_SOON.value))
        db.session.add(NoticeOptOut(user_id=family.ola, kind="all"))
        db.session.commit()
    assert plan(app, MORNING) == []
    with app.app_context():  # the mother turns it on again; Ola still has everything stopped
        db.session.execute(NoticeOptOut.__table__.delete().where(NoticeOptOut.user_id == family.mother_a))
        db.session.commit()
    (notice_id,) = plan(app, at(0, 9))
    with app.app_context():  # she follows the stop link before the worker sends it
        db.session.add(NoticeOptOut(user_id=family.mother_a, kind="all"))
        db.session.commit()
        assert deliver(notice_id, now=at(0, 9)) is False
        notice = db.session.get(Notice, notice_id)
        assert (notice.occasion, notice.status, notice.error) == (f"meeting:{meeting}:3d", NoticeStatus.FAILED,
                                                                   "stopped")
    assert mailbox.messages == []


def test_sms_only_where_a_service_on_the_team_turned_it_on_and_only_to_confirmed_contacts(app, cast):
    with app.app_context():
        add_contact(cast.ola, "+4791234567", Channel.SMS)
        add_contact(cast.ola, "ola@example.no")
        add_contact(cast.mother_a, "mor.ola@example.no", confirmed=False)
        add_meeting(cast, cast.pathway_a, at(3, 14))
        db.session.commit()
    plan(app, MORNING)
    assert {(user, channel) for user, _, _, channel in notices(app)} == {(cast.ola, Channel.EMAIL)}
    with app.app_context():  # Kari's service (on Ola's team) turns SMS on
        db.session.get(Service, cast.service_bup).sms_notices = True
        db.session.commit()
    plan(app, at(0, 9))
    assert {(user, channel) for user, _, _, channel in notices(app)} == {(cast.ola, Channel.EMAIL),
                                                                         (cast.ola, Channel.SMS)}


def test_a_waiting_rating_and_an_agreement_to_answer_call_the_family(app, family):
    with app.app_context():
        meeting = add_meeting(family, family.pathway_a, MORNING - timedelta(days=2))
        waiting, answered = (add_request(family, family.pathway_a, user) for user in (family.ola, family.mother_a))
        version_id = db.session.get(QuestionSet, answered.set_id).versions[-1].id
        db.session.add(FeedbackResponse(request_id=answered.id, version_id=version_id, sharing=ResponseSharing.TEAM))
        point = add_agreement(family, meeting, family.pathway_a)
        db.session.add(AgreementAnswer(agreement_id=point, user_id=family.ola, answer=AnswerKind.AGREE,
                                       at=MORNING - timedelta(hours=20)))
        db.session.commit()
        ids = (waiting.id, point)
    plan(app, MORNING)
    assert notices(app) == {(family.ola, NoticeKind.RATING_WAITING, f"rating:{ids[0]}", Channel.EMAIL),
                            (family.mother_a, NoticeKind.AGREEMENT_ANSWER, f"agreement:{ids[1]}", Channel.EMAIL)}


def test_professionals_hear_of_a_question_and_get_at_most_one_digest_a_day(app, family):
    with app.app_context():
        add_contact(family.kari, "kari@example.no")
        add_contact(family.per, "per@example.no")
        add_contact(family.lise, "lise@example.no")  # not on Ola's team
        meeting = add_meeting(family, family.pathway_a, MORNING - timedelta(days=2))
        point = add_agreement(family, meeting, family.pathway_a)
        question = AgreementAnswer(agreement_id=point, user_id=family.mother_a, answer=AnswerKind.QUESTION,
                                   question="Kva tid?", at=MORNING - timedelta(hours=3))
        db.session.add(question)
        db.session.commit()
        question_id = question.id
    plan(app, MORNING)
    team = (family.kari, family.per)
    expected = {(user, NoticeKind.FAMILY_QUESTION, f"question:{question_id}", Channel.EMAIL) for user in team}
    assert {n for n in notices(app) if n[0] in team} == expected  # Ola's statement is 20 days old: no digest
    with app.app_context():  # Ola writes something new and shares it with the team, twice in a day
        for hour in (9, 10):
            db.session.add(Statement(pathway_id=family.pathway_a, author_id=family.ola,
                                     author_role=Role.YOUNG_PERSON, prompt=Prompt.WISH, text=f"Ny {hour}",
                                     sharing=Sharing.TEAM, created_at=at(0, hour), updated_at=at(0, hour)))
            db.session.add(Statement(pathway_id=family.pathway_a, author_id=family.ola,
                                     author_role=Role.YOUNG_PERSON, prompt=Prompt.WISH, text="Berre for meg",
                                     sharing=Sharing.PRIVATE, created_at=at(0, hour), updated_at=at(0, hour)))
            db.session.commit()
            plan_due(at(0, hour, 5))
    digests = {n for n in notices(app) if n[1] == NoticeKind.NEW_INPUT}
    assert digests == {(user, NoticeKind.NEW_INPUT, "digest:2026-12-08", Channel.EMAIL) for user in team}


def test_a_failed_send_goes_back_to_pending_and_fails_for_good_on_the_last_attempt(app, family):
    with app.app_context():
        add_meeting(family, family.pathway_a, at(3, 14))
        db.session.commit()
        first, second = plan_due(MORNING)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=9, SMTP_TLS=False)  # nobody listens there
    try:
        with app.app_context():
            with pytest.raises(SendError):
                deliver(first, now=MORNING)
            notice = db.session.get(Notice, first)
            assert (notice.status, notice.attempts, notice.error) == (NoticeStatus.PENDING, 1, "ConnectionRefusedError")
            with pytest.raises(SendError):
                deliver(first, now=MORNING, final_attempt=True)
            db.session.refresh(notice)
            assert (notice.status, notice.attempts, notice.sent_at) == (NoticeStatus.FAILED, 2, None)
            assert deliver(first, now=MORNING) is False  # failed is done: never taken again
    finally:
        app.config.update(SMTP_HOST="")
    with app.app_context():
        assert deliver(second, now=MORNING) is True  # into the outbox, without SMTP
        assert deliver(second, now=MORNING) is False  # sent once
        assert db.session.get(Notice, second).attempts == 1


def test_nothing_is_sent_in_quiet_hours_and_a_lost_contact_fails_the_notice(app, family):
    with app.app_context():
        add_meeting(family, family.pathway_a, at(3, 14))
        db.session.commit()
        first, second = plan_due(at(0, 20, 59))
        assert deliver(first, now=at(0, 21)) is False
        assert db.session.get(Notice, first).status == NoticeStatus.PENDING  # it goes from 08:00
        user_id = db.session.get(Notice, second).user_id
        db.session.execute(Contact.__table__.delete().where(Contact.user_id == user_id))
        db.session.commit()
        assert deliver(second, now=at(0, 20, 59)) is False
        notice = db.session.get(Notice, second)
        assert (notice.status, notice.error) == (NoticeStatus.FAILED, "no_contact")
        assert deliver(first, now=at(1, 8)) is True


def _pathways(app, cast, numbers: range) -> None:
    """More pathways like Ola's (one for each of `numbers`): a young person of 15 and a parent, both with e-mail, a
    meeting in three days, a rating waiting, an agreement to answer, a question for the team."""
    with app.app_context():
        kari = db.session.get(User, cast.kari)
        hash_ = kari.password_hash
        for n in numbers:
            young = User(role=Role.YOUNG_PERSON, name=f"Ung {n}", username=f"ung{n}", password_hash=hash_)
            parent = User(role=Role.PARENT, name=f"Forelder {n}", username=f"forelder{n}", password_hash=hash_)
            person = YoungPerson(name=f"Ung {n}", birth_date=date(2011, 1, 1), user=young)
            pathway = Pathway(young_person=person, title=f"Forløp {n}", coordinator=kari)
            pathway.members = [TeamMember(user=kari, added_by_id=kari.id)]
            db.session.add_all([young, parent, person, pathway,
                                ParentLink(young_person=person, user=parent, parental_responsibility=True)])
            db.session.flush()
            add_contact(young.id, f"ung{n}@example.no")
            add_contact(parent.id, f"forelder{n}@example.no")
            add_meeting(cast, pathway.id, at(3, 14))
            past = add_meeting(cast, pathway.id, MORNING - timedelta(days=2))
            point = add_agreement(cast, past, pathway.id)
            add_request(cast, pathway.id, young.id)
            db.session.add(AgreementAnswer(agreement_id=point, user_id=parent.id, answer=AnswerKind.DISAGREE,
                                           at=MORNING - timedelta(hours=2)))
        db.session.commit()


def _statements_of_plan(app, now: datetime) -> tuple[int, int]:
    with counting_queries(app) as statements:
        new = plan(app, now)
    return len(statements), len(new)


def test_planning_runs_the_same_number_of_sql_statements_for_2_and_50_pathways(app, cast):
    with app.app_context():
        add_contact(cast.kari, "kari@example.no")
        db.session.commit()
    _pathways(app, cast, range(2))
    few, few_new = _statements_of_plan(app, MORNING)
    _pathways(app, cast, range(2, 50))
    many, many_new = _statements_of_plan(app, at(0, 9))
    # Per pathway: the young person's meeting, rating and agreement, the parent's meeting; Kari's
    # notice of the parent's "I do not agree".
    assert few_new == 2 * 4 + 2 and many_new == 48 * 4 + 48
    assert few == many, (few, many)
    assert few <= 14  # the ten queries, the inserts, the commit
