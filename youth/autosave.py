"""Saving while typing, written once for statements and preparations (README: "Saving while typing").

A form posts the `revision` its entry had when the page was loaded (0: none yet). `save` stores it or
says why not; `answer` turns that into the reply: for htmx the status line, or the choice between two
devices' versions in place of the form; without JavaScript a redirect, or the page again with the
errors (400) or the choice (409). A reply that stored nothing says `X-Autosave: not-saved`."""
import enum
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

from flask import flash, request
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from core.extensions import db, htmx
from core.models import utcnow
from core.render import redirect_to, render
from youth.models import VisibilityChange, VisibilityKind
from youth.sharing import remember


class Outcome(str, enum.Enum):
    SAVED = "saved"
    UNCHANGED = "unchanged"  # the same as stored: nothing to record
    CONFLICT = "conflict"  # changed on another device since the form was loaded, to something else
    CLOSED = "closed"  # takes no more changes (the meeting has started)


class Result(NamedTuple):
    entry: Any  # as stored now; for a conflict the other device's version
    outcome: Outcome


# --- the service half ---------------------------------------------------------------------------

def save(find: Callable, make: Callable, values: Callable[[Any], dict], base_revision: int, by, *,
         item_kind, record_version: Callable, words: tuple[str, ...] = ()) -> Result:
    """Store `values(stored)` (column -> value) in the entry `find()` loads, or a new one from `make()`.

    Values equal to the stored ones record nothing (UNCHANGED). A form loaded at an older revision
    whose `words` (default: all values) differ from the stored ones was overtaken on another device:
    nothing is stored (CONFLICT). Else the entry takes the values and its next revision, with a version
    (`record_version`) and, if who may read it changed, a VisibilityChange. Of two first saves of one
    form at once (a double tap) the unique constraint refuses the second insert: it compares again."""
    attempt = partial(_save, find, make, values, base_revision, by, item_kind, record_version, words)
    try:
        return attempt()
    except IntegrityError:
        db.session.rollback()
        return attempt()


def _save(find, make, values, base_revision, by, item_kind, record_version, words) -> Result:
    entry = find()
    new = values(entry)
    if entry is not None:
        old = {name: getattr(entry, name) for name in new}
        if new == old:
            return Result(entry, Outcome.UNCHANGED)
        if base_revision < entry.revision and any(new[name] != old[name] for name in words or new):
            return Result(entry, Outcome.CONFLICT)
    entry = entry or make()
    now = utcnow()
    sharing_changed = entry.sharing != new["sharing"]
    for name, value in new.items():
        setattr(entry, name, value)
    entry.revision = (entry.revision or 0) + 1
    entry.created_at = entry.created_at or now
    entry.updated_at = now
    db.session.add(entry)
    db.session.flush()  # a new entry gets its id here, and a double tap's second insert is refused
    record_version(entry, by)
    remember(by, entry.sharing)  # their next entry starts the way they chose now
    if sharing_changed:
        db.session.add(VisibilityChange(item_kind=item_kind, item_id=entry.id, kind=VisibilityKind.SHARING, at=now,
                                        sharing=entry.sharing, by_id=by.id))
    db.session.commit()
    return Result(entry, Outcome.SAVED)


# --- the view half ------------------------------------------------------------------------------

def status(text: str, revision: int | None = None):
    """The htmx reply: the status line, and the new revision out of band (none: nothing was stored)."""
    response = render("youth/_autosave_status.html", block="status", status_text=text, revision=revision)
    if revision is None:
        response.headers["X-Autosave"] = "not-saved"
    return response


def refused(page: Callable, reason: str):
    """Nothing can be stored any more (the meeting has started): say why, in the status line or on the page."""
    return status(reason) if htmx else page(status=409, alert=reason)


def answer(form, valid: bool, save: Callable[[], Result], page: Callable, *, home: str,
           saved_message: Callable[[Any], str] | None, closed: str = ""):
    """The reply to a form that saves itself. `page(status=, conflict=, alert=, block=)` renders the page
    (block "editor": only #autosave-editor); `save()` runs when the form is `valid`; without JavaScript
    `saved_message(entry)` is flashed before the redirect to `home`; `closed` says why for CLOSED."""
    if not valid:
        if request.method != "POST":
            return page()
        if htmx:
            reason = " ".join(str(error) for field_errors in form.errors.values() for error in field_errors)
            return status(_("Not saved: %(reason)s", reason=reason))
        return page(status=400)
    entry, outcome = save()
    if outcome == Outcome.CLOSED:
        return refused(page, closed)
    if outcome == Outcome.CONFLICT:
        if not htmx:
            return page(status=409, conflict=entry)
        # htmx swaps only 2xx answers: the choice between both versions takes the form's place.
        response = page(conflict=entry, block="editor")
        response.headers.update(
            {"HX-Retarget": "#autosave-editor", "HX-Reswap": "outerHTML", "X-Autosave": "not-saved"})
        return response
    if htmx:
        return status(_("Saved %(time)s", time=format_datetime(entry.updated_at, "HH:mm")), entry.revision)
    if saved_message is not None:  # a step of a longer page goes on to the next without a message
        flash(saved_message(entry), "success")
    return redirect_to(home)
