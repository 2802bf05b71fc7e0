"""A session survives what phones do: changing network (and so address) on the bus."""
from tests.conftest import login


def test_session_survives_a_new_address(client, cast):
    """Logged in on wifi, still logged in on mobile data."""
    client.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    login(client, "ola")
    client.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    response = client.get("/me")
    assert response.status_code == 200
    assert "Ola Nordvik" in response.get_data(as_text=True)
