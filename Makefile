# adclick: every command a user or CI runs is a target here. `make help` lists them by group.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# uv manages the interpreter's packages from uv.lock; it never downloads Python itself here.
export UV_PYTHON_DOWNLOADS := never
# DVC sends no usage analytics (.dvc/config says so too; this covers a fresh `dvc init` elsewhere).
export DVC_NO_ANALYTICS := 1
# Material for MkDocs prints an end-of-life notice on every build (docs/dependencies.md says why we stay).
export NO_MKDOCS_2_WARNING := 1
UV_VERSION := 0.13.9
UV_HOME := .venv-uv
UV := $(or $(shell command -v uv 2>/dev/null),$(UV_HOME)/bin/uv)
# `install` syncs with --locked (fail if uv.lock is out of date with pyproject.toml) and compiles
# bytecode once; every other target runs the synced environment as it is.
RUN := $(UV) run --no-sync
PYTEST := $(RUN) pytest
# The functional layers run on every core (pytest-xdist; tests/conftest.py keeps each module, and
# the tests sharing the versioning rehearsal, on one worker); the timed layer runs alone.
WORKERS ?= auto
PARALLEL := -n $(WORKERS)
REPORTS := reports
PERF_JSON := $(REPORTS)/benchmarks.json
# deepchecks 0.19.1 needs an older numpy/scikit-learn: its own resolution (pyproject) and venv,
# and only tests/model (the other folders import dev tools that environment does not install).
DEEPCHECKS_ENV := .venv-deepchecks
# The run `bench-compare` compares against: CI puts main's benchmarks.json here.
BENCH_BASELINE ?= $(REPORTS)/benchmarks-baseline.json
# CI matrix jobs set LAYER_SUFFIX (e.g. -py3.12) so their report files do not overwrite each other.
LAYER_SUFFIX ?=

.PHONY: help install demo serve ui repro experiments clean test test-fast test-data-dependent \
	test-perf test-deepchecks deepchecks-env lint format report job-summary lock-baseline bench-compare ml-test-score \
	docs figures pages params-reference snapshots fork-check faults mutation load test-perf-contended walkthrough

help: ## list the targets
	@awk 'BEGIN {FS = ":.*?## "} /^##@/ {printf "\n%s\n", substr($$0, 5)} \
		/^[a-zA-Z_%-]+:.*?## / {printf "  \033[36m%-20s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

##@ Use the template
$(UV_HOME)/bin/uv:
	@echo "uv not found: installing uv $(UV_VERSION) into $(UV_HOME)/"
	python3 -m venv $(UV_HOME)
	$(UV_HOME)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install: $(UV) ## install uv if missing and sync the locked environment (.venv)
	$(UV) sync --locked --extra compiled --compile-bytecode

demo: install ## run the whole pipeline: prepare -> validate -> train -> evaluate -> promote -> predict -> drift
	$(RUN) adclick pipeline

serve: install ## serve the champion on http://127.0.0.1:8000 (POST /predict, /docs, /metrics); Ctrl-C stops it
	$(RUN) adclick serve

ui: install ## open the MLflow UI on http://127.0.0.1:5000 (the store params.yaml names)
	$(RUN) mlflow ui --host 127.0.0.1 --port 5000 --backend-store-uri \
		"$$($(RUN) python -c 'from adclick.config import load_settings; print(load_settings().tracking_uri)')"

repro: install ## the pipeline as DVC stages (dvc.yaml): runs only what changed since the last run, then the metrics
	$(RUN) dvc repro
	$(RUN) dvc metrics show

experiments: install ## a grid of trainings (params.yaml experiments) as MLflow child runs; the best becomes challenger
	$(RUN) adclick experiments

clean: ## delete generated data, reports, MLflow store and caches (keeps data/source, DVC's cache and the environments)
	rm -rf data/raw data/split data/predictions reports mlflow.db mlartifacts mlruns serving site docs/figures \
		.pytest_cache .hypothesis .benchmarks .ruff_cache .coverage .coverage.* coverage.xml
	find . -name __pycache__ -type d -not -path './.venv*' -prune -exec rm -rf {} +

##@ Test
# Timings taken under coverage tracing mean little, so the performance layer runs on its own; the
# deepchecks tests run in their own environment. Every part runs even if an earlier one failed.
test: install ## every test layer: the coverage run, then test-perf and test-deepchecks; the ML Test Score of them all
	@mkdir -p $(REPORTS)
	status=0; \
	$(PYTEST) $(PARALLEL) --ignore=tests/performance --cov --cov-report=term --cov-report=xml:$(REPORTS)/coverage.xml \
		--junitxml=$(REPORTS)/junit.xml || status=$$?; \
	$(MAKE) test-perf || status=$$?; \
	$(MAKE) test-deepchecks || status=$$?; \
	$(MAKE) ml-test-score || status=$$?; \
	exit $$status

