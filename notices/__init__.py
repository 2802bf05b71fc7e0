"""Notices: reminders by e-mail and SMS that call people back to Stemme, never saying what anyone wrote.

models: contacts, choices, sent notices, password-reset links; planning: what falls due for whom;
sending: e-mail (SMTP or the local outbox) and SMS (gateway); tasks: the huey queue that runs both."""
from flask import Blueprint

bp = Blueprint("notices", __name__)
