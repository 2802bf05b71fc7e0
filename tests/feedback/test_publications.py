"""A service's "you said, we did" (published to the families of its pathways, withdrawn) and how
often it sends the experience questionnaire."""
from sqlalchemy import select

from accounts.models import Service
from core.extensions import db
from feedback.models import ServiceFeedbackSettings, ServicePublication
from tests.conftest import post
from tests.helpers import count, field_error, page, sign_in, translated

TEXT = "Mange av dere sa at møtene var for lange. Fra mai varer de høyst 45 minutter."


def service_id(app, name) -> int:
    with app.app_context():
        return db.session.scalar(select(Service.id).where(Service.name == name))


def publications_url(sid) -> str:
    return f"/feedback/services/{sid}/published"


def publish(client, sid, text=TEXT):
    return post(client, publications_url(sid), {"text": text})


def stored(app, sid) -> list[ServicePublication]:
    with app.app_context():
        rows = db.session.scalars(select(ServicePublication).where(ServicePublication.service_id == sid)
                                  .order_by(ServicePublication.id)).all()
        db.session.expunge_all()
        return rows


def home_text(app, user_id) -> str:
    client = app.test_client()
    sign_in(client, user_id)
    from accounts.models import Role, User

    with app.app_context():
        role = db.session.get(User, user_id).role
    response = client.get("/me" if role == Role.YOUNG_PERSON else "/family")
    assert response.status_code == 200
    return page(response).find("main").text()


# --- "you said, we did" -------------------------------------------------------------------------

def test_a_publication_is_shown_to_the_families_of_the_services_pathways(app, client, cast):
    sign_in(client, cast.kari)
    response = publish(client, cast.service_bup, f"  {TEXT}  ")
    assert response.status_code == 303
    assert response.headers["Location"] == publications_url(cast.service_bup)
    rows = stored(app, cast.service_bup)
    assert [(row.text, row.author_id, row.withdrawn_at) for row in rows] == [(TEXT, cast.kari, None)]
    listing = page(client.get(publications_url(cast.service_bup)))
    assert TEXT in listing.find("main").text()
    # Ola's pathway has Kari (BUP Test) on its team; Emma's has only Lise (PPT Test).
    assert TEXT in home_text(app, cast.ola)
    assert TEXT in home_text(app, cast.mother_a)
    assert TEXT not in home_text(app, cast.emma)
    assert TEXT not in home_text(app, cast.father_b)


def test_the_same_text_twice_is_published_once(app, client, cast):
    """A double tap (or the form sent again) stores one publication, and still answers as a success;
    the same text after the first was withdrawn is published anew."""
    sign_in(client, cast.kari)
    published = translated(app, "Published. The young people and parents of %(service)s see it on their home page.",
                           service="BUP Test")
    for _attempt in range(2):
        response = publish(client, cast.service_bup, f" {TEXT} ")
        assert response.status_code == 303
        assert response.headers["Location"] == publications_url(cast.service_bup)
        assert published in page(client.get(publications_url(cast.service_bup))).find("main").text()
    rows = stored(app, cast.service_bup)
    assert [(row.text, row.withdrawn_at) for row in rows] == [(TEXT, None)]
    assert home_text(app, cast.ola).count(TEXT) == 1
    # Another service may say the same; a withdrawn one may be said again.
    sign_in(client, cast.lise)
    assert publish(client, service_id(app, "PPT Test")).status_code == 303
    assert len(stored(app, service_id(app, "PPT Test"))) == 1
    sign_in(client, cast.kari)
    post(client, f"{publications_url(cast.service_bup)}/{rows[0].id}/withdraw")
    assert publish(client, cast.service_bup).status_code == 303
    assert [row.withdrawn_at is None for row in stored(app, cast.service_bup)] == [False, True]


def test_the_newest_is_listed_first_and_a_withdrawn_one_is_marked(app, client, cast):
    sign_in(client, cast.kari)
    publish(client, cast.service_bup, "Den første")
    publish(client, cast.service_bup, "Den andre")
    first = stored(app, cast.service_bup)[0]
    response = post(client, f"{publications_url(cast.service_bup)}/{first.id}/withdraw")
    assert response.status_code == 303
    assert stored(app, cast.service_bup)[0].withdrawn_at is not None
    body = page(client.get(publications_url(cast.service_bup)))
    items = body.find("main").find_all("li", class_="publication")
    assert [item.find("p").text() for item in items] == ["Den andre", "Den første"]
    assert "withdrawn" in items[1]["class"].split() and "withdrawn" not in items[0]["class"].split()
    assert items[1].find("form") is None and items[0].find("form") is not None
    assert "Den første" not in home_text(app, cast.ola)
    assert "Den andre" in home_text(app, cast.ola)


