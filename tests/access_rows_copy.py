"""Access table rows for the person's own copy: the page and its two downloads are the young
person's and the parents' own; professionals and the admin get 403, anonymous people log in."""
from tests.access_rules import FAMILY, only

ROWS = {
    ("youth.my_copy", "GET"): (None, None, only(FAMILY, 200)),
    ("youth.my_copy_html", "GET"): (None, None, only(FAMILY, 200)),
    ("youth.my_copy_json", "GET"): (None, None, only(FAMILY, 200)),
}
