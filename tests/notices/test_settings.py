"""Acceptance 3: turning a kind off, or following the stop link, stops it; the person sees the notices
sent to them. Plain forms (POST/redirect/GET): nothing here needs JavaScript."""
from datetime import datetime, timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import OSLO, utcnow
from notices.messages import stop_url
from notices.models import Channel, Contact, Notice, NoticeKind, NoticeOptOut, NoticeStatus
from notices.planning import plan_due
from pathways.models import Meeting, MeetingKind
from tests.conftest import CSRF, post
from tests.helpers import count, page, sign_in, translated

# 10:00 in Oslo, three days before the meeting: the first reminder falls due.
NOW = datetime(2026, 9, 7, 10, 0, tzinfo=OSLO)


def _family_with_addresses_and_a_meeting(app, cast) -> None:
    """Ola and his mother have confirmed addresses; a meeting on Ola's pathway in three days."""
    with app.app_context():
        for user_id, address in ((cast.ola, "ola@example.no"), (cast.mother_a, "randi@example.no")):
            db.session.add(Contact(user_id=user_id, channel=Channel.EMAIL, address=address, confirmed_at=utcnow()))
        starts = NOW + timedelta(days=3)
        db.session.add(Meeting(pathway_id=cast.pathway_a, kind=MeetingKind.CARE_TEAM, starts_at=starts,
                               ends_at=starts + timedelta(hours=1), place="Rom 2", purpose="Plan",
                               created_by_id=cast.kari))
        db.session.commit()


def _planned(app) -> list[tuple[int, NoticeKind]]:
    with app.app_context():
        ids = plan_due(NOW)
        return sorted(db.session.execute(select(Notice.user_id, Notice.kind).where(Notice.id.in_(ids))).all())


def test_the_choices_are_the_kinds_of_the_persons_role(app, client, cast):
    sign_in(client, cast.ola)
    family = page(client.get("/notices/")).find_all("input", type="checkbox", name="kinds")
    assert [box["value"] for box in family] == ["meeting_soon", "rating_waiting", "agreement_answer"]
    assert all("checked" in box.attrs for box in family)  # everything is on to begin with
    sign_in(client, cast.kari)
    team = page(client.get("/notices/")).find_all("input", type="checkbox", name="kinds")
    assert [box["value"] for box in team] == ["family_question", "new_input"]


def test_turning_a_kind_off_stops_it(app, client, cast):
    _family_with_addresses_and_a_meeting(app, cast)
    sign_in(client, cast.ola)
    saved = post(client, "/notices/choices", {"kinds": ["rating_waiting", "agreement_answer"]})
    assert saved.status_code == 303 and saved.headers["Location"] == "/notices/"
    with app.app_context():
        assert set(db.session.scalars(select(NoticeOptOut.kind).where(NoticeOptOut.user_id == cast.ola))) == {
            "meeting_soon"}
    boxes = {box["value"]: "checked" in box.attrs
             for box in page(client.get("/notices/")).find_all("input", type="checkbox", name="kinds")}
    assert boxes == {"meeting_soon": False, "rating_waiting": True, "agreement_answer": True}

    # His mother still gets hers; Ola gets nothing about the meeting.
    assert _planned(app) == [(cast.mother_a, NoticeKind.MEETING_SOON)]

    # Turned on again, the next meeting reminds him again.
    post(client, "/notices/choices", {"kinds": ["meeting_soon", "rating_waiting", "agreement_answer"]})
    assert count(app, NoticeOptOut, NoticeOptOut.user_id == cast.ola) == 0


def test_the_stop_link_asks_first_then_stops_everything(app, client, cast):
    _family_with_addresses_and_a_meeting(app, cast)
    with app.app_context():
        link = stop_url(cast.mother_a)
    path = "/notices/stop/" + link.rpartition("/")[2]

    shown = client.get(path)  # a mail scanner following the link changes nothing
    assert shown.status_code == 200
    assert page(shown).find("form", action=path) is not None
    assert count(app, NoticeOptOut) == 0
    assert client.post(path, data={}).status_code == 400  # no CSRF token: nothing happens
    assert count(app, NoticeOptOut) == 0

    token = CSRF.search(shown.get_data(as_text=True)).group(1)
    done = client.post(path, data={"csrf_token": token})
    assert done.status_code == 200
    assert translated(app, "We will not send you any more notices.") in page(done).text()
    with app.app_context():
        assert db.session.scalars(select(NoticeOptOut.kind).where(NoticeOptOut.user_id == cast.mother_a)).all() == ["all"]
    assert client.post(path, data={"csrf_token": token}).status_code == 200  # twice is the same as once

    assert _planned(app) == [(cast.ola, NoticeKind.MEETING_SOON)]

    # Logged in, she sees that she stopped them, and turns them on again on her page.
    sign_in(client, cast.mother_a)
    mine = page(client.get("/notices/"))
    assert "checked" in mine.find("input", name="stop_all").attrs
    post(client, "/notices/choices", {"kinds": ["meeting_soon", "rating_waiting", "agreement_answer"]})
    assert count(app, NoticeOptOut, NoticeOptOut.user_id == cast.mother_a) == 0


