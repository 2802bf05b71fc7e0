"""One helper decides between a full page and a fragment of the same template."""
from flask import current_app, make_response, render_template
from jinja2 import nodes

from core.extensions import htmx


def render(template: str, block: str = "content", status: int = 200, **context):
    """Render the named block for an htmx request (not a history restore), else the whole page."""
    if htmx and not htmx.history_restore_request:
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def render_block(template_name: str, block: str, **context) -> str:
    """One block of a page, with what the whole page would give it: the macros the page and its
    layouts import or define at the top (`{% from "_partials.html" import field %}`) and the blocks a
    layout defines (`content` in admin/_page.html). jinja2-fragments' render_block gives neither, and
    a page whose block uses them fails only when htmx asks for it."""
    app = current_app._get_current_object()
    app.update_template_context(context)
    env = app.jinja_env
    chain = _layout_chain(env, template_name)
    ctx = env.get_template(template_name).new_context(context)
    for name in chain:  # the page's own blocks first, then each layout's
        for block_name, function in env.get_template(name).blocks.items():
            if function not in ctx.blocks.setdefault(block_name, []):
                ctx.blocks[block_name].append(function)
    for name in reversed(chain):  # the layouts' macros, then the page's (which win, as in a full render)
        for _output in _top_of(env, name).root_render_func(ctx):
            pass
    return env.concat(ctx.blocks[block][0](ctx))


def _parsed(env, template_name: str) -> nodes.Template:
    source, _filename, _uptodate = env.loader.get_source(env, template_name)
    return env.parse(source, template_name)


def _layout_chain(env, template_name: str) -> list[str]:
    """The page and the layouts it extends, page first."""
    made = env.__dict__.setdefault("_stemme_layout_chains", {})
    if template_name not in made or env.auto_reload:
        chain = [template_name]
        while (extends := _parsed(env, chain[-1]).find(nodes.Extends)) is not None:
            if not isinstance(extends.template, nodes.Const):
                break
            chain.append(extends.template.value)
        made[template_name] = chain
    return made[template_name]


def _top_of(env, template_name: str):
    """A template made of only the imports and macros at the top level of `template_name`: running it
    puts them in a context as the whole page would."""
    made = env.__dict__.setdefault("_stemme_template_tops", {})
    if template_name not in made or env.auto_reload:
        body = [node for node in _parsed(env, template_name).body
                if isinstance(node, (nodes.Import, nodes.FromImport, nodes.Macro))]
        made[template_name] = env.from_string(nodes.Template(body, lineno=1))
    return made[template_name]


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
