# Stemme: `make run` serves the demo, `make test` runs every test. Each sets itself up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
DS := node_modules/@digdir/designsystemet-css/dist/src
# Only the design-system components the templates use (keeps the first load under 50 KB).
DS_COMPONENTS := button field input label heading paragraph alert link validation-message \
	skip-link card table fieldset error-summary list tag
HTMX := node_modules/htmx.org/dist/htmx.min.js
THEME := node_modules/@digdir/designsystemet-theme/brand/digdir.css
# Where the texts users read live (tests are left out: they only look texts up).
SOURCES := app.py core access accounts pathways youth feedback notices demo templates

# What WeasyPrint (the before-the-meeting PDF for the health record) loads from the system: Pango,
# HarfBuzz's subsetter and a font. Debian's names; `make` installs the ones missing.
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: run worker test setup system-packages vendor compile translations migrate demo bench bench-feedback clean

# The app and the notices' worker together (huey, its queue in instance/huey.sqlite3: no extra server).
# A background job in a script ignores Ctrl-C, so the trap stops the worker when the app stops.
run: setup migrate demo
	$(BIN)/huey_consumer notices.tasks.huey --workers 2 --worker-type thread & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# The worker alone, for production: run it (one or more) beside the app, with the app's environment
# and REDIS_URL set, under the same supervisor as the app.
worker: $(VENV)/.installed
	$(BIN)/huey_consumer notices.tasks.huey --workers 4 --worker-type thread

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

setup: system-packages $(VENV)/.installed vendor compile

# Installs only what is missing (through `sudo -n` when not root); says what to do when it cannot.
system-packages:
	@command -v dpkg-query >/dev/null || { echo "Not a Debian system: install Pango, HarfBuzz and the DejaVu fonts for the PDFs (WeasyPrint)."; exit 0; }; \
	missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	[ -z "$$missing" ] && exit 0; \
	sudo=; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
	echo "Installing the Debian packages WeasyPrint needs for the PDFs:" $$missing; \
	{ $$sudo apt-get install -y -qq $$missing >/dev/null || { $$sudo apt-get update -qq && $$sudo apt-get install -y -qq $$missing >/dev/null; }; } \
	|| { echo "Could not install" $$missing "with apt-get. Install them as root (apt-get install" $$missing") and run make again."; exit 1; }

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

vendor: static/vendor/htmx.min.js static/vendor/designsystemet.css

static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp $(HTMX) $@

static/vendor/designsystemet.css: node_modules/.package-lock.json Makefile
	mkdir -p static/vendor
	{ echo '@layer ds.theme, ds.base, ds.components;'; cat $(THEME); \
	  echo '@layer ds.base{'; cat $(DS)/base.css; echo '}'; \
	  echo '@layer ds.components{'; for c in $(DS_COMPONENTS); do cat $(DS)/$$c.css; echo; done; echo '}'; } > $@

compile: $(VENV)/.installed
	$(BIN)/pybabel compile -d locales

translations: $(VENV)/.installed
	$(BIN)/pybabel extract --sort-by-file --no-wrap -F babel.cfg -k _l -o locales/messages.pot $(SOURCES)
	$(BIN)/pybabel update --no-wrap -i locales/messages.pot -d locales
	$(BIN)/pybabel compile --statistics -d locales

migrate: setup
	mkdir -p instance
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo-data

bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-feedback: setup
	$(BIN)/python bench/feedback_report.py --services 1

clean:
	rm -rf $(VENV) node_modules static/vendor instance .pytest_cache bench/out
