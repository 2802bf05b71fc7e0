"""The young person's and the parent's home pages: their own pathway and team, nobody else's."""
from sqlalchemy import select

from accounts.models import ParentLink, Role, User, YoungPerson
from core.extensions import db
from tests.conftest import post
from tests.helpers import page, sign_in, translated


def home(client, user_id, path):
    sign_in(client, user_id)
    response = client.get(path)
    assert response.status_code == 200
    return page(response).by_id("main")


def user_id(app, username):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def team_names(main) -> list[str]:
    return [item.text() for card in main.find_all("section", class_="pathway-card") for item in card.find_all("li")]


def card_title(main) -> str:
    return main.find("section", class_="pathway-card").find("h2").text()


def test_young_person_sees_own_pathway_coordinator_and_team(app, client, cast):
    """Ola's home shows his pathway, that Kari is his coordinator, and everyone on his team."""
    main = home(client, user_id(app, "ola"), "/me")
    assert card_title(main) == "Angst og søvn"
    assert translated(app, "Your coordinator is %(name)s.", name="Kari Nordmann, BUP Test") in main.text()
    assert team_names(main) == ["Kari Nordmann, BUP Test", "Per Hansen, Skulehelse Test"]
    assert "Lise Berg" not in main.text()


def test_parent_sees_the_childs_pathway(app, client, cast):
    """Ola's mother sees Ola's pathway, its coordinator and its team."""
    main = home(client, user_id(app, "mor.ola"), "/family")
    assert card_title(main) == "Angst og søvn"
    assert translated(app, "The coordinator is %(name)s.", name="Kari Nordmann, BUP Test") in main.text()
    assert translated(app, "These people help %(name)s:", name="Ola Nordvik") in main.text()
    assert team_names(main) == ["Kari Nordmann, BUP Test", "Per Hansen, Skulehelse Test"]
    assert "Trivsel" not in main.text()


def test_parent_without_parental_responsibility_sees_no_pathway(app, client, cast, password_hash):
    """A parent linked without parental responsibility sees no pathway and nobody on the team."""
    with app.app_context():
        father = User(role=Role.PARENT, name="Tor Nordvik", username="far.ola", password_hash=password_hash)
        db.session.add(ParentLink(young_person=db.session.get(YoungPerson, cast.young_a), user=father,
                                  parental_responsibility=False))
        db.session.commit()
        father_id = father.id
    main = home(client, father_id, "/family")
    assert main.find("section", class_="pathway-card") is None
    assert "Angst og søvn" not in main.text()
    assert "Kari Nordmann" not in main.text()
    assert translated(app, "You are not connected to a pathway yet.") in main.text()


def test_young_person_does_not_see_anothers_pathway(app, client, cast):
    """Emma sees her own pathway and team, nothing of Ola's."""
    main = home(client, user_id(app, "emma"), "/me")
    text = page(client.get("/me")).text()
    assert card_title(main) == "Trivsel"
    assert team_names(main) == ["Lise Berg, PPT Test"]
    for of_ola in ("Angst og søvn", "Kari Nordmann", "Per Hansen", "Ola Nordvik"):
        assert of_ola not in text


def next_thing(main):
    return main.find("section", class_="next-thing")


def links(main) -> dict[str, str]:
    """The home page's lines to the pages of their own: href -> the words of the link."""
    return {a["href"]: a.text() for a in main.find("nav", class_="home-pages").find_all("a")}


