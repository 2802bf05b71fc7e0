"""The professional's side of meetings: scheduling one, writing what was agreed, and the queries the
pathway page and the before-the-meeting page use."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import OSLO, utcnow
from pathways import meeting_services
from pathways.models import Agreement, AgreementAnswer, AnswerKind, Meeting, MeetingInvitee, MeetingKind
from tests.conftest import HTMX, post
from tests.helpers import alert_text, count, counting_queries, field_error, page, sign_in, translated



def oslo_today() -> date:
    return utcnow().astimezone(OSLO).date()


IN_A_WEEK = oslo_today() + timedelta(days=7)


def make_meeting(app, pathway_id, by, starts_at=None, **values) -> int:
    with app.app_context():
        starts_at = starts_at or utcnow() + timedelta(days=7)
        meeting = Meeting(pathway_id=pathway_id, kind=values.pop("kind", MeetingKind.CARE_TEAM), starts_at=starts_at,
                          ends_at=starts_at + timedelta(hours=1), place=values.pop("place", "Skulen"),
                          purpose=values.pop("purpose", "Korleis går det?"), created_by_id=by, **values)
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def make_agreement(app, meeting_id, by, what="Kari ringjer skulen", who="Kari") -> int:
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        agreement = Agreement(meeting_id=meeting_id, pathway_id=meeting.pathway_id, what=what, who=who,
                              created_by_id=by)
        db.session.add(agreement)
        db.session.commit()
        return agreement.id


MEETING = {"kind": "care_team", "day": IN_A_WEEK.isoformat(), "start": "14:00", "minutes": "90",
           "place": "Averøy ungdomsskule", "purpose": "Korleis går det på skulen?", "young_person_invited": "y",
           "parents_invited": "y"}


# --- scheduling ---------------------------------------------------------------------------------

def test_new_meeting_page_invites_the_family_and_the_creator_by_default(app, kari, cast):
    """The form offers the kinds, and has the young person, the parents and the creator ticked."""
    response = kari.get(f"/pathways/{cast.pathway_a}/meetings/new")
    assert response.status_code == 200
    body = page(response)
    assert len(body.find_all("h1")) == 1
    form = body.find("form", action=f"/pathways/{cast.pathway_a}/meetings/new")
    assert [i["value"] for i in form.find_all("input", name="kind")] == [k.value for k in MeetingKind]
    assert "checked" in form.by_id("young_person_invited").attrs
    assert "checked" in form.by_id("parents_invited").attrs
    assert "checked" in form.by_id(f"member-{cast.kari}").attrs
    assert "checked" not in form.by_id(f"member-{cast.per}").attrs
    assert form.by_id("minutes")["value"] == "60"
    for name in ("day", "start", "minutes", "place", "purpose"):
        assert body.find("label", **{"for": name}) is not None, name


def test_new_meeting_page_asked_for_by_htmx_is_the_whole_page(kari, cast):
    """Nothing asks htmx for a part of this page (core.render): the whole page, said to vary by HX-Request."""
    response = kari.get(f"/pathways/{cast.pathway_a}/meetings/new", headers=HTMX)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<html" in text and 'name="purpose"' in text
    assert "HX-Request" in response.headers["Vary"]


def test_scheduling_a_meeting_stores_it_in_utc_and_invites_the_team_members_chosen(app, kari, cast):
    """A meeting at 14:00 Oslo time is stored in UTC, lasts the minutes given, and invites those ticked."""
    response = post(kari, f"/pathways/{cast.pathway_a}/meetings/new",
                    {**MEETING, "video": "y", "members": [str(cast.kari), str(cast.per)]})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pathways/{cast.pathway_a}"
    with app.app_context():
        meeting = db.session.scalar(select(Meeting))
        expected = datetime.combine(IN_A_WEEK, datetime.min.time().replace(hour=14), tzinfo=OSLO)
        assert meeting.starts_at == expected.astimezone(timezone.utc)
        assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
        assert (meeting.kind, meeting.place, meeting.video, meeting.purpose) == (
            MeetingKind.CARE_TEAM, "Averøy ungdomsskule", True, "Korleis går det på skulen?")
        assert (meeting.young_person_invited, meeting.parents_invited, meeting.created_by_id) == (True, True, cast.kari)
        invited = set(db.session.scalars(select(MeetingInvitee.user_id)))
    assert invited == {cast.kari, cast.per}


def test_typed_date_and_time_are_read_and_family_can_be_left_out(app, kari, cast):
    """Without pickers people type 24.03.2027 and 9.30; unticked boxes leave the family out."""
    day = IN_A_WEEK.strftime("%d.%m.%Y")
    data = {**MEETING, "day": day, "start": "9.30", "members": [str(cast.kari)]}
    del data["young_person_invited"], data["parents_invited"]
    response = post(kari, f"/pathways/{cast.pathway_a}/meetings/new", data)
    assert response.status_code == 303
    with app.app_context():
        meeting = db.session.scalar(select(Meeting))
        local = meeting.starts_at.astimezone(OSLO)
        assert (local.date(), local.hour, local.minute) == (IN_A_WEEK, 9, 30)
        assert (meeting.young_person_invited, meeting.parents_invited) == (False, False)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"purpose": "  "}, "purpose", "Fill in this field."),
    ({"day": (oslo_today() - timedelta(days=1)).isoformat()}, "day", "The meeting cannot start in the past."),
    ({"day": oslo_today().isoformat(), "start": "00:00"}, "start", "The meeting cannot start in the past."),
    ({"start": "14:75"}, "start", "Write the time like this: 14:00."),
    ({"start": ""}, "start", "Write when the meeting starts."),
    ({"day": "i morgon"}, "day", "Write the date like this: 24.03.2026."),
    ({"minutes": "10"}, "minutes", "A meeting lasts from %(min)s to %(max)s minutes."),
    ({"place": ""}, "place", "Write where you meet, or tick «On video»."),
], ids=["empty-purpose", "yesterday", "earlier-today", "bad-time", "no-time", "bad-date", "too-short", "no-place"])
def test_bad_meeting_is_refused_beside_the_field(app, kari, cast, data, field, message):
    """Bad input is refused beside its field, nothing is stored, and what was typed stays."""
    typed = {**MEETING, **data}
    response = post(kari, f"/pathways/{cast.pathway_a}/meetings/new", typed)
    assert response.status_code == 400
    expected = translated(app, message, min=15, max=480) if "%(min)s" in message else translated(app, message)
    assert field_error(response, field) == expected
    form = page(response).find("form", action=f"/pathways/{cast.pathway_a}/meetings/new")
    for name in ("day", "start", "minutes", "place"):
        assert form.by_id(name)["value"] == typed[name]
    assert form.by_id("purpose").text() == typed["purpose"].strip()
    assert count(app, Meeting) == 0


def test_someone_outside_the_team_cannot_be_invited(app, kari, cast):
    """Only team members are offered; a posted id of someone else is refused."""
    response = post(kari, f"/pathways/{cast.pathway_a}/meetings/new", {**MEETING, "members": [str(cast.lise)]})
    assert response.status_code == 400
    assert translated(app, "Choose only people on the team.") in page(response).find(class_="ds-error-summary").text()
    assert count(app, Meeting) == 0


def test_meeting_routes_refuse_outsiders(app, client, cast):
    """Lise (not on the team) gets 404; Ola and his mother 403; nothing is stored."""
    sign_in(client, cast.lise)
    assert post(client, f"/pathways/{cast.pathway_a}/meetings/new", MEETING).status_code == 404
    sign_in(client, cast.ola)
    assert post(client, f"/pathways/{cast.pathway_a}/meetings/new", MEETING).status_code == 403
    assert count(app, Meeting) == 0


# --- agreements -------------------------------------------------------------------------------

def test_adding_an_agreement_point(app, kari, cast):
    """A point with who and by when is stored and listed, and the page returns to itself."""
    meeting_id = make_meeting(app, cast.pathway_a, cast.kari)
    url = f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/agreements"
    due = IN_A_WEEK.strftime("%d.%m.%Y")
    response = post(kari, url, {"what": " Ola skriv ned når han legg seg ", "who": "Ola", "due_on": due})
    assert response.status_code == 303
    assert response.headers["Location"] == url
    with app.app_context():
        point = db.session.scalar(select(Agreement))
        assert (point.what, point.who, point.due_on, point.pathway_id, point.created_by_id) == (
            "Ola skriv ned når han legg seg", "Ola", IN_A_WEEK, cast.pathway_a, cast.kari)
    listed = page(kari.get(url)).by_id(f"agreement-{point.id}").text()
    assert "Ola skriv ned når han legg seg" in listed
    assert translated(app, "No answers yet.") in listed


def test_agreements_page_shows_the_familys_answers(app, kari, cast):
    """The team sees each answer: what, the question, who and when."""
    meeting_id = make_meeting(app, cast.pathway_a, cast.kari)
    agreement_id = make_agreement(app, meeting_id, cast.kari)
    with app.app_context():
        db.session.add_all([
            AgreementAnswer(agreement_id=agreement_id, user_id=cast.ola, answer=AnswerKind.AGREE),
            AgreementAnswer(agreement_id=agreement_id, user_id=cast.mother_a, answer=AnswerKind.QUESTION,
                            question="Kva tid ringjer du?"),
        ])
        db.session.commit()
    response = kari.get(f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/agreements")
    assert response.status_code == 200
    answers = page(response).by_id(f"agreement-{agreement_id}").find("ul", class_="answers").find_all("li")
    texts = [a.text() for a in answers]
    assert "Ola Nordvik" in texts[0] and translated(app, "Agrees") in texts[0]
    assert "Randi Nordvik" in texts[1] and "Kva tid ringjer du?" in texts[1]
    assert translated(app, "Has a question") in texts[1]
    # Answered: no remove button.
    assert page(response).by_id(f"agreement-{agreement_id}").find("form") is None


def test_agreements_page_asked_for_by_htmx_is_the_whole_page(app, kari, cast):
    meeting_id = make_meeting(app, cast.pathway_a, cast.kari)
    response = kari.get(f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/agreements", headers=HTMX)
    assert response.status_code == 200
    assert "<html" in response.get_data(as_text=True)
    assert 'name="what"' in response.get_data(as_text=True)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"what": " ", "who": "Ola"}, "what", "Fill in this field."),
    ({"what": "Ringje skulen", "who": ""}, "who", "Fill in this field."),
    ({"what": "Ringje skulen", "who": "Kari", "due_on": "snart"}, "due_on", "Write the date like this: 24.03.2026."),
], ids=["empty-what", "empty-who", "bad-date"])
def test_bad_agreement_is_refused_beside_the_field(app, kari, cast, data, field, message):
    meeting_id = make_meeting(app, cast.pathway_a, cast.kari)
    response = post(kari, f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/agreements", data)
    assert response.status_code == 400
    assert field_error(response, field) == translated(app, message)
    assert count(app, Agreement) == 0


def test_removing_a_point_nobody_answered(app, kari, cast):
    meeting_id = make_meeting(app, cast.pathway_a, cast.kari)
    agreement_id = make_agreement(app, meeting_id, cast.kari)
    url = f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/agreements"
    response = post(kari, f"{url}/{agreement_id}/remove")
    assert response.status_code == 303
    assert response.headers["Location"] == url
    assert count(app, Agreement) == 0


def test_a_point_with_answers_cannot_be_removed(app, kari, cast):
    """Once the family has answered, the point stays and the page says why."""
    meeting_id = make_meeting(app, cast.pathway_a, cast.kari)
    agreement_id = make_agreement(app, meeting_id, cast.kari)
    with app.app_context():
        db.session.add(AgreementAnswer(agreement_id=agreement_id, user_id=cast.ola, answer=AnswerKind.DISAGREE))
        db.session.commit()
    response = post(kari, f"/pathways/{cast.pathway_a}/meetings/{meeting_id}/agreements/{agreement_id}/remove")
    assert response.status_code == 409
    assert translated(app, "This point cannot be removed: the young person or a parent has answered it. "
                           "Write a new point that says what changed.") in alert_text(response)
    assert count(app, Agreement) == 1


def test_meetings_and_points_of_other_pathways_are_404(app, client, cast):
    """A meeting of pathway B through pathway A, a missing meeting, and a point of another meeting: 404."""
    other_meeting = make_meeting(app, cast.pathway_b, cast.lise)
    mine = make_meeting(app, cast.pathway_a, cast.kari)
    other_point = make_agreement(app, other_meeting, cast.lise)
    sign_in(client, cast.kari)
    base = f"/pathways/{cast.pathway_a}/meetings"
    assert client.get(f"{base}/{other_meeting}/agreements").status_code == 404
    assert client.get(f"{base}/999999/agreements").status_code == 404
    assert post(client, f"{base}/{other_meeting}/agreements", {"what": "x", "who": "y"}).status_code == 404
    assert post(client, f"{base}/{mine}/agreements/{other_point}/remove").status_code == 404
    assert count(app, Agreement) == 1
    sign_in(client, cast.lise)  # on pathway B's team, not A's
    assert client.get(f"{base}/{mine}/agreements").status_code == 404


# --- queries for other pages ------------------------------------------------------------------

def test_agreements_for_meeting_come_with_their_answers_in_a_fixed_number_of_queries(app, cast):
    """A meeting's points come in the order written, each with the family's answers, in two queries."""
    now = utcnow()
    old = make_meeting(app, cast.pathway_a, cast.kari, starts_at=now - timedelta(days=40))
    last = make_meeting(app, cast.pathway_a, cast.kari, starts_at=now - timedelta(days=10))
    first_point = make_agreement(app, last, cast.kari, what="Ola skriv dagbok", who="Ola")
    make_agreement(app, last, cast.kari, what="Kari ringjer skulen", who="Kari")
    make_agreement(app, old, cast.kari)
    with app.app_context():
        db.session.add(AgreementAnswer(agreement_id=first_point, user_id=cast.ola, answer=AnswerKind.QUESTION,
                                       question="Kvar skal eg skrive?"))
        db.session.commit()
        with counting_queries(app) as statements:
            points = meeting_services.agreements_for_meeting(last)
    assert len(statements) == 2
    assert [(p.what, p.who, p.created_by_name) for p in points] == [
        ("Ola skriv dagbok", "Ola", "Kari Nordmann"), ("Kari ringjer skulen", "Kari", "Kari Nordmann")]
    assert [(a.name, a.answer, a.question) for a in points[0].answers] == [
        ("Ola Nordvik", AnswerKind.QUESTION, "Kvar skal eg skrive?")]
    assert points[1].answers == []


def test_too_long_purpose_is_refused_in_plain_words(app, kari, cast):
    response = post(kari, f"/pathways/{cast.pathway_a}/meetings/new", {**MEETING, "purpose": "x" * 1001})
    assert response.status_code == 400
    assert field_error(response, "purpose") == translated(app, "Write at most %(max)d characters.", max=1000)
    assert count(app, Meeting) == 0
