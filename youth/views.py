"""Home pages for young people and parents."""
from flask_login import current_user

from accounts.models import Role
from core.access import roles
from core.render import render
from youth import bp, services


@bp.get("/me")
@roles(Role.YOUNG_PERSON)
def home():
    """The young person's home: their pathway and who is on their team."""
    return render("youth/home.html", pathways=services.my_pathways(current_user))


@bp.get("/family")
@roles(Role.PARENT)
def parent_home():
    """The parent's home: their child's pathway and who is on the team."""
    return render("youth/parent_home.html", pathways=services.my_pathways(current_user))
