"""The admin's notice switches for a service: SMS on, and notices to young people under 13 themselves."""
import pytest

from accounts.models import Service
from core.extensions import db
from tests.conftest import post
from tests.helpers import page, sign_in, translated


@pytest.fixture()
def admin(client, cast):
    sign_in(client, cast.admin)
    return client


def _switches(app, service_id: int) -> tuple[bool, bool]:
    with app.app_context():
        service = db.session.get(Service, service_id)
        return service.sms_notices, service.notices_under_13


def _boxes(response, service_id: int) -> tuple[bool, bool]:
    body = page(response)
    return ("checked" in body.by_id(f"sms-notices-{service_id}").attrs,
            "checked" in body.by_id(f"notices-under-13-{service_id}").attrs)


def test_both_switches_are_off_until_the_admin_turns_them_on(app, admin, cast):
    assert _switches(app, cast.service_bup) == (False, False)
    assert _boxes(admin.get("/admin"), cast.service_bup) == (False, False)


def test_the_switches_save_and_the_admin_page_shows_them(app, admin, cast):
    url = f"/admin/services/{cast.service_bup}/notices"
    response = post(admin, url, {"sms_notices": "y", "notices_under_13": "y", "next": "/admin?page=1"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin?page=1"
    assert _switches(app, cast.service_bup) == (True, True)
    shown = admin.get("/admin")
    assert _boxes(shown, cast.service_bup) == (True, True)
    with app.app_context():
        name = db.session.get(Service, cast.service_bup).name
    saved = translated(app, "The notice settings of %(name)s are saved.", locale="nb", name=name)
    assert saved in page(shown).by_id("main").text()

    # An unticked box is not posted: that turns it off, and the other stays as ticked.
    post(admin, url, {"notices_under_13": "y"})
    assert _switches(app, cast.service_bup) == (False, True)
    assert _boxes(admin.get("/admin"), cast.service_bup) == (False, True)


def test_without_the_token_nothing_changes(app, admin, cast):
    response = admin.post(f"/admin/services/{cast.service_bup}/notices", data={"sms_notices": "y"})
    assert response.status_code == 400
    assert _switches(app, cast.service_bup) == (False, False)


def test_an_unknown_service_is_404(admin):
    assert post(admin, "/admin/services/999999/notices", {"sms_notices": "y"}).status_code == 404


def test_a_next_address_off_the_admin_list_is_not_followed(admin, cast):
    response = post(admin, f"/admin/services/{cast.service_bup}/notices", {"next": "https://example.com/admin"})
    assert response.headers["Location"] == "/admin"
