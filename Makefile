# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test api worker migrate clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)  ## the whole stack on embedded defaults: Temporal dev server, worker, API
	$(BIN)/smartsolar run

test: $(STAMP)  ## the suite, on PostgreSQL at 127.0.0.1:5432 and the real Temporal test servers
	$(BIN)/pytest -q $(PYTEST_ARGS)

api: $(STAMP)
	$(BIN)/smartsolar api

worker: $(STAMP)
	$(BIN)/smartsolar worker

migrate: $(STAMP)
	$(BIN)/smartsolar migrate

clean:
	rm -rf $(VENV) var .pytest_cache
