"""Who sees whose statements, decided when they look, from the young person's age today.

Under 12: parents see what is shared with the team unless withheld for weighty reasons; 12–15 the
same except what the young person marked "not for my parents"; 16 and over only what the young
person shared with them, older entries included. A parent's input reaches the young person only
when shared with them, never the other parent. Drafts are the author's alone."""
from datetime import date, datetime, timezone

import pytest

from accounts.models import ParentLink, Role, User, YoungPerson
from core.extensions import db
from core.models import today_in_oslo
from pathways.models import Pathway
from tests.helpers import page, sign_in, translated
from youth import services
from youth.models import Prompt, Sharing, Statement


def set_age(app, cast, age: int) -> None:
    """Make Ola `age` years old today (born on 1 January)."""
    with app.app_context():
        person = db.session.get(YoungPerson, cast.young_a)
        person.birth_date = date(today_in_oslo().year - age, 1, 1)
        db.session.commit()
        assert person.age_on(today_in_oslo()) == age


def add(app, cast, author_id, text, sharing, not_for_parents=False, withheld=False) -> int:
    """A statement written through the service, then marked the way the test needs."""
    with app.app_context():
        author = db.session.get(User, author_id)
        pathway = db.session.get(Pathway, cast.pathway_a)
        statement, _ = services.create_or_update_statement(
            author, pathway, services.StatementData(Prompt.FREE, text, sharing))
        # Set directly: the marks an entry got earlier (at another age) or from a professional.
        statement.not_for_parents = not_for_parents
        if withheld:
            statement.withheld_at = datetime.now(timezone.utc)
            statement.withheld_reason = "Tungtvegande omsyn"
            statement.withheld_by_id = cast.kari
        db.session.commit()
        return statement.id


@pytest.fixture()
def olas(app, cast):
    """Ola's statements, one of each kind."""
    add(app, cast, cast.ola, "team", Sharing.TEAM)
    add(app, cast, cast.ola, "marked", Sharing.TEAM, not_for_parents=True)
    add(app, cast, cast.ola, "family", Sharing.FAMILY)
    add(app, cast, cast.ola, "draft", Sharing.PRIVATE)
    add(app, cast, cast.ola, "withheld", Sharing.TEAM, withheld=True)


def seen_on_page(app, user_id, pathway_id) -> set[str]:
    """The statement texts `user_id` sees on the pathway's statements page."""
    client = app.test_client()
    sign_in(client, user_id)
    response = client.get(f"/my/pathways/{pathway_id}/statements/new")
    assert response.status_code == 200
    return {p.text() for p in page(response).find_all("p", class_="statement-text")}


def seen_by_service(app, user_id, pathway_id) -> set[str]:
    with app.test_request_context():
        user = db.session.get(User, user_id)
        ages = {p.id: p.age for p in services.my_pathways(user)}
        return {s.text for s in services.statements_for_home(user, ages).get(pathway_id, [])}


def seen(app, user_id, pathway_id=None) -> set[str]:
    """What `user_id` sees, through the page and the home-page service alike."""
    from_page = seen_on_page(app, user_id, pathway_id)
    assert seen_by_service(app, user_id, pathway_id) == from_page
    return from_page


@pytest.mark.parametrize(("age", "parent_sees"), [
    (11, {"team", "marked", "family"}),
    (12, {"team", "family"}),
    (15, {"team", "family"}),
    (16, {"family"}),
    (17, {"family"}),
])
def test_parent_sees_the_young_persons_statements_by_age(app, cast, olas, age, parent_sees):
    set_age(app, cast, age)
    assert seen(app, cast.mother_a, cast.pathway_a) == parent_sees
    # The young person always sees all of their own, drafts and withheld ones included.
    assert seen(app, cast.ola, cast.pathway_a) == {"team", "marked", "family", "draft", "withheld"}


def test_at_16_older_entries_shared_with_the_team_disappear_from_the_parents_view(app, cast):
    add(app, cast, cast.ola, "Eg søv dårleg", Sharing.TEAM)
    set_age(app, cast, 15)
    assert seen(app, cast.mother_a, cast.pathway_a) == {"Eg søv dårleg"}
    set_age(app, cast, 16)
    assert seen(app, cast.mother_a, cast.pathway_a) == set()


