"""The professional's side: creating pathways, the worklist, and the coordinator's work on the team."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accounts.models import Role, User, YoungPerson
from core.extensions import db
from pathways.models import EventKind, Pathway, PathwayEvent, TeamMember
from pathways.services import create_pathway
from tests.conftest import HTMX, as_user, post
from tests.helpers import count, field_error, page, translated

FOURTEEN_YEARS_AGO = (date.today() - timedelta(days=14 * 365)).isoformat()


def worklist_ids(client) -> set[int]:
    """The pathways linked from the worklist."""
    response = client.get("/pathways/")
    assert response.status_code == 200
    links = page(response).by_id("main").find_all("a")
    return {int(m.group(1)) for a in links if (m := re.fullmatch(r"/pathways/(\d+)", a.get("href", "")))}


def team_ids(app, pathway_id) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(TeamMember.user_id).where(TeamMember.pathway_id == pathway_id)))


def search_result_ids(response) -> set[int]:
    """The professionals offered by the team search."""
    results = page(response).by_id("search-results")
    return {int(i["value"]) for i in results.find_all("input", name="user_id")}


def test_creating_a_pathway_makes_the_creator_coordinator(app, kari, cast):
    """The creator is coordinator and the only team member, and the history says who created it."""
    response = post(kari, "/pathways/new", {"name": " Sara Ny ", "birth_date": FOURTEEN_YEARS_AGO,
                                            "title": "Skulevegring", "template": "other"})
    assert response.status_code == 303
    pathway_id = int(re.fullmatch(r"/pathways/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        pathway = db.session.get(Pathway, pathway_id)
        assert (pathway.young_person.name, pathway.title, pathway.coordinator_id) == ("Sara Ny", "Skulevegring",
                                                                                     cast.kari)
        assert pathway.young_person.birth_date.isoformat() == FOURTEEN_YEARS_AGO
        events = db.session.scalars(select(PathwayEvent).where(PathwayEvent.pathway_id == pathway_id)).all()
        assert [(e.kind, e.actor_id) for e in events] == [(EventKind.CREATED, cast.kari)]
    assert team_ids(app, pathway_id) == {cast.kari}

    shown = page(kari.get(f"/pathways/{pathway_id}"))
    history = shown.find("ol", class_="history").text()
    assert translated(app, "%(actor)s created the pathway «%(name)s».", actor="Kari Nordmann",
                      name="Skulevegring") in history
    assert pathway_id in worklist_ids(kari)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"birth_date": (date.today() + timedelta(days=1)).isoformat()}, "birth_date",
     "The birth date cannot be in the future."),
    ({"name": ""}, "name", "Fill in this field."),
    ({"title": "   "}, "title", "Fill in this field."),
    ({"template": None}, "template", "Choose a care pathway."),
    ({"template": "no-such-template"}, "template", "Not a valid choice."),
], ids=["birth-date-in-future", "empty-name", "blank-title", "no-template", "unknown-template"])
def test_invalid_pathway_is_refused_beside_the_field(app, kari, data, field, message):
    """Bad input is refused beside its field, nothing is stored, and what was typed stays in the form."""
    typed = {"name": "Sara Ny", "birth_date": FOURTEEN_YEARS_AGO, "title": "Skulevegring", "template": "anxiety",
             **data}
    typed = {name: value for name, value in typed.items() if value is not None}
    pathways, people = count(app, Pathway), count(app, YoungPerson)
    response = post(kari, "/pathways/new", typed)
    assert response.status_code == 200
    form = page(response).find("form", action="/pathways/new")
    if field == "template":  # a group of radio buttons: the message is beside the group, each button invalid
        radios = form.find_all("input", name="template")
        assert radios and all(radio.get("aria-invalid") == "true" for radio in radios)
        assert "template-error" in form.by_id("template")["aria-describedby"].split()
        assert form.by_id("template-error").text() == translated(app, message)
    else:
        assert field_error(response, field) == translated(app, message)
    for name in ("name", "birth_date", "title"):
        assert form.by_id(name)["value"] == typed[name]
    checked = [radio["value"] for radio in form.find_all("input", name="template") if "checked" in radio.attrs]
    assert checked == ([typed["template"]] if field != "template" else [])
    assert (count(app, Pathway), count(app, YoungPerson)) == (pathways, people)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_unreadable_birth_date_is_refused_in_the_readers_language(app, kari, lang):
    """A birth date the form cannot read (typed by hand where there is no date picker) is refused beside the field."""
    response = post(kari, "/pathways/new", {"name": "Sara Ny", "birth_date": "fjerde mars", "title": "Søvn",
                                            "template": "other"},
                    headers={"Accept-Language": lang})
    assert response.status_code == 200
    assert page(response).find("html")["lang"] == lang
    message = field_error(response, "birth_date")
    assert message
    assert message.rstrip(".") != "Not a valid date value"
    assert page(response).find("form", action="/pathways/new").by_id("birth_date")["value"] == "fjerde mars"
    assert count(app, Pathway) == 2


def test_birth_date_typed_the_norwegian_way_is_read(app, kari):
    """Without a date picker people type 4.3.2012; that is 4 March 2012."""
    response = post(kari, "/pathways/new", {"name": "Sara Ny", "birth_date": "4.3.2012", "title": "Søvn",
                                            "template": "other"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(YoungPerson.birth_date).where(YoungPerson.name == "Sara Ny")) == date(2012, 3, 4)


def test_creating_a_pathway_works_on_29_february(app, kari, monkeypatch):
    """On a leap day a pathway can be created like on any other day."""
    import pathways.forms

    class LeapDay(date):
        @classmethod
        def today(cls):
            return cls(2028, 2, 29)

    monkeypatch.setattr(pathways.forms, "date", LeapDay)
    response = post(kari, "/pathways/new", {"name": "Sara Ny", "birth_date": "2014-05-06", "title": "Søvn",
                                            "template": "other"})
    assert response.status_code == 303


def test_worklist_lists_exactly_the_pathways_of_the_team(app, cast):
    """Each professional's worklist has the pathways they are on the team of, and no others."""
    with app.app_context():
        lise_new = create_pathway(db.session.get(User, cast.lise), "Sara Ny", date(2012, 3, 4), "Søvn").id
    assert worklist_ids(as_user(app, cast.kari)) == {cast.pathway_a}
    assert worklist_ids(as_user(app, cast.per)) == {cast.pathway_a}
    assert worklist_ids(as_user(app, cast.lise)) == {cast.pathway_b, lise_new}