test-fast: install ## the quick layers (no slow test, no coverage) and each benchmark once, untimed: the pre-push hook
	$(PYTEST) $(PARALLEL) tests/data tests/model tests/cli tests/ci tests/performance --benchmark-disable -m "not slow" -q \
		--hypothesis-profile fast

# One layer (make test-data, test-api, ...): JUnit XML and coverage data of its own under reports/,
# for CI jobs and `make report`. The coverage floor applies to the whole suite, not to one layer.
test-%: install ## one layer: test-data, test-model, test-api, test-cli, test-ci, test-monitoring, test-versioning, test-docs
	@mkdir -p $(REPORTS)
	COVERAGE_FILE=$(REPORTS)/coverage-$*$(LAYER_SUFFIX).data $(PYTEST) tests/$* --cov --cov-fail-under=0 \
		--cov-report= --junitxml=$(REPORTS)/junit-$*$(LAYER_SUFFIX).xml

# What a team re-runs after pointing the template at its own file (make fork-check does too): every
# layer whose verdict depends on the data. The CI files, the docs and the house rules do not, nor
# do DVC's mechanics (tests/versioning): `make demo` runs the same stages on the team's data.
DATA_LAYERS := tests/data tests/model tests/api tests/cli tests/monitoring
test-data-dependent: install ## the layers whose verdict depends on the data: data, model, api, cli, monitoring, perf, deepchecks
	@mkdir -p $(REPORTS)
	status=0; $(PYTEST) $(PARALLEL) $(DATA_LAYERS) --junitxml=$(REPORTS)/junit-data-dependent.xml || status=$$?; \
	$(MAKE) test-perf || status=$$?; \
	$(MAKE) test-deepchecks || status=$$?; \
	exit $$status

test-perf: install ## the performance layer, timed: budgets as ratios; JSON + markdown table under reports/
	@mkdir -p $(REPORTS)
	status=0; $(PYTEST) tests/performance --benchmark-json=$(PERF_JSON) \
		--junitxml=$(REPORTS)/junit-performance.xml || status=$$?; \
	if [ -f $(PERF_JSON) ]; then $(RUN) python -m tools bench-report $(PERF_JSON) --output $(REPORTS)/benchmarks.md; fi; \
	exit $$status

test-deepchecks: deepchecks-env ## the deepchecks suites, in their own environment (.venv-deepchecks: numpy<2, sklearn<1.8)
	@mkdir -p $(REPORTS)
	UV_PROJECT_ENVIRONMENT=$(DEEPCHECKS_ENV) $(UV) run --no-sync pytest -m deepchecks tests/model \
		--junitxml=$(REPORTS)/junit-deepchecks$(LAYER_SUFFIX).xml

deepchecks-env: $(UV)
	UV_PROJECT_ENVIRONMENT=$(DEEPCHECKS_ENV) $(UV) sync --locked --no-default-groups --group deepchecks \
		--compile-bytecode

lint: install ## the pre-commit hooks on every file: ruff, the import contract, yaml/toml, whitespace, large files
	$(RUN) pre-commit run --all-files --show-diff-on-failure

format: install ## apply ruff fixes and formatting
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

