"""Access table rows for the second step of a login and the admin's reset of a second factor.

The second step belongs to nobody who is logged in (they are sent to their own page, 302) and needs a
pending login (a right password a moment ago): without one, the person is sent to log in (303)."""
from tests.access_rules import ADMIN, expect, only

START_AGAIN = expect(302, anonymous=303)

ROWS = {
    ("accounts.second_factor_code", "GET"): (None, None, START_AGAIN),
    ("accounts.second_factor_code", "POST"): (None, lambda c: {"code": "123456"}, START_AGAIN),
    ("accounts.recovery_code", "POST"): (None, lambda c: {"recovery_code": "AAAA-BBBB-CCCC-DDDD"}, START_AGAIN),
    ("accounts.second_factor_setup", "GET"): (None, None, START_AGAIN),
    ("accounts.second_factor_setup", "POST"): (None, lambda c: {"code": "123456"}, START_AGAIN),
    ("accounts.second_factor_done", "POST"): (None, None, START_AGAIN),
    ("accounts.reset_second_factor", "POST"): (lambda c: {"user_id": c.per}, None, only({ADMIN}, 303)),
}
