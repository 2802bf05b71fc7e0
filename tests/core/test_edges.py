"""Input at the edges answers with a message or a 404, never a server error: ids too large for the
database, odd digits, dates in year 1 or 9999, and codes for a closed pathway (in test_invitations)."""
from tests.conftest import post
from tests.helpers import field_error, sign_in, translated

HUGE = "9" * 30


def test_an_id_too_large_for_the_database_is_a_plain_404(app, client, cast):
    """A 30-digit pathway or statement id in the URL is 404, like any id that does not exist."""
    sign_in(client, cast.kari)
    assert client.get(f"/pathways/{HUGE}").status_code == 404
    assert client.get(f"/pathways/{2**31}").status_code == 404
    sign_in(client, cast.ola)
    assert client.get(f"/my/statements/{HUGE}").status_code == 404


def test_posted_ids_out_of_range_are_refused_not_crashed(app, client, cast):
    """The coordinator's handover choice and step, and the team search's add, with ids no row has."""
    sign_in(client, cast.kari)
    for data in ({"to_id": HUGE}, {"to_id": "²"}):
        response = post(client, f"/pathways/{cast.pathway_a}/handover", data)
        assert response.status_code in (400, 409), response.status_code
    assert post(client, f"/pathways/{cast.pathway_a}/step", {"from_step": "²"}).status_code < 500
    assert post(client, f"/pathways/{cast.pathway_a}/team", {"user_id": HUGE}).status_code == 400


def test_dates_in_year_1_or_9999_get_a_message_beside_the_field(app, client, cast):
    """The admin's log search and a meeting late on 31.12.9999 say what is wrong, beside the field."""
    message = translated(app, "Write a real date, for example 24.03.2026.")
    sign_in(client, cast.admin)
    response = client.get("/admin/access-log?date_from=0001-01-01&date_to=9999-12-31")
    assert response.status_code == 400
    assert field_error(response, "date_from") == message
    assert field_error(response, "date_to") == message
    sign_in(client, cast.kari)
    response = post(client, f"/pathways/{cast.pathway_a}/meetings/new", {
        "kind": "care_team", "day": "9999-12-31", "start": "23:00", "minutes": "120", "place": "Rom 1",
        "purpose": "Snakke saman", "young_person": "y", "parents": "y",
    })
    assert response.status_code == 400
    assert field_error(response, "day") == message
