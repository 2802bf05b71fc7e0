"""Access table rows for the pages the family's home page links to: what I have said, what we
agreed, what the team is doing, all my meetings. Each is the young person's and the parents' own."""
from tests.access_rules import FAMILY, only

ROWS = {
    ("youth.my_statements", "GET"): (None, None, only(FAMILY, 200)),
    ("youth.my_agreements", "GET"): (None, None, only(FAMILY, 200)),
    ("youth.my_doing", "GET"): (None, None, only(FAMILY, 200)),
    ("youth.my_meetings", "GET"): (None, None, only(FAMILY, 200)),
}
