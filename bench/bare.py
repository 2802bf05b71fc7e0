"""The baseline: a bare Flask app, one route, a page about the size of /me; no database, no extensions.

Served by bench/run.py with the same gunicorn, worker count and worker class as Stemme, so the
ratio of the two throughputs is the cost of Stemme's own work per request.

The page is a template string, compiled once when the app is made and rendered through Flask's
`render_template` (context processors, signals: the same path Stemme's pages take). Calling
`render_template_string` per request would compile the template on every request: 3.9 ms
against 0.3 ms here (in-process), a baseline thirteen times slower than a bare app really is.
"""
from flask import Flask, render_template

PAGE = """<!doctype html>
<html lang="nn" data-color-scheme="light" data-size="md">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ title }} – Stemme</title>
  <link rel="stylesheet" href="/static/vendor/designsystemet.css">
  <link rel="stylesheet" href="/static/css/stemme.css">
  <script src="/static/vendor/htmx.min.js" defer></script>
</head>
<body>
  <a class="ds-skip-link" href="#main">Hopp til hovudinnhaldet</a>
  <header class="site-header">
    <a class="brand" href="/">Stemme</a>
    <div class="header-tools">
      <form class="language-choice" method="post" action="/language">
        <input id="csrf_token" name="csrf_token" type="hidden" value="{{ token }}">
        <input type="hidden" name="next" value="{{ path }}">
        <span class="ds-sr-only">Språk:</span>
        <button class="ds-button" data-variant="primary" data-size="sm" type="submit" name="lang" value="nn" lang="nn" aria-pressed="true">Nynorsk</button>
        <button class="ds-button" data-variant="tertiary" data-size="sm" type="submit" name="lang" value="nb" lang="nb" aria-pressed="false">Bokmål</button>
      </form>
      <form class="logout" method="post" action="/logout">
        <input id="csrf_token" name="csrf_token" type="hidden" value="{{ token }}">
        <span class="who">{{ name }}</span>
        <button class="ds-button" data-variant="secondary" data-size="sm" type="submit">Logg ut</button>
      </form>
    </div>
  </header>
  <main id="main" tabindex="-1">
    <h1 class="ds-heading" data-size="lg">Hei, {{ name.split(' ')[0] }}!</h1>
    <p class="ds-paragraph lead">Dette er sida di i Stemme. Her skal du seie kva som er viktig for deg og førebu deg til møta dine.</p>
    {% for card in cards %}
    <section class="ds-card" aria-labelledby="pathway-{{ loop.index }}">
      <h2 class="ds-heading" data-size="sm" id="pathway-{{ loop.index }}">{{ card.title }}</h2>
      <p class="ds-paragraph">Koordinatoren din er {{ card.coordinator }}.</p>
      <h3 class="ds-heading" data-size="2xs">Desse kan lese det du skriv her:</h3>
      <ul class="ds-list">
        {% for person, service in card.members %}<li><span class="person">{{ person }}</span> <span class="meta">({{ service }})</span></li>{% endfor %}
      </ul>
    </section>
    {% endfor %}
  </main>
  <footer class="site-footer">
    <a class="ds-link" href="/accessibility">Tilgjengelegheitserklæring</a>
  </footer>
</body>
</html>
"""

CARDS = [{
    "title": "Angst og søvn",
    "coordinator": "Kari Nordmann (BUP Molde)",
    "members": [("Kari Nordmann", "BUP Molde"), ("Per Hansen", "Helsestasjon for ungdom Averøy")],
}]


def create_app() -> Flask:
    app = Flask(__name__)
    template = app.jinja_env.from_string(PAGE)  # what render_template_string does, once instead of per call

    @app.get("/")
    def page():
        return render_template(template, title="Mi side", name="Ola Nordvik", cards=CARDS,
                               token="I" * 91, path="/")

    return app


app = create_app()
