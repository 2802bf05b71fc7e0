"""Feedback views: report (see feedback/services.py)."""
from feedback import bp  # noqa: F401
