# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
# The site's address under `make run`: absolute links (citations, feeds, calendars,
# e-mails) follow the port. A SITE_URL left in the shell (production's, or another
# port's) does not win over PORT; `make run SITE_URL=...` still sets it explicitly.
# (Its own name, so that `make serve` keeps the environment's SITE_URL untouched.)
RUN_SITE_URL = http://127.0.0.1:$(PORT)
ifeq ($(origin SITE_URL),command line)
RUN_SITE_URL = $(SITE_URL)
endif

.PHONY: install run test lint lock serve bench bench-quick resilience clean browser messages

## Install exactly the locked set (runtime + dev, pip itself included), every file checked
## against its hash: a fresh machine gets what CI tested. The project runs from its
## checkout (manage.py), so it is not installed itself.
$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

## Re-resolve requirements.lock from pyproject.toml's pins (pip-compile, with hashes) after
## changing a pin; commit both. Packages pyproject.toml does not pin keep their locked
## version unless LOCK_ARGS=--upgrade (or --upgrade-package NAME) says otherwise.
lock: install
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --extra dev \
	  --generate-hashes --allow-unsafe --strip-extras --no-emit-options \
	  --output-file requirements.lock $(LOCK_ARGS) pyproject.toml

## A local settings file for development: DEBUG on and a random secret key.
.env:
	@printf 'DEBUG=true\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote .env for local development (DEBUG on); edit it or see .env.example."

## Set up everything and serve the site with the JLI content at http://127.0.0.1:$(PORT)/
run: install .env
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	@# With SITE_URL: the citations it stores name this address (publications/citations.py).
	DEBUG=true SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py load_jli
	DEBUG=true SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py local_admin --port $(PORT)
	@# One background worker beside the server (tasks: docs/operations.md); stopped with it.
	DEBUG=true SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=true SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Run the whole suite (SQLite unless DATABASE_URL is set).
test: install browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The browser tests drive Debian's Chromium; install it when we may (root with apt).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "NOTE: /usr/bin/chromium is missing: browser tests will be skipped (apt-get install chromium)."; \
	  fi; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r . --severity-level medium
	@# The apps' layers (docs/design.md): each imports only the apps below it.
	$(BIN)/lint-imports --no-cache

## Production-like serving: gunicorn, static files through whitenoise, DEBUG off.
## Needs SECRET_KEY and SITE_URL (in .env or the environment); over plain http on your own
## machine also set SECURE_SSL_REDIRECT=false (then SITE_URL=http://127.0.0.1:8000 will do).
serve: install
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput -v0
	DEBUG=false $(BIN)/python manage.py migrate --noinput
	@# One background worker beside gunicorn (tasks: docs/operations.md); stopped with it.
	DEBUG=false $(BIN)/python manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=false $(BIN)/gunicorn -c gunicorn.conf.py jli.wsgi

## Benchmark: two PostgreSQL scales served by gunicorn, loaded with wrk (bench/README.md).
## Options of bench/run.py in BENCH_ARGS: `make bench BENCH_ARGS=--reuse` keeps the
## databases a previous run built completely (the large one takes 20-40 minutes).
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## A fast smoke run of the same benchmark (small scales, short load runs).
bench-quick: install
	$(BIN)/python bench/run.py --quick $(BENCH_ARGS)

## Refresh the French catalogue from the code and compile it (needs gettext: msgfmt,
## xgettext). Translate the new or changed entries in locale/fr/LC_MESSAGES/django.po,
## run it again, and commit both django.po and django.mo. (DEBUG on: no SECRET_KEY needed
## on a fresh checkout; nothing is served.)
MESSAGE_IGNORES := --ignore=.venv --ignore=bench --ignore=tests --ignore=staticfiles
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l fr $(MESSAGE_IGNORES) --no-obsolete
	DEBUG=true $(BIN)/python manage.py compilemessages $(MESSAGE_IGNORES)

## Resilience: 50 clients for 60 s with no error; PostgreSQL restarted under load
## (stops the machine's PostgreSQL for a few seconds). bench/README.md.
resilience: install
	$(BIN)/python -m pytest -m resilience -p no:warnings -rA tests/resilience

clean:
	rm -rf $(VENV) staticfiles