def test_withdrawing_twice_changes_nothing(app, client, cast):
    sign_in(client, cast.kari)
    publish(client, cast.service_bup)
    publication = stored(app, cast.service_bup)[0]
    url = f"{publications_url(cast.service_bup)}/{publication.id}/withdraw"
    post(client, url)
    first_time = stored(app, cast.service_bup)[0].withdrawn_at
    assert post(client, url).status_code == 303
    assert stored(app, cast.service_bup)[0].withdrawn_at == first_time


def test_a_publication_of_another_service_cannot_be_withdrawn(app, client, cast):
    ppt = service_id(app, "PPT Test")
    sign_in(client, cast.lise)
    publish(client, ppt, "Frå PPT")
    theirs = stored(app, ppt)[0]
    sign_in(client, cast.kari)
    assert post(client, f"{publications_url(cast.service_bup)}/{theirs.id}/withdraw").status_code == 404
    assert post(client, f"{publications_url(ppt)}/{theirs.id}/withdraw").status_code == 404
    assert post(client, f"{publications_url(cast.service_bup)}/999999/withdraw").status_code == 404
    assert stored(app, ppt)[0].withdrawn_at is None


def test_an_empty_or_too_long_text_is_refused_beside_the_field(app, client, cast):
    sign_in(client, cast.kari)
    response = publish(client, cast.service_bup, "   ")
    assert response.status_code == 400
    assert field_error(response, "text") == translated(app, "Fill in this field.")
    too_long = "a" * 1001
    response = publish(client, cast.service_bup, too_long)
    assert response.status_code == 400
    assert field_error(response, "text") == translated(app, "Write at most %(max)d characters.", max=1000)
    assert page(response).by_id("text").text() == too_long  # what was written stays
    assert stored(app, cast.service_bup) == []
    assert publish(client, cast.service_bup, "a" * 1000).status_code == 303


def test_only_the_services_own_people_publish(app, client, cast):
    sign_in(client, cast.per)  # school health, on Ola's team but not of BUP Test
    assert publish(client, cast.service_bup).status_code == 404
    sign_in(client, cast.ola)
    assert publish(client, cast.service_bup).status_code == 403
    sign_in(client, cast.admin)
    assert publish(client, cast.service_bup).status_code == 303
    assert count(app, ServicePublication) == 1


# --- how often the questionnaire is sent ---------------------------------------------------------

def settings_url(sid) -> str:
    return f"/feedback/services/{sid}/settings"


def every(app, sid):
    with app.app_context():
        row = db.session.get(ServiceFeedbackSettings, sid)
        return "unset" if row is None else (row.questionnaire_every_months, row.updated_by_id)


def test_the_schedule_is_stored_and_changed(app, client, cast):
    sign_in(client, cast.kari)
    body = page(client.get(settings_url(cast.service_bup)))
    assert [o["value"] for o in body.by_id("every").find_all("option")] == ["0", "3", "6", "12"]
    assert [o["value"] for o in body.by_id("every").find_all("option") if "selected" in o.attrs] == ["0"]
    response = post(client, settings_url(cast.service_bup), {"every": "3"})
    assert response.status_code == 303
    assert response.headers["Location"] == settings_url(cast.service_bup)
    assert every(app, cast.service_bup) == (3, cast.kari)
    body = page(client.get(settings_url(cast.service_bup)))
    assert [o["value"] for o in body.by_id("every").find_all("option") if "selected" in o.attrs] == ["3"]
    sign_in(client, cast.admin)
    post(client, settings_url(cast.service_bup), {"every": "0"})
    assert every(app, cast.service_bup) == (None, cast.admin)
    assert count(app, ServiceFeedbackSettings) == 1  # changed, not added
    services_page = page(client.get("/feedback/services")).find("main").text()
    assert translated(app, "Only when someone sends it, and when a pathway closes") in services_page


def test_a_schedule_not_offered_is_refused(app, client, cast):
    sign_in(client, cast.kari)
    response = post(client, settings_url(cast.service_bup), {"every": "5"})
    assert response.status_code == 400
    assert field_error(response, "every") == translated(app, "Not a valid choice.")
    assert every(app, cast.service_bup) == "unset"


def test_the_schedule_of_another_service_is_not_reachable(app, client, cast):
    sign_in(client, cast.lise)
    assert client.get(settings_url(cast.service_bup)).status_code == 404
    assert post(client, settings_url(cast.service_bup), {"every": "3"}).status_code == 404
    sign_in(client, cast.mother_a)
    assert post(client, settings_url(cast.service_bup), {"every": "3"}).status_code == 403
    assert every(app, cast.service_bup) == "unset"
