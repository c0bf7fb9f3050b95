# gongkai — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages the test suite drives: a real browser, a Chinese font, PDF rendering.
SYSTEM_PKGS := chromium fonts-noto-cjk poppler-utils nginx

.PHONY: run test test-browser lint install system-deps migrate demo serve clean

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

run: demo
	$(BIN)/gongkai serve --port 8000

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
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

clean:
	rm -rf $(VENV) var/gongkai.sqlite3* .pytest_cache
