"""One helper decides between a full page and a fragment of the same template."""
from flask import make_response, render_template
from jinja2_fragments.flask import render_block

from core.extensions import htmx


def render(template: str, block: str | None = None, status: int = 200, **context):
    """Render the named block for an htmx request (not a history restore), else the whole page.

    Only a view that htmx asks for a part of names a `block` (the team search's results, an autosave's
    status); any other page is the whole page, an htmx request included (nothing on it asked for a
    part, and a block rendered alone lacks the imports at the top of its template)."""
    if block is not None and htmx and not htmx.history_restore_request:
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def redirect_to(location: str):
    """A 303 redirect after a write; htmx follows `HX-Redirect` with a full page load instead."""
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = location
    else:
        response = make_response("", 303)
        response.headers["Location"] = location
    response.vary.add("HX-Request")
    return response
