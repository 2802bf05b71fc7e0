"""Access table rows for feedback: service (the report, its CSV, the questionnaire schedule and
"you said, we did"). A service's pages are for the admin and the professionals of that service
(Kari, BUP Test); another professional gets 404 (Per is on Ola's team but of school health, Lise of
PPT), the family 403."""
from tests.access_rules import ADMIN, ANON, FAMILY, LOGIN, MEMBER, OTHER, PA, PB, PRO, PROS, YA, YB, expect, only, team_only  # noqa: F401


def service_only(status):
    """BUP Test's pages: its professional and the admin get in; other professionals 404; family 403."""
    table = only({PRO, ADMIN}, status)
    table[MEMBER] = table[OTHER] = 404
    return table


def _publication(c) -> int:
    from core.extensions import db
    from feedback.models import ServicePublication

    with c.app.app_context():
        publication = ServicePublication(service_id=c.service_bup, text="Vi har korta ned møta.", author_id=c.kari)
        db.session.add(publication)
        db.session.commit()
        return publication.id


BUP = lambda c: {"service_id": c.service_bup}  # noqa: E731

ROWS: dict = {
    ("feedback.services", "GET"): (None, None, only(PROS | {ADMIN}, 200)),
    ("feedback.report", "GET"): (BUP, None, service_only(200)),
    ("feedback.report_csv", "GET"): (BUP, None, service_only(200)),
    ("feedback.settings", "GET"): (BUP, None, service_only(200)),
    ("feedback.settings", "POST"): (BUP, lambda c: {"every": "6"}, service_only(303)),
    ("feedback.publications", "GET"): (BUP, None, service_only(200)),
    ("feedback.publications", "POST"): (BUP, lambda c: {"text": "Vi har korta ned møta."}, service_only(303)),
    ("feedback.withdraw_publication", "POST"): (
        lambda c: {"service_id": c.service_bup, "publication_id": _publication(c)}, None, service_only(303)),
}
