"""Accounts: login, logout, invitations, language choice, and the admin of services and professionals."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)
