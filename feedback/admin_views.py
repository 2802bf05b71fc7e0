"""Feedback views: admin (see feedback/services.py)."""
from feedback import bp  # noqa: F401
