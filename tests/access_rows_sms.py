"""Access table rows for the admin's notice switches of a service (SMS on, notices to under-13s)."""
from tests.access_rules import ADMIN, only

ROWS = {
    ("accounts.service_notices", "POST"): (lambda c: {"service_id": c.service_bup}, lambda c: {"sms_notices": "y"},
                                           only({ADMIN}, 303)),
}
