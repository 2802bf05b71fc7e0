"""Pages for everyone: the accessibility statement."""
from flask import Blueprint

from core.render import render

bp = Blueprint("pages", __name__)


@bp.get("/accessibility")
def accessibility():
    """The accessibility statement (tilgjengelegheitserklæring), linked from every page."""
    return render("core/accessibility.html")
