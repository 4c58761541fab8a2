# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast test-postgres test-search-whoosh-scoring bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,postgres]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/tracker init
	$(BIN)/tracker run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest

# The same suite on PostgreSQL; needs TRACKER_TEST_POSTGRES_URL (see tests/conftest.py and .ci/run).
test-postgres: install
	@test -n "$$TRACKER_TEST_POSTGRES_URL" || { echo "Set TRACKER_TEST_POSTGRES_URL to a PostgreSQL server URL."; exit 2; }
	$(BIN)/python -m pytest

# The search tests again with the fast scoring path off (Whoosh's own scoring, the fallback when
# Whoosh's internals change; see tracker/search/engine.py).
test-search-whoosh-scoring: install
	TRACKER_SEARCH_FAST_SCORING=0 $(BIN)/python -m pytest tests/search

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

bench: install
	$(BIN)/python -m benchmarks.search_bench

clean:
	rm -rf $(VENV) instance .pytest_cache
