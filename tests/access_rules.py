"""The vocabulary of the access table: roles and the expected status per role."""
from tests.conftest import ROLES

ANON, YA, YB, PA, PB, PRO, MEMBER, OTHER, ADMIN = ROLES
LOGIN = "login"  # redirected to the login page
PROS = {PRO, MEMBER, OTHER}
FAMILY = {YA, YB, PA, PB}


def expect(default, **by_role):
    """Expected status per role; `default` for roles not named."""
    return {role: by_role.get(role, default) for role in ROLES}


def only(allowed_roles, status, others=403, anonymous=LOGIN):
    return {role: (status if role in allowed_roles else anonymous if role == ANON else others) for role in ROLES}


def team_only(status, member=None):
    """A pathway route: the team gets in, a professional not on it 404, everybody else 403."""
    table = only({PRO, MEMBER}, status)
    table[OTHER] = 404
    if member is not None:
        table[MEMBER] = member
    return table


def logged_in_redirect(anonymous_status):
    return expect(302, anonymous=anonymous_status)
