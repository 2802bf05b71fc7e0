"""The professional's side: worklist, pathways, teams and invitations."""
from flask import Blueprint

bp = Blueprint("pathways", __name__, url_prefix="/pathways")
