"""Access table rows for notices: the admin's outbox (only the admin)."""
from tests.access_rules import ADMIN, only

# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {
    ("notices.outbox", "GET"): (None, None, only({ADMIN}, 200)),
}
