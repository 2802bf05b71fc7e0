"""The young person's and the parent's side: their own home pages and pathways."""
from flask import Blueprint

bp = Blueprint("youth", __name__)