##@ Reports (CI)
report: install ## the CI report from whatever is under reports/: reports/summary.md (fails under the coverage floor)
	@mkdir -p $(REPORTS)
	shopt -s nullglob; parts=($(REPORTS)/coverage-*.data); \
	if (( $${#parts[@]} )); then \
		$(RUN) coverage combine --keep --quiet --data-file=$(REPORTS)/coverage.data "$${parts[@]}"; \
		$(RUN) coverage xml --quiet --fail-under=0 --data-file=$(REPORTS)/coverage.data -o $(REPORTS)/coverage.xml; \
	fi
	$(RUN) python -m tools report $(REPORTS) --output $(REPORTS)/summary.md \
		$$([ -f $(BENCH_BASELINE) ] && echo --baseline $(BENCH_BASELINE))
	@# the layers' combined coverage against the floor in pyproject.toml (GitLab reads the TOTAL line)
	if [ -f $(REPORTS)/coverage.data ]; then \
		echo "TOTAL COVERAGE: $$($(RUN) coverage report --data-file=$(REPORTS)/coverage.data --format=total --precision=1 --fail-under=0)%"; \
		$(RUN) coverage report --data-file=$(REPORTS)/coverage.data > /dev/null \
			|| { echo "combined coverage is under the floor (fail_under in pyproject.toml)"; exit 2; }; \
	fi

job-summary: ## the report of what this job left under reports/ (sections without inputs left out)
	@$(RUN) python -m tools report $(REPORTS) --present-only

# CI saves the target branch's uv.lock here, so the report names every package a change moves.
# The branch name reaches the shell through the environment, never pasted into the command line.
export BASE_BRANCH ?= main
lock-baseline: ## save BASE_BRANCH's uv.lock as reports/uv.lock.base (the report's Dependencies section)
	@mkdir -p $(REPORTS)
	git fetch --quiet --depth=1 origin "$$BASE_BRANCH" && git show FETCH_HEAD:uv.lock > $(REPORTS)/uv.lock.base \
		|| { rm -f $(REPORTS)/uv.lock.base; echo "no uv.lock on $$BASE_BRANCH to compare with"; }

bench-compare: install ## compare this run's benchmarks with BENCH_BASELINE (default reports/benchmarks-baseline.json)
	$(RUN) pytest-benchmark compare --columns=min,median,iqr,rounds --sort=name --group-by=name \
		$(BENCH_BASELINE) $(PERF_JSON)
	$(RUN) python -m tools bench-report $(PERF_JSON) --baseline $(BENCH_BASELINE) --output $(REPORTS)/benchmarks-compare.md

ml-test-score: install ## the ML Test Score (Breck et al. 2017) of the test results under reports/ (make test prints it)
	$(RUN) python -m tools ml-test-score $(REPORTS)

##@ Docs
figures: install ## the docs' figures, drawn by the code into docs/figures (a small pipeline, reports, screenshots)
	$(RUN) python -m tools.figures --output docs/figures

docs: figures ## the documentation site in strict mode (site/): a broken link or a page left out fails it
	$(RUN) mkdocs build --strict

pages: ## the built site (make docs) as public/, the folder GitLab Pages publishes
	test -f site/index.html || { echo "no site/ to publish: run make docs first"; exit 1; }
	rm -rf public && cp -r site public

params-reference: install ## write docs/reference/params.md: every settings key, its default and meaning
	$(RUN) python -m tools.params_reference

snapshots: install ## accept the API's OpenAPI snapshot after a reviewed contract change (a fork's first run)
	UPDATE_SNAPSHOTS=1 $(PYTEST) tests/api/test_openapi_and_fuzz.py -k snapshot -q

##@ How good the template is (slow; scheduled in CI)
fork-check: install ## apply each fork example (examples/forks) to a fresh copy: make demo, then the data-dependent layers
	$(RUN) python -m tools.forks

faults: install ## the fault drill: each fault of tests/faults/catalogue.py injected, the suite run until a test fails
	$(RUN) python -m tests.faults.drill $(FAULTS)

# Every locked package (the dev group included: it runs in CI) against the OSV advisories. It asks
# osv.dev about each package, so CI runs it on a schedule and when uv.lock changes, never inside
# `make test`; tests/ci/test_audit.py runs the same command offline against a recorded answer.
# --strict: a package that could not be audited fails the audit (pip-audit alone says "No known
# vulnerabilities found" and exits 0 when none could be looked up).
AUDIT_FLAGS := --strict --no-deps --disable-pip --vulnerability-service osv --progress-spinner off --desc on --format markdown
audit: install ## check every locked package against known vulnerabilities (pip-audit, OSV); exit 1 names them
	@mkdir -p $(REPORTS)
	$(UV) export --locked --no-hashes --no-emit-project --format requirements-txt --quiet --output-file $(REPORTS)/audit-requirements.txt
	$(RUN) pip-audit $(AUDIT_FLAGS) --requirement $(REPORTS)/audit-requirements.txt --output $(REPORTS)/audit.md; \
		status=$$?; cat $(REPORTS)/audit.md 2>/dev/null; exit $$status

mutation: install ## mutation testing of the core modules (mutmut); the score against mutation.min_score
	$(RUN) python -m tools.mutation

load: install ## ours and mlflow models serve under the same bounded load, side by side: p50/p95, rows/s, start-up, memory, goals
	$(RUN) python -m tools load --compare-mlflow

test-perf-contended: install ## test-perf 3 times beside one CPU-bound process per core: budgets must hold on a busy runner
	$(RUN) python -m tools.contention --runs 3 -- $(MAKE) test-perf

walkthrough: install ## data versioning with DVC, step by step, in a scratch copy: two versions, diff, back to v1
	$(RUN) python -m tools.walkthrough