@pytest.mark.parametrize(("age", "parents_read"), [(11, True), (15, True), (16, False)])
def test_the_young_person_is_told_whether_the_parents_read_a_team_entry(app, cast, age, parents_read):
    """The label on Ola's own statement says the truth for his age today."""
    add(app, cast, cast.ola, "team", Sharing.TEAM)
    set_age(app, cast, age)
    client = app.test_client()
    sign_in(client, cast.ola)
    label = page(client.get(f"/my/pathways/{cast.pathway_a}/statements/new")).find(
        "p", class_="statement-sharing").text()
    expected = "Your team and your parents can read it." if parents_read else "Your team can read it."
    assert label == translated(app, expected)


@pytest.mark.parametrize(("age", "sentence", "mark"), [
    (11, "Your parents can read what you share with your team.", False),
    (12, "Your parents can read what you share with your team, unless you tick «Not for my parents».", True),
    (15, "Your parents can read what you share with your team, unless you tick «Not for my parents».", True),
    (16, "Your parents can read only what you choose to share with them.", False),
])
def test_the_form_explains_who_sees_it_for_each_age(app, cast, age, sentence, mark):
    set_age(app, cast, age)
    client = app.test_client()
    sign_in(client, cast.ola)
    main = page(client.get(f"/my/pathways/{cast.pathway_a}/statements/new")).by_id("main")
    assert main.by_id("sharing-explained").text() == translated(app, sentence)
    assert (main.find(id="not_for_parents") is not None) == mark


def test_a_young_person_of_16_cannot_mark_not_for_parents_and_sharing_with_them_clears_an_old_mark(
        app, cast):
    statement_id = add(app, cast, cast.ola, "gammal", Sharing.TEAM, not_for_parents=True)
    set_age(app, cast, 16)
    client = app.test_client()
    sign_in(client, cast.ola)
    from tests.conftest import post
    response = post(client, f"/my/statements/{statement_id}", {"prompt": "free", "text": "gammal",
                                                               "sharing": "family", "not_for_parents": "y",
                                                               "revision": "1"})
    assert response.status_code == 303
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        assert (statement.sharing, statement.not_for_parents) == (Sharing.FAMILY, False)
    assert seen(app, cast.mother_a, cast.pathway_a) == {"gammal"}


@pytest.fixture()
def father_a(app, cast, password_hash):
    """Ola's father, also with parental responsibility."""
    with app.app_context():
        father = User(role=Role.PARENT, name="Tor Nordvik", username="far.ola", password_hash=password_hash)
        db.session.add(ParentLink(young_person=db.session.get(YoungPerson, cast.young_a), user=father,
                                  parental_responsibility=True))
        db.session.commit()
        return father.id


def test_a_parents_input_reaches_the_young_person_only_when_shared_and_never_the_other_parent(
        app, cast, father_a):
    add(app, cast, cast.mother_a, "mor team", Sharing.TEAM)
    add(app, cast, cast.mother_a, "mor familie", Sharing.FAMILY)
    add(app, cast, cast.mother_a, "mor utkast", Sharing.PRIVATE)
    add(app, cast, father_a, "far familie", Sharing.FAMILY)
    assert seen(app, cast.ola, cast.pathway_a) == {"mor familie", "far familie"}
    assert seen(app, cast.mother_a, cast.pathway_a) == {"mor team", "mor familie", "mor utkast"}
    assert seen(app, father_a, cast.pathway_a) == {"far familie"}


def test_the_young_persons_draft_is_the_young_persons_alone_and_the_other_family_sees_nothing(app, cast, olas):
    set_age(app, cast, 11)
    assert "draft" not in seen(app, cast.mother_a, cast.pathway_a)
    for outsider in (cast.emma, cast.father_b):
        assert seen(app, outsider, cast.pathway_b) == set()
        with app.test_request_context():
            user = db.session.get(User, outsider)
            assert cast.pathway_a not in {p.id for p in services.my_pathways(user)}
        client = app.test_client()
        sign_in(client, outsider)
        assert client.get(f"/my/pathways/{cast.pathway_a}/statements/new").status_code == 404


def test_removed_statements_are_hidden_from_the_parents_too(app, cast):
    statement_id = add(app, cast, cast.ola, "borte", Sharing.FAMILY)
    assert seen(app, cast.mother_a, cast.pathway_a) == {"borte"}
    with app.app_context():
        services.remove_statement(db.session.get(Statement, statement_id), db.session.get(User, cast.ola))
    assert seen(app, cast.mother_a, cast.pathway_a) == set()
    assert seen(app, cast.ola, cast.pathway_a) == set()
