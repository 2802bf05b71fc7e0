"""Access table rows for a person's own account page: everyone logged in, each their own account."""
from tests.access_rules import LOGIN, expect

EVERYONE = expect(200, anonymous=LOGIN)

ROWS = {
    ("accounts.account", "GET"): (None, None, EVERYONE),
    # A wrong password now: the form comes back (400); the account is the person's own, whoever it is.
    ("accounts.change_password", "POST"): (
        None, lambda c: {"current": "not-the-password", "password": "sykkel i regnet", "confirm": "sykkel i regnet"},
        expect(400, anonymous=LOGIN)),
    ("accounts.logout_everywhere", "POST"): (None, None, expect(303, anonymous=LOGIN)),
    ("accounts.still_here", "POST"): (None, None, expect(303, anonymous=LOGIN)),
}
