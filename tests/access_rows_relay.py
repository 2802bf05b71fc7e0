"""Access table rows for the relay log: goals, measures, evaluations, comments and minutes."""
from tests.access_rules import ADMIN, ANON, FAMILY, LOGIN, MEMBER, OTHER, PA, PB, PRO, PROS, YA, YB, expect, only, team_only  # noqa: F401

# (endpoint, method) -> (url kwargs builder, form data builder, {role: expected status})
ROWS: dict = {}
