"""Feedback views: answer (see feedback/services.py)."""
from feedback import bp  # noqa: F401
