# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz lint api worker migrate clean catalogs bench soak

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $(STAMP)

catalogs: $(STAMP)  ## compile the en/fr repair catalogs (locale/*/LC_MESSAGES/messages.mo, git-ignored)
	$(BIN)/pybabel -q compile -d locale

run: $(STAMP) catalogs  ## the whole stack on embedded defaults: Temporal dev server, worker, API (FLEET=n adds simulated units, RTC=m makes m of them RTC units, DEMO=1 the demo data)
	$(BIN)/smartsolar run $(if $(FLEET),--fleet $(FLEET)) $(if $(RTC),--rtc $(RTC)) $(if $(DEMO),--demo)

# Test processes (pytest-xdist): the suite mostly waits on servers, so two overlap well on two cores;
# whole files go to one process (module fixtures are built once). TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= 2

test: $(STAMP) catalogs  ## the suite, on PostgreSQL at 127.0.0.1:5432 and the real Temporal test servers (the API fuzzer included, 3 examples per operation)
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

FUZZ_EXAMPLES ?= 50
fuzz: $(STAMP) catalogs  ## the API fuzzer's long run alone: FUZZ_EXAMPLES (default 50) examples per operation plus the coverage phase, e.g. `make fuzz FUZZ_EXAMPLES=500`
	SMARTSOLAR_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) SMARTSOLAR_FUZZ_COVERAGE=1 $(BIN)/pytest -q tests/fuzz $(PYTEST_ARGS)

lint: $(STAMP)  ## ruff: lint rules and formatting (what CI checks)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP) catalogs  ## every bench in bench/ against its raw baseline: one table, bench/results.json (long; not in `make test`)
	$(BIN)/python -m bench.all $(BENCH_ARGS)

soak: $(STAMP) catalogs  ## the fleet soak: a steady connection rate for 10 min, then checks every change settled once (SOAK_ARGS='--minutes 2' for less, '--cluster' for 2 APIs + 2 workers, one SIGKILLed)
	$(BIN)/python -m bench.fleet_soak $(SOAK_ARGS)

api: $(STAMP) catalogs
	$(BIN)/smartsolar api

worker: $(STAMP)
	$(BIN)/smartsolar worker

migrate: $(STAMP)
	$(BIN)/smartsolar migrate

clean:
	rm -rf $(VENV) var .pytest_cache
