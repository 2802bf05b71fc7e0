"""The young person's and the parent's home pages: their own pathway and team, nobody else's."""
from sqlalchemy import select

from accounts.models import ParentLink, Role, User, YoungPerson
from core.extensions import db
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


def test_home_pages_show_next_meeting_statements_agreements_and_readers(app, client, cast):
    """Ola's home: his next meeting (not prepared yet), what he said, what was agreed last time with
    a way to answer, and who has read what he wrote. His mother's home: what he shares with her and
    her own, never what he keeps from her."""
    from datetime import timedelta

    from core.models import utcnow
    from pathways.models import AccessLog, InputKind
    from tests.pathways.reading_data import Sharing, agreement, meeting, statement

    now = utcnow()
    shared = statement(app, cast.pathway_a, cast.ola, "Eg likar fotball", sharing=Sharing.FAMILY, at=now)
    statement(app, cast.pathway_a, cast.ola, "Ikkje for mamma", sharing=Sharing.TEAM, not_for_parents=True, at=now)
    statement(app, cast.pathway_a, cast.mother_a, "Mor si eiga", role=Role.PARENT, sharing=Sharing.TEAM, at=now)
    last = meeting(app, cast.pathway_a, cast.kari, now - timedelta(days=10))
    point = agreement(app, last, cast.pathway_a, cast.kari, "Ola skriv ned når han legg seg", who="Ola")
    upcoming = meeting(app, cast.pathway_a, cast.kari, now + timedelta(days=3), purpose="Sjå på skuledagen")
    with app.app_context():
        db.session.add(AccessLog(reader_id=cast.kari, reader_services="BUP Test", pathway_id=cast.pathway_a,
                                 item_kind=InputKind.STATEMENT, item_id=shared, author_id=cast.ola, at=now))
        db.session.commit()

    main = home(client, cast.ola, "/me")
    text = main.text()
    assert "Sjå på skuledagen" in text
    assert translated(app, "Not prepared yet") in text
    assert main.find("a", href=f"/my/meetings/{upcoming}/prepare") is not None
    assert "Eg likar fotball" in text and "Ikkje for mamma" in text
    assert "Mor si eiga" not in text  # she shared it with the team only
    assert "Ola skriv ned når han legg seg" in text
    assert main.find("form", action=f"/my/agreements/{point}/answer") is not None
    assert "Kari Nordmann, BUP Test" in text
    assert main.find("a", href="/my/readers") is not None

    client.get("/logout")
    mother = home(app.test_client(), cast.mother_a, "/family")
    text = mother.text()
    assert "Eg likar fotball" in text and "Mor si eiga" in text
    assert "Ikkje for mamma" not in text
    assert "Sjå på skuledagen" in text


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
