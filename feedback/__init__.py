"""Feedback after meetings and questionnaires (built in a later issue); no routes yet."""
from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/feedback")
