"""Access table rows for getting back in: "Forgot your password?", the e-mailed link's page, choosing a
new password after a coordinator's login code, and the coordinator's button that makes the code.

The first three are public (a person who cannot log in uses them); without a usable link the link's
page answers 410, and without a code typed first the password page sends the person to type it (303).
Only the pathway's coordinator makes a login code."""
from tests.access_rules import expect, team_only

ROWS = {
    ("accounts.forgot_password", "GET"): (None, None, expect(200)),
    ("accounts.forgot_password", "POST"): (None, lambda c: {"email": "nobody@test.no"}, expect(303)),
    ("accounts.reset_password", "GET"): (lambda c: {"token": "x" * 43}, None, expect(410)),
    ("accounts.reset_password", "POST"): (
        lambda c: {"token": "x" * 43},
        lambda c: {"password": "ein lang og god frase", "confirm": "ein lang og god frase"}, expect(410)),
    ("accounts.new_password", "GET"): (None, None, expect(303)),
    ("accounts.new_password", "POST"): (None, None, expect(303)),
    ("accounts.new_login_code", "POST"): (lambda c: {"pathway_id": c.pathway_a}, None, team_only(200, member=403)),
}
