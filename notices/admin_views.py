"""The admin's outbox: the messages kept instead of sent where no SMTP server or SMS gateway is set up."""
from flask import request
from sqlalchemy import select

from access.policy import roles
from accounts.models import Role
from core.extensions import db
from core.paging import page_number
from core.render import render
from notices import bp
from notices.models import OutboxMessage

PER_PAGE = 50


@bp.get("/admin/outbox")
@roles(Role.ADMIN)
def outbox():
    """The messages in the local outbox, newest first, 50 a page (?page=N; below 1 or no number is 1)."""
    page = page_number(request.args)
    found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
                               .limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)).all()
    return render("notices/outbox.html", messages=found[:PER_PAGE], page=page, more=len(found) > PER_PAGE)
