"""Throttling of guesses (passwords, invitation codes, second-factor codes) with Flask-Limiter's
counters: each attempt is counted atomically before it is checked, so concurrent guesses cannot
slip past the limit."""
from limits import parse

from core.extensions import limiter


def allow(limit: str, *keys: str) -> bool:
    """Count one attempt against `limit` (e.g. "5 per minute") for `keys`; False once it is used up."""
    return limiter.limiter.hit(parse(limit), "stemme", *keys)
