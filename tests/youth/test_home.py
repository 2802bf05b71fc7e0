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
    return [item.text() for card in main.find_all("section", class_="ds-card") for item in card.find_all("li")]


def test_young_person_sees_own_pathway_coordinator_and_team(app, client, cast):
    """Ola's home shows his pathway, that Kari is his coordinator, and everyone on his team."""
    main = home(client, user_id(app, "ola"), "/me")
    assert main.find("h2").text() == "Angst og søvn"
    assert translated(app, "Your coordinator is %(name)s.", name="Kari Nordmann, BUP Test") in main.text()
    assert team_names(main) == ["Kari Nordmann, BUP Test", "Per Hansen, Skulehelse Test"]
    assert "Lise Berg" not in main.text()


def test_parent_sees_the_childs_pathway(app, client, cast):
    """Ola's mother sees Ola's pathway, its coordinator and its team."""
    main = home(client, user_id(app, "mor.ola"), "/family")
    assert main.find("h2").text() == "Angst og søvn"
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
    assert main.find("section", class_="ds-card") is None
    assert "Angst og søvn" not in main.text()
    assert "Kari Nordmann" not in main.text()
    assert translated(app, "You are not connected to a pathway yet.") in main.text()


def test_young_person_does_not_see_anothers_pathway(app, client, cast):
    """Emma sees her own pathway and team, nothing of Ola's."""
    main = home(client, user_id(app, "emma"), "/me")
    text = page(client.get("/me")).text()
    assert main.find("h2").text() == "Trivsel"
    assert team_names(main) == ["Lise Berg, PPT Test"]
    for of_ola in ("Angst og søvn", "Kari Nordmann", "Per Hansen", "Ola Nordvik"):
        assert of_ola not in text