def test_the_home_page_asks_first_for_the_most_urgent_thing(app, client, cast):
    """Ola's next thing: first to rate a meeting held two days ago, then (rated) to prepare the next
    meeting, then (prepared) to answer what was agreed; then nothing. The next meeting follows."""
    from datetime import timedelta

    from core.models import utcnow
    from feedback import services as feedback_services
    from feedback.models import FeedbackRequest
    from tests.pathways.reading_data import agreement, meeting, preparation

    now = utcnow()
    held = meeting(app, cast.pathway_a, cast.kari, now - timedelta(days=2), invitees=[cast.kari])
    point = agreement(app, held, cast.pathway_a, cast.kari, "Ola skriv ned når han legg seg", who="Ola")
    upcoming = meeting(app, cast.pathway_a, cast.kari, now + timedelta(days=3), place="Averøy ungdomsskule")

    main = home(client, cast.ola, "/me")
    with app.app_context():
        request_id = db.session.scalar(select(FeedbackRequest.id).where(FeedbackRequest.user_id == cast.ola))
    assert request_id is not None
    assert next_thing(main).find("a")["href"] == f"/feedback/requests/{request_id}"
    assert translated(app, "Say how the meeting went") in next_thing(main).text()
    next_meeting = main.find("section", class_="next-meeting")
    assert "Averøy ungdomsskule" in next_meeting.text()

    with app.app_context():
        version = feedback_services.current_version(feedback_services.MEETING_SET)
        feedback_services.save_response(db.session.get(FeedbackRequest, request_id), feedback_services.Answers(
            values={item.id: 4 for item in version.items if item.scale is not None}, texts={}))
    main = home(client, cast.ola, "/me")
    assert next_thing(main).find("a")["href"] == f"/my/meetings/{upcoming}/prepare"

    preparation(app, upcoming, cast.pathway_a, cast.ola, talk_about="Skulen")
    main = home(client, cast.ola, "/me")
    assert next_thing(main).find("a")["href"] == f"/my/agreements#agreement-{point}"
    assert "Ola skriv ned" in next_thing(main).text()
    assert translated(app, "You have prepared") in main.find("section", class_="next-meeting").text()

    post(client, f"/my/agreements/{point}/answer", {"answer": "agree"})
    main = home(client, cast.ola, "/me")
    assert translated(app, "Nothing is waiting for you right now.") in next_thing(main).text()


def test_the_home_page_counts_and_links_and_holds_no_answer_forms(app, client, cast):
    """Ola's home: a line with a count for what he said, what was agreed (one waiting for his answer),
    what the team is doing and all his meetings; no answer or comment form. His mother's says "you
    and Ola"."""
    from datetime import timedelta

    from core.models import utcnow
    from tests.pathways.reading_data import Sharing, agreement, meeting, statement

    now = utcnow()
    statement(app, cast.pathway_a, cast.ola, "Eg likar fotball", sharing=Sharing.FAMILY, at=now)
    statement(app, cast.pathway_a, cast.ola, "Eg søv dårleg", sharing=Sharing.FAMILY, at=now)
    last = meeting(app, cast.pathway_a, cast.kari, now - timedelta(days=30))
    for what in ("Ola skriv ned når han legg seg", "Kari ringjer skulen"):
        agreement(app, last, cast.pathway_a, cast.kari, what, who="Ola")
    meeting(app, cast.pathway_a, cast.kari, now + timedelta(days=3))

    main = home(client, cast.ola, "/me")
    assert links(main) == {
        "/my/statements": translated(app, "What I have said (%(num)d)", plural="What I have said (%(num)d)", num=2),
        "/my/agreements": translated(
            app, "What we agreed (%(total)d, %(num)d waiting for your answer)",
            plural="What we agreed (%(total)d, %(num)d waiting for your answer)", num=2, total=2),
        "/my/doing": translated(app, "What the team is doing (%(num)d goal)",
                                plural="What the team is doing (%(num)d goals)", num=0),
        "/my/meetings": translated(app, "All my meetings (%(num)d)", plural="All my meetings (%(num)d)", num=2),
    }
    assert main.find("form", action=lambda a: a and a.startswith("/my/agreements/")) is None
    assert main.find("textarea") is None
    assert "Eg likar fotball" not in main.text()  # on its own page
    assert main.find("section", aria_labelledby="readers-heading") is not None

    client.get("/logout")
    mother = home(app.test_client(), cast.mother_a, "/family")
    assert links(mother)["/my/statements"] == translated(
        app, "What you and %(name)s have said (%(num)d)", plural="What you and %(name)s have said (%(num)d)",
        num=2, name="Ola")
    assert links(mother)["/my/meetings"] == translated(
        app, "All your meetings (%(num)d)", plural="All your meetings (%(num)d)", num=2)


def test_a_closed_pathway_says_so_on_the_home_page_and_offers_no_wish(app, client, cast):
    """When the coordinator has closed Ola's pathway, his card says it is closed and no longer
    offers to wish for another coordinator."""
    from core.models import utcnow
    from pathways.models import Pathway

    main = home(client, cast.ola, "/me")
    wish = f"/my/pathways/{cast.pathway_a}/coordinator-wish"
    assert main.find("a", href=wish) is not None
    with app.app_context():
        pathway = db.session.get(Pathway, cast.pathway_a)
        pathway.closed_at, pathway.closed_by_id, pathway.closing_summary = utcnow(), cast.kari, "Ferdig"
        db.session.commit()
    main = home(client, cast.ola, "/me")
    assert main.find("a", href=wish) is None
    assert translated(app, "Closed: nothing more is added here") in main.text()