def test_a_stop_link_we_did_not_make_is_not_found(app, client, cast):
    with app.app_context():
        token = stop_url(cast.ola).rpartition("/")[2]
    assert client.get("/notices/stop/" + token[:-2] + "xx").status_code == 404
    assert client.get("/notices/stop/not-a-token").status_code == 404


def test_the_person_sees_the_notices_sent_to_them(app, client, cast):
    with app.app_context():
        start = utcnow() - timedelta(days=30)
        for n in range(23):
            at = start + timedelta(hours=n)
            db.session.add(Notice(user_id=cast.ola, kind=NoticeKind.RATING_WAITING, occasion=f"rating:{n}",
                                  channel=Channel.EMAIL, status=NoticeStatus.SENT, due_at=at, created_at=at, sent_at=at))
        now = utcnow()
        db.session.add_all([
            Notice(user_id=cast.ola, kind=NoticeKind.MEETING_SOON, occasion="meeting:1:3d", channel=Channel.SMS,
                   status=NoticeStatus.FAILED, due_at=now, created_at=now, error="SendError"),
            Notice(user_id=cast.ola, kind=NoticeKind.AGREEMENT_ANSWER, occasion="agreement:1", channel=Channel.EMAIL,
                   status=NoticeStatus.PENDING, due_at=now, created_at=now + timedelta(seconds=1)),
            Notice(user_id=cast.mother_a, kind=NoticeKind.MEETING_SOON, occasion="meeting:1:3d",
                   channel=Channel.EMAIL, status=NoticeStatus.SENT, due_at=now, created_at=now, sent_at=now),
        ])
        db.session.commit()
    sign_in(client, cast.ola)
    first = page(client.get("/notices/"))
    rows = first.by_id("sent-notices").find_all("tr")[1:]
    assert len(rows) == 20
    newest, failed = rows[0].find_all("td"), rows[1].find_all("td")
    assert [cell.text() for cell in (newest[0], newest[1], newest[3])] == [
        translated(app, "an agreement needs your answer"), translated(app, "Email"), translated(app, "Waiting")]
    assert [cell.text() for cell in (failed[0], failed[1], failed[3])] == [
        translated(app, "a meeting is coming up"), translated(app, "SMS"), translated(app, "Could not be sent")]
    assert failed[2].find("time")["datetime"].startswith(str(now.astimezone(OSLO).date().year))
    older = first.find("a", rel="next")
    assert older["href"] == "/notices/?page=2"

    second = page(client.get(older["href"]))
    rows = second.by_id("sent-notices").find_all("tr")[1:]
    assert len(rows) == 5
    assert all(row.find("td").text() == translated(app, "a rating or a questionnaire is waiting for you") for row in rows)
    assert second.find("a", rel="prev")["href"] == "/notices/"
    assert second.find("a", rel="next") is None

    sign_in(client, cast.mother_a)  # her own only
    assert len(page(client.get("/notices/")).by_id("sent-notices").find_all("tr")) == 2


def test_the_times_are_in_oslo_time(app, client, cast):
    at = datetime(2026, 7, 1, 6, 5, tzinfo=OSLO)  # 04:05 UTC in summer
    with app.app_context():
        db.session.add(Notice(user_id=cast.kari, kind=NoticeKind.NEW_INPUT, occasion="digest:2026-07-01",
                              channel=Channel.EMAIL, status=NoticeStatus.SENT, due_at=at, created_at=at, sent_at=at))
        db.session.commit()
    sign_in(client, cast.kari)
    assert "06:05" in page(client.get("/notices/")).by_id("sent-notices").find("time").text()


def test_a_child_under_13_is_told_notices_go_to_the_parents(app, client, cast):
    from accounts.models import User

    note = translated(app, "You are under 13, so notices about you go to your parents. You get your own when you "
                           "turn 13, or earlier if your service turns that on.")
    sign_in(client, cast.emma)  # 11, on Lise's (PPT Test) pathway
    assert note in page(client.get("/notices/")).text()
    with app.app_context():
        db.session.get(User, cast.lise).services[0].notices_under_13 = True
        db.session.commit()
    assert note not in page(client.get("/notices/")).text()
    sign_in(client, cast.ola)  # 15
    assert note not in page(client.get("/notices/")).text()
