# gongkai — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages the test suite drives: a real browser, a Chinese font, PDF rendering.
SYSTEM_PKGS := chromium fonts-noto-cjk poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui nginx

.PHONY: run test test-browser lint install system-deps migrate demo serve clean lock lock-check

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/gongkai migrate --noinput

demo: migrate
	$(BIN)/gongkai demo

# Production minus TLS: gunicorn, DEBUG off, hashed and compressed static files.
run: demo
	GONGKAI_ENV=local-production $(BIN)/gongkai serve --port 8000

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui libreoffice-calc-nogui"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need these Debian packages:$$missing"; \
	    echo "  sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

test: install system-deps
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

# Only the real-browser journeys (make test runs them too); screenshots in artifacts/.
test-browser: install system-deps
	$(BIN)/pytest tests/browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

# requirements.txt is the lock of pyproject.toml (with the test extra), made by uv; an
# existing pin is kept while it still satisfies pyproject.toml.
LOCK = $(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
	--quiet --custom-compile-command "make lock"

lock: install
	$(LOCK) -o requirements.txt

# CI: the checked-in lock is what `make lock` would write.
lock-check: install
	tmp=$$(mktemp -d) && cp requirements.txt $$tmp/requirements.txt && \
	$(LOCK) -o $$tmp/requirements.txt && diff -u requirements.txt $$tmp/requirements.txt && \
	rm -rf $$tmp

clean:
	rm -rf $(VENV) var/gongkai.sqlite3* .pytest_cache