def test_coordinator_finds_and_adds_a_professional(app, kari, cast):
    """The coordinator finds Lise by name, adds her, and she then has the pathway."""
    found = kari.get(f"/pathways/{cast.pathway_a}/team?q=lise")
    assert found.status_code == 200
    assert search_result_ids(found) == {cast.lise}
    assert "Lise Berg" in page(found).by_id("search-results").text()

    response = post(kari, f"/pathways/{cast.pathway_a}/team", {"user_id": cast.lise, "q": "lise"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pathways/{cast.pathway_a}/team?q=lise"
    assert team_ids(app, cast.pathway_a) == {cast.kari, cast.per, cast.lise}
    assert count(app, PathwayEvent, PathwayEvent.kind == EventKind.MEMBER_ADDED,
                 PathwayEvent.subject_name == "Lise Berg") == 1

    lise = as_user(app, cast.lise)
    assert lise.get(f"/pathways/{cast.pathway_a}").status_code == 200
    assert cast.pathway_a in worklist_ids(lise)


def test_htmx_search_returns_only_the_results(kari, cast):
    """The active search gets just the results list; the page varies on HX-Request."""
    response = kari.get(f"/pathways/{cast.pathway_a}/team?q=lise", headers=HTMX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="search-results"')
    assert search_result_ids(response) == {cast.lise}
    assert "HX-Request" in response.headers["Vary"]

    full = kari.get(f"/pathways/{cast.pathway_a}/team?q=lise")
    assert "HX-Request" in full.headers["Vary"]
    assert "<html" in full.get_data(as_text=True)


def test_htmx_history_restore_gets_the_full_page(kari, cast):
    """When htmx restores a pushed search URL from history, it gets the whole page."""
    response = kari.get(f"/pathways/{cast.pathway_a}/team?q=lise",
                        headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert response.status_code == 200
    body = page(response)
    assert body.find("html") is not None
    assert body.by_id("q")["value"] == "lise"
    assert search_result_ids(response) == {cast.lise}


def test_coordinator_removes_a_member_who_then_loses_the_pathway(app, kari, cast):
    """Per, taken off the team, gets 404 on the pathway and no longer has it on his worklist."""
    per = as_user(app, cast.per)
    assert per.get(f"/pathways/{cast.pathway_a}").status_code == 200
    response = post(kari, f"/pathways/{cast.pathway_a}/team/{cast.per}/remove")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/pathways/{cast.pathway_a}/team"
    assert team_ids(app, cast.pathway_a) == {cast.kari}
    assert count(app, PathwayEvent, PathwayEvent.kind == EventKind.MEMBER_REMOVED,
                 PathwayEvent.subject_name == "Per Hansen") == 1
    assert per.get(f"/pathways/{cast.pathway_a}").status_code == 404
    assert worklist_ids(per) == set()


def test_coordinator_cannot_be_removed(app, kari, cast):
    """Removing the coordinator answers 404 and the team stays as it was."""
    response = post(kari, f"/pathways/{cast.pathway_a}/team/{cast.kari}/remove")
    assert response.status_code == 404
    assert team_ids(app, cast.pathway_a) == {cast.kari, cast.per}


def test_team_member_who_is_not_coordinator_cannot_change_the_team(app, cast):
    """Per, on the team but not coordinator, can neither add nor remove, and sees no add or remove buttons."""
    per = as_user(app, cast.per)
    assert post(per, f"/pathways/{cast.pathway_a}/team", {"user_id": cast.lise}).status_code == 403
    assert post(per, f"/pathways/{cast.pathway_a}/team/{cast.kari}/remove").status_code == 403
    assert team_ids(app, cast.pathway_a) == {cast.kari, cast.per}
    team_page = page(per.get(f"/pathways/{cast.pathway_a}/team?q=lise"))
    assert team_page.find(id="search-results") is None
    assert not [f for f in team_page.find_all("form") if f.get("action", "").endswith("/remove")]


def test_search_leaves_out_the_team_and_closed_accounts(app, kari, cast, password_hash):
    """Search results never offer someone already on the team or a closed account."""
    with app.app_context():
        closed = User(role=Role.PROFESSIONAL, name="Lars Lukket", email="lars@test.no",
                      password_hash=password_hash, active=False)
        db.session.add(closed)
        db.session.commit()
    team = f"/pathways/{cast.pathway_a}/team"
    assert search_result_ids(kari.get(team + "?q=test.no")) == {cast.lise}
    assert search_result_ids(kari.get(team + "?q=LISE")) == {cast.lise}
    for query in ("kari", "per hansen", "lars", "admin", "%", "_"):
        response = kari.get(team, query_string={"q": query})
        assert search_result_ids(response) == set(), query
        assert translated(app, "Nobody found who is not on the team already.") in page(response).text()
    with app.app_context():
        db.session.get(User, cast.lise).active = False
        db.session.commit()
    assert search_result_ids(kari.get(team + "?q=test.no")) == set()
    assert post(kari, team, {"user_id": cast.lise}).status_code == 404
    assert team_ids(app, cast.pathway_a) == {cast.kari, cast.per}


def test_no_code_for_a_young_person_who_has_an_account(app, kari, cast):
    """Inviting Ola, who has an account, is refused beside the choice and makes no code."""
    from accounts.models import Invitation

    response = post(kari, f"/pathways/{cast.pathway_a}/invitations/new", {"role": "young_person"})
    assert response.status_code == 200
    assert 'id="invitation-code"' not in response.get_data(as_text=True)
    assert page(response).by_id("role-error").text() == translated(
        app, "%(name)s has an account already and logs in with it.", name="Ola Nordvik")
    assert count(app, Invitation) == 0
    assert f"/pathways/{cast.pathway_a}/invitations/new?role=young_person" not in (
        kari.get(f"/pathways/{cast.pathway_a}").get_data(as_text=True))
