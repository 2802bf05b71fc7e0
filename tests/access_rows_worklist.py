"""Access table rows for the worklist's full lists: every meeting of the next 14 days and every overdue
measure. Each lists only the professional's own pathways, so every professional gets in."""
from tests.access_rules import PROS, only

ROWS = {
    ("pathways.coming_meetings", "GET"): (None, None, only(PROS, 200)),
    ("pathways.overdue", "GET"): (None, None, only(PROS, 200)),
}
