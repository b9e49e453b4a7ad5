# The README's two commands are `make run` and `make test`; everything else supports them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
UV_DIR := $(HOME)/.cache/portal-ci/uv-$(UV_VERSION)
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

# Django 6 needs Python >= 3.12; Debian 12's python3 is 3.11, so look in pyenv first (3.12 preferred,
# as ENV-RECIPE.md verified the stack on it).
find_python = $(firstword $(foreach c,$(shell d=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); ls -d $$d/versions/3.12.*/bin/python3 2>/dev/null | sort -rV; ls -d $$d/versions/3.1[3-9].*/bin/python3 2>/dev/null | sort -rV) $(shell command -v python3.13 python3.12 python3 2>/dev/null),$(shell $(c) -c 'import sys; print("$(c)" if sys.version_info >= (3, 12) else "")' 2>/dev/null)))

.PHONY: install run test lint format messages clean-db

$(VENV)/.installed: pyproject.toml requirements.lock
	@PYBIN="$(find_python)"; \
	if [ -z "$$PYBIN" ]; then echo "No Python >= 3.12 found (Django 6 requires it)."; exit 1; fi; \
	echo "Using $$PYBIN"; \
	if [ ! -x "$(UV_DIR)/bin/uv" ]; then \
	  "$$PYBIN" -m pip install -q --disable-pip-version-check --root-user-action=ignore --target "$(UV_DIR)" "uv==$(UV_VERSION)" || true; \
	fi; \
	if [ -x "$(UV_DIR)/bin/uv" ] && "$(UV_DIR)/bin/uv" venv -q --clear --python "$$PYBIN" $(VENV) \
	   && "$(UV_DIR)/bin/uv" pip install -q --python $(PY) -r requirements.lock; then \
	  echo "Dependencies installed with uv."; \
	else \
	  echo "uv unavailable: installing with pip."; \
	  rm -rf $(VENV); "$$PYBIN" -m venv $(VENV); \
	  $(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.lock; \
	fi
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv
	$(PY) manage.py compilemessages -l en -l vi --ignore=.venv

clean-db:
	rm -f db.sqlite3
