"""Feedback views: team (see feedback/services.py)."""
from feedback import bp  # noqa: F401
