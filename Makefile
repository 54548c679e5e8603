# Conflict Ledger: `make run`, `make test`, `make ui`. Needs only Python 3.11.
PYTHON        ?= python3
INBOX_DIR     ?= seeds
WAREHOUSE_DIR ?= warehouse
UI_PORT       ?= 3000
UV_VERSION    := 0.13.9

VENV   := .venv
UV     := .uv/bin/uv
SYNCED := $(VENV)/.synced

# Dagster's state (runs, partitions, check results) lives in $(WAREHOUSE_DIR)/dagster_home unless
# DAGSTER_HOME is set: `make run` and `make ui` of one warehouse see the same runs.
export INBOX_DIR WAREHOUSE_DIR
export UV_PROJECT_ENVIRONMENT := $(VENV)
export GX_ANALYTICS_ENABLED := False
export DAGSTER_DISABLE_TELEMETRY := 1

.PHONY: install browser run reextract test lint check-defs format ui eval sql shell review explain clean-warehouse

install: $(SYNCED)

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The lock file pins every package; --locked fails when pyproject.toml and uv.lock disagree.
# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set (as on our machines), every run
# otherwise compiled Dagster's and GX's 3,600 imported modules again, 10 of a 24 s run over 20 articles.
$(SYNCED): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	touch $@

# Exit codes: 0 published (quarantined documents included) or nothing to do, 1 a batch was blocked,
# 2 a usage or configuration error.
run: install
	$(VENV)/bin/python -m pipelines run

# Re-extract every published batch from a stage on (documents, entity_mentions or figures), without
# re-ingesting. `make run` already does this by itself for batches whose code or gazetteer changed.
reextract: install
	$(VENV)/bin/python -m pipelines run --reextract-from $(or $(FROM),documents)

# The UI test drives a real headless Chromium: Debian's chromium and chromium-driver (needs root).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

test: install browser
	$(VENV)/bin/python -m pytest

# Lint and format checks (ruff, configured in pyproject.toml); .ci/run runs them before the tests.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Loads the code location as the webserver and daemon do (workspace.yaml) and validates it. Its
# successor `dg check defs` comes with dagster-dg-cli and 22 more packages; the notice that says so is
# silenced, nothing else.
check-defs: install
	DAGSTER_HOME= $(VENV)/bin/python -W "ignore::FutureWarning" -m dagster definitions validate --workspace workspace.yaml --log-level warning

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

ui: install
	$(VENV)/bin/python -m pipelines ui --port $(UI_PORT)

# Which rules made, typed or rejected each number of a sentence: make explain TEXT="قتل 12 مدنيا بينهم 4 أطفال"
explain: install
	@test -n "$(TEXT)" || { echo 'usage: make explain TEXT="…sentence…"'; exit 2; }
	$(VENV)/bin/python -m pipelines explain "$(TEXT)"

# Measure the extraction on your own annotated articles: make eval ARTICLES=dir/of/txt GOLD=dir/of/json
eval: install
	@test -n "$(ARTICLES)" -a -n "$(GOLD)" || { echo "usage: make eval ARTICLES=<folder of .txt> GOLD=<folder of .json>"; exit 2; }
	$(VENV)/bin/python -m pipelines eval --articles "$(ARTICLES)" --gold "$(GOLD)"

# Print a query's result, read-only: make sql Q="select outcome, sum(value) from casualty_totals group by 1"
export Q
sql: install
	@test -n "$$Q" || { echo 'usage: make sql Q="select ..."'; exit 2; }
	@$(VENV)/bin/python -m pipelines sql "$$Q"

# An interactive SQL prompt on the catalog, read-only, in the project's DuckDB: make shell
shell: install
	@$(VENV)/bin/python -m pipelines shell

# The curation loop (docs/gazetteer.md): make review writes the names found from context since the last
# review to a CSV; make review APPLY=that.csv writes the accepted ones into the gazetteer (ALL=1 lists
# every undecided name).
review: install
	@$(VENV)/bin/python -m pipelines review $(if $(APPLY),--apply "$(APPLY)") $(if $(ALL),--all)

clean-warehouse:
	rm -rf $(WAREHOUSE_DIR)
