"""The person's own copy: a page that says what is in it, and the two downloads (a readable HTML
file and JSON), for the young person and for a parent. Every download is recorded (youth/own_copy.py)."""
import json

from flask import Response, render_template
from flask_login import current_user

from access.policy import roles
from accounts.models import Role
from core.models import OSLO
from core.render import render
from youth import bp, own_copy, services


@bp.get("/my/copy")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def my_copy():
    """What the copy of everything Stemme holds about you holds, with the two downloads."""
    return render("youth/own_copy.html", pathways=services.my_pathways(current_user))


def _download(body: str, mimetype: str, extension: str, made_at) -> Response:
    """An attachment that no cache keeps (a shared phone), recorded as downloaded."""
    response = Response(body, mimetype=mimetype)
    # No name in the file name: it lands in a Downloads folder that others may see.
    day = made_at.astimezone(OSLO).date().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="stemme-kopi-{day}.{extension}"'
    response.headers["Cache-Control"] = "no-store"
    own_copy.record_download(current_user)
    return response


@bp.get("/my/copy.html")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def my_copy_html():
    """Everything Stemme holds about you, as one readable file to keep (no scripts, no links out)."""
    copy = own_copy.own_copy(current_user)
    html = render_template("youth/own_copy_file.html", copy=copy, reads=own_copy.reads_by_item(copy))
    return _download(html, "text/html", "html", copy["made_at"])


@bp.get("/my/copy.json")
@roles(Role.YOUNG_PERSON, Role.PARENT)
def my_copy_json():
    """Everything Stemme holds about you, as JSON."""
    copy = own_copy.own_copy(current_user)
    body = json.dumps(copy, default=own_copy.json_value, ensure_ascii=False, indent=2)
    return _download(body, "application/json", "json", copy["made_at"])
