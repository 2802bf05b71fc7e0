"""The pages the family's home page links to: what I have said, what we agreed (the answer forms),
what the team is doing (the comment forms) and all my meetings."""
from datetime import timedelta

from sqlalchemy import select

from accounts.models import Role, User
from core.extensions import db
from core.models import utcnow
from feedback import services as feedback_services
from feedback.models import FeedbackRequest
from tests.helpers import page, sign_in, translated
from tests.pathways.reading_data import (
    Sharing,
    agreement,
    meeting,
    preparation,
    statement,
)


def get(app, user_id, path):
    client = app.test_client()
    sign_in(client, user_id)
    response = client.get(path)
    assert response.status_code == 200
    return page(response).by_id("main")


def test_what_i_have_said_lists_my_statements_with_links_to_change_them_and_to_write_one(app, cast):
    """Ola's statements, each with a link to change it, and a link to write a new one; his mother
    sees what he shared with her and her own, under "What you and Ola have said"."""
    own = statement(app, cast.pathway_a, cast.ola, "Eg likar fotball", sharing=Sharing.FAMILY)
    mothers = statement(app, cast.pathway_a, cast.mother_a, "Mor si eiga", role=Role.PARENT, sharing=Sharing.TEAM)
    main = get(app, cast.ola, "/my/statements")
    assert main.find("h1").text() == translated(app, "What I have said")
    assert "Eg likar fotball" in main.text()
    assert "Mor si eiga" not in main.text()  # she shared it with the team only
    assert main.find("a", href=f"/my/statements/{own}") is not None
    assert main.find("a", href=f"/my/pathways/{cast.pathway_a}/statements/new") is not None
    assert main.find("a", href="/me") is not None  # back to the home page

    mother = get(app, cast.mother_a, "/my/statements")
    assert mother.find("h1").text() == translated(app, "What you and %(name)s have said", name="Ola")
    assert "Eg likar fotball" in mother.text() and "Mor si eiga" in mother.text()
    assert mother.find("a", href=f"/my/statements/{mothers}") is not None
    assert mother.find("a", href=f"/my/statements/{own}") is None  # not hers to change
    assert mother.find("a", href="/family") is not None


def test_what_we_agreed_holds_the_answer_forms(app, cast):
    last = meeting(app, cast.pathway_a, cast.kari, utcnow() - timedelta(days=5))
    point = agreement(app, last, cast.pathway_a, cast.kari, "Ola skriv ned når han legg seg", who="Ola")
    main = get(app, cast.ola, "/my/agreements")
    assert main.find("h1").text() == translated(app, "What we agreed")
    form = main.find("form", action=f"/my/agreements/{point}/answer")
    assert form is not None and form["method"] == "post"
    assert [i["value"] for i in form.find_all("input", name="answer")] == ["agree", "disagree", "question"]


def test_what_we_agreed_says_so_when_nothing_was(app, cast):
    main = get(app, cast.ola, "/my/agreements")
    assert translated(app, "Nothing has been agreed at a meeting yet.") in main.text()
    assert main.find("form", action=lambda a: a and a.startswith("/my/agreements/")) is None


def test_all_my_meetings_lists_coming_soonest_first_and_earlier_newest_first(app, cast):
    """Every meeting, not only the next three: coming ones soonest first with their preparation link
    and whether Ola prepared, earlier ones newest first with the link to rate the one just held.
    His mother sees only those the parents were invited to."""
    now = utcnow()
    coming = [meeting(app, cast.pathway_a, cast.kari, now + timedelta(days=d), purpose=f"Kjem {d}")
              for d in (20, 3, 10, 40)]
    hidden = meeting(app, cast.pathway_a, cast.kari, now + timedelta(days=5), parents_invited=False,
                     purpose="Utan foreldra")
    earlier = [meeting(app, cast.pathway_a, cast.kari, now - timedelta(days=d), purpose=f"Var {d}",
                       invitees=[cast.kari]) for d in (60, 2, 30)]
    preparation(app, coming[1], cast.pathway_a, cast.ola, talk_about="Skulen")
    feedback_services_make(app, cast.ola)

    main = get(app, cast.ola, "/my/meetings")
    assert main.find("h1").text() == translated(app, "All my meetings")
    sections = main.find_all("section")
    ids = [[int(li["id"].split("-")[1]) for li in section.find_all("li", class_="meeting-item")] for section in sections]
    assert ids == [[coming[1], hidden, coming[2], coming[0], coming[3]], [earlier[1], earlier[2], earlier[0]]]
    first = main.by_id(f"meeting-{coming[1]}")
    assert translated(app, "You have prepared") in first.text()
    assert first.find("a", href=f"/my/meetings/{coming[1]}/prepare") is not None
    assert translated(app, "Not prepared yet") in main.by_id(f"meeting-{coming[2]}").text()
    with app.app_context():
        request_id = db.session.scalar(select(FeedbackRequest.id).where(FeedbackRequest.user_id == cast.ola,
                                                                        FeedbackRequest.meeting_id == earlier[1]))
    assert main.by_id(f"meeting-{earlier[1]}").find("a", href=f"/feedback/requests/{request_id}") is not None

    mother = get(app, cast.mother_a, "/my/meetings")
    assert mother.find("h1").text() == translated(app, "All your meetings")
    assert mother.find(id=f"meeting-{hidden}") is None
    assert "Utan foreldra" not in mother.text()
    assert translated(app, "Not prepared yet") in mother.by_id(f"meeting-{coming[1]}").text()  # her own preparation


def feedback_services_make(app, user_id):
    """The rating requests Ola's or his mother's home page would make now."""
    with app.app_context():
        feedback_services.make_due_requests(db.session.get(User, user_id))


def test_a_rated_meeting_offers_to_see_the_answer(app, cast):
    held = meeting(app, cast.pathway_a, cast.kari, utcnow() - timedelta(days=2), invitees=[cast.kari])
    feedback_services_make(app, cast.ola)
    with app.app_context():
        request = db.session.scalar(select(FeedbackRequest).where(FeedbackRequest.user_id == cast.ola))
        version = feedback_services.current_version(feedback_services.MEETING_SET)
        feedback_services.save_response(request, feedback_services.Answers(
            values={item.id: 4 for item in version.items if item.scale is not None}, texts={}))
        request_id = request.id
    item = get(app, cast.ola, "/my/meetings").by_id(f"meeting-{held}")
    assert translated(app, "You said how it went") in item.text()
    assert item.find("a", href=f"/feedback/requests/{request_id}").text() == translated(app, "See your answer")


def test_the_pages_show_nothing_of_another_family(app, cast):
    """Emma's pages hold nothing of Ola's."""
    statement(app, cast.pathway_a, cast.ola, "Eg likar fotball", sharing=Sharing.FAMILY)
    last = meeting(app, cast.pathway_a, cast.kari, utcnow() - timedelta(days=5), purpose="Olas møte")
    agreement(app, last, cast.pathway_a, cast.kari, "Ola skriv ned når han legg seg", who="Ola")
    for path in ("/my/statements", "/my/agreements", "/my/doing", "/my/meetings"):
        text = get(app, cast.emma, path).text()
        for of_ola in ("Eg likar fotball", "Olas møte", "Ola skriv ned"):
            assert of_ola not in text, (path, of_ola)
