"""Who sees whose statements, decided when they look, from the young person's age today.

Under 12: parents see what is shared with the team unless withheld for weighty reasons; from 12
only what the young person shared with them ("my team and my parents"), older entries included
(tests/youth/test_sharing.py walks every answer at each age). A parent's input reaches the young person only
when shared with them, never the other parent. Drafts are the author's alone."""
from datetime import date, datetime, timezone

import pytest

from accounts.models import User, YoungPerson
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


def add(app, cast, author_id, text, sharing, withheld=False) -> int:
    """A statement written through the service, then withheld if the test needs it."""
    with app.app_context():
        author = db.session.get(User, author_id)
        pathway = db.session.get(Pathway, cast.pathway_a)
        statement, _ = services.create_or_update_statement(
            author, pathway, services.StatementData(Prompt.FREE, text, sharing))
        # Set directly: a professional's mark.
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
    add(app, cast, cast.ola, "family", Sharing.FAMILY)
    add(app, cast, cast.ola, "draft", Sharing.PRIVATE)
    add(app, cast, cast.ola, "withheld", Sharing.FAMILY, withheld=True)


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
    (11, {"team", "family"}),
    (12, {"family"}),
    (15, {"family"}),
    (16, {"family"}),
    (17, {"family"}),
])
def test_parent_sees_the_young_persons_statements_by_age(app, cast, olas, age, parent_sees):
    set_age(app, cast, age)
    assert seen(app, cast.mother_a, cast.pathway_a) == parent_sees
    # The young person always sees all of their own, drafts and withheld ones included.
    assert seen(app, cast.ola, cast.pathway_a) == {"team", "family", "draft", "withheld"}


def test_what_a_child_shared_stays_shared_with_the_parents_as_the_child_grows_up(app, cast):
    set_age(app, cast, 11)
    add(app, cast, cast.ola, "Eg søv dårleg", Sharing.FAMILY)  # "my team (and my parents)"
    for age in (11, 13, 16):
        set_age(app, cast, age)
        assert seen(app, cast.mother_a, cast.pathway_a) == {"Eg søv dårleg"}


@pytest.mark.parametrize(("age", "sharing", "label"), [
    (11, Sharing.FAMILY, "Your team and your parents can read it."),
    (13, Sharing.FAMILY, "Your team and your parents can read it."),
    (13, Sharing.TEAM, "Your team can read it, your parents cannot."),
    (17, Sharing.TEAM, "Your team can read it, your parents cannot."),
    (17, Sharing.PRIVATE, "Only you can see it."),
])
def test_the_young_person_is_told_who_reads_their_own_statement(app, cast, age, sharing, label):
    """The label on Ola's own statement says the truth for his age today."""
    set_age(app, cast, age)
    add(app, cast, cast.ola, "mitt", sharing)
    client = app.test_client()
    sign_in(client, cast.ola)
    found = page(client.get(f"/my/pathways/{cast.pathway_a}/statements/new")).find(
        "p", class_="statement-sharing").text()
    assert found == translated(app, label)


def test_withheld_from_the_parents_the_child_is_told_so(app, cast):
    set_age(app, cast, 10)
    add(app, cast, cast.ola, "halde tilbake", Sharing.FAMILY, withheld=True)
    client = app.test_client()
    sign_in(client, cast.ola)
    found = page(client.get(f"/my/pathways/{cast.pathway_a}/statements/new")).find(
        "p", class_="statement-sharing").text()
    assert found == translated(app, "Your team can read it, your parents cannot.")
    assert seen(app, cast.mother_a, cast.pathway_a) == set()


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
