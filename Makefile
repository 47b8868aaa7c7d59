# verbinding — the two commands that matter are `make demo` and `make test` (see README).
SHELL := /bin/bash
PY := .venv/bin/python
export PYTHONDONTWRITEBYTECODE := 1
DEMO_ENV := VERBINDING_DEBUG=1 VERBINDING_REQUIRE_STAFF_2FA=0

.PHONY: demo setup test test-fast lint messages migrations-check check-deploy bench clean

demo: ## Set up, seed demo data and serve http://127.0.0.1:8000 (SQLite)
	bash scripts/setup.sh
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v0
	$(DEMO_ENV) $(PY) manage.py seed_demo --seed 1 --if-empty
	@echo
	@echo "  verbinding demo on http://127.0.0.1:8000/   (stop with Ctrl+C)"
	@echo "  Two-step login for staff is switched off in this demo only; production requires it."
	@echo
	@# The background worker (team-formation runs, recomputes) runs beside the web server and
	@# stops with it.
	$(DEMO_ENV) $(PY) manage.py db_worker --no-reload -v0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

setup: ## Install everything the tests need
	bash scripts/setup.sh --dev

test: setup lint migrations-check check-deploy ## Every check and every test, SQLite and PostgreSQL
	$(PY) -m pytest -q
	bash scripts/pg-throwaway.sh $(PY) -m pytest -q -m "not e2e"

test-fast: ## SQLite only, no browser
	$(PY) -m pytest -q -m "not e2e"

lint:
	.venv/bin/ruff check .
	PYTHONPATH=src .venv/bin/lint-imports --no-cache

migrations-check:
	$(PY) manage.py makemigrations --check --dry-run -v1

check-deploy: ## Production settings pass Django's deployment checklist
	VERBINDING_SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" VERBINDING_DEBUG=0 VERBINDING_HTTPS=1 \
	  VERBINDING_ALLOWED_HOSTS=verbinding.example.org VERBINDING_TESTING=0 \
	  $(PY) manage.py check --deploy --fail-level WARNING

messages: ## Extract translatable strings into each app's locale/ (then fill nl and ar)
	for app in core accounts people activities attendance door welcome organising volunteers matching exchange surveys insights reports config; do \
	  mkdir -p src/verbinding/$$app/locale && \
	  (cd src/verbinding/$$app && ../../../$(PY) ../../../manage.py makemessages -l nl -l ar \
	    --ignore='migrations/*' --no-obsolete -v0) || exit 1; done

bench: ## Page budgets (see benchmarks/)
	$(PY) benchmarks/pages.py

clean:
	rm -rf .venv var staticfiles
