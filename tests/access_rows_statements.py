"""Access table rows for what matters to me (statements), read receipts for the family."""
from tests.access_rules import ADMIN, ANON, FAMILY, LOGIN, MEMBER, OTHER, PA, PB, PRO, PROS, YA, YB, expect, only, team_only  # noqa: F401


def _family_on_a(status):
    """Pathway A's young person and parent get in; the other family 404; professionals and admin 403."""
    table = only({YA, PA}, status)
    table[YB] = table[PB] = 404
    return table


def _author_only(status):
    """Ola's own statement: only Ola; his mother and the other family 404 (as if it did not exist)."""
    table = only({YA}, status)
    table[PA] = table[YB] = table[PB] = 404
    return table


def _olas_statement(c):
    """A statement by Ola on pathway A, shared with the team and his parents."""
    from accounts.models import User
    from core.extensions import db
    from pathways.models import Pathway
    from youth import services
    from youth.models import Prompt, Sharing

    with c.app.app_context():
        statement, _ = services.create_or_update_statement(
            db.session.get(User, c.ola), db.session.get(Pathway, c.pathway_a),
            services.StatementData(Prompt.GOES_WELL, "Eg likar fotball", Sharing.FAMILY))
        return {"statement_id": statement.id}


def _statement_data(c):
    return {"prompt": "hard", "text": "Eg søv dårleg", "sharing": "team", "revision": "1"}


# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {
    ("youth.new_statement", "GET"): (lambda c: {"pathway_id": c.pathway_a}, None, _family_on_a(200)),
    ("youth.new_statement", "POST"): (lambda c: {"pathway_id": c.pathway_a}, _statement_data, _family_on_a(303)),
    ("youth.edit_statement", "GET"): (_olas_statement, None, _author_only(200)),
    ("youth.edit_statement", "POST"): (_olas_statement, _statement_data, _author_only(303)),
    ("youth.remove_statement", "POST"): (_olas_statement, None, _author_only(303)),
    ("youth.readers", "GET"): (None, None, only(FAMILY, 200)),
}
