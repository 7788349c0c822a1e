# adclick: every command a user or CI runs is a target here. `make help` lists them.
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
# `install` syncs with --locked (fail if uv.lock is out of date with pyproject.toml instead of
# silently re-resolving) and compiles bytecode once: shells that set PYTHONDONTWRITEBYTECODE
# (CI images often do) would otherwise recompile MLflow and scikit-learn on every start.
# Every other target depends on `install`, so it runs the synced environment as it is.
RUN := $(UV) run --no-sync
PYTEST := $(RUN) pytest
REPORTS := reports
FAST_LAYERS := tests/data tests/model tests/cli tests/ci
PERF_JSON := $(REPORTS)/benchmarks.json
# deepchecks 0.19.1 needs an older numpy/scikit-learn: its own resolution (pyproject) and venv.
DEEPCHECKS_ENV := .venv-deepchecks
# The folder the deepchecks tests live in: the others import dev-only tools (sybil) that the
# deepchecks environment, an older stack of its own, does not install.
DEEPCHECKS_TESTS := tests/model
# The run `bench-compare` compares against: CI puts main's benchmarks.json here.
BENCH_BASELINE ?= $(REPORTS)/benchmarks-baseline.json

.PHONY: help install demo test test-fast test-data test-model test-api test-cli test-ci test-perf test-perf-contended \
	test-deepchecks test-monitoring test-versioning test-docs promtool chromium figures docs pages report repro experiments walkthrough \
	job-summary bench-baseline bench-compare lock-baseline ml-test-score faults mutation \
	serve load lint format ui clean prepare snapshots init-schema fork-check params-reference

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-20s\033[0m %s\n", $$1, $$2}'

$(UV_HOME)/bin/uv:
	@echo "uv not found: installing uv $(UV_VERSION) into $(UV_HOME)/"
	python3 -m venv $(UV_HOME)
	$(UV_HOME)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install: $(UV) ## install uv if missing and sync the locked environment (.venv)
	$(UV) sync --locked --extra compiled --compile-bytecode

demo: install ## run the whole pipeline: prepare -> validate -> train -> evaluate -> promote -> predict
	$(RUN) adclick pipeline

repro: install ## the pipeline as DVC stages (dvc.yaml): runs only what changed since the last run, then the metrics
	$(RUN) dvc repro
	$(RUN) dvc metrics show

experiments: install ## a grid of trainings (params.yaml experiments) as MLflow child runs; the best becomes challenger
	$(RUN) adclick experiments

walkthrough: install ## data versioning with DVC, step by step, in a scratch copy: two versions, diff, back to v1
	$(RUN) python -m tools.walkthrough

fork-check: install ## apply each fork example (examples/forks) to a fresh copy and run make demo + make test there
	$(RUN) python -m tools.forks

params-reference: install ## write docs/reference/params.md: every settings key, its default and meaning (from src/adclick/config/)
	$(RUN) python -m tools.params_reference

snapshots: install ## accept the API's OpenAPI snapshot after a reviewed contract change (a fork's first run)
	UPDATE_SNAPSHOTS=1 $(PYTEST) tests/api/test_openapi_and_fuzz.py -k snapshot -q

# Timings taken under coverage tracing mean little, so the performance layer runs on its own; the
# deepchecks tests run in their own environment. Every part runs even if an earlier one failed.
test: install promtool chromium ## every test layer: coverage run, then test-perf and test-deepchecks; the ML Test Score of them all
	@mkdir -p $(REPORTS)
	status=0; \
	$(PYTEST) --ignore=tests/performance --cov --cov-report=term --cov-report=xml:$(REPORTS)/coverage.xml \
		--junitxml=$(REPORTS)/junit.xml || status=$$?; \
	$(MAKE) test-perf || status=$$?; \
	$(MAKE) test-deepchecks || status=$$?; \
	$(MAKE) ml-test-score || status=$$?; \
	exit $$status

test-fast: install ## data, model, cli and ci layers + each benchmark once, untimed; no coverage (the pre-push hook)
	$(PYTEST) $(FAST_LAYERS) tests/performance --benchmark-disable -m "not slow" -q

# One layer: JUnit XML and coverage data of its own under reports/, for CI jobs and `make report`.
# The coverage floor applies to the whole suite (`make test`, `make report`), not to one layer.
# CI matrix jobs set LAYER_SUFFIX (e.g. -py3.12) so their files do not overwrite each other.
LAYER_SUFFIX ?=
define layer
	@mkdir -p $(REPORTS)
	COVERAGE_FILE=$(REPORTS)/coverage-$(1)$(LAYER_SUFFIX).data $(PYTEST) $(2) --cov --cov-fail-under=0 \
		--cov-report= --junitxml=$(REPORTS)/junit-$(1)$(LAYER_SUFFIX).xml
endef

test-data: install ## the data layer (tests/data)
	$(call layer,data,tests/data)

test-model: install ## the model layer (tests/model; deepchecks runs in test-deepchecks)
	$(call layer,model,tests/model)

test-cli: install ## the command line (tests/cli)
	$(call layer,cli,tests/cli)

test-api: install ## the prediction service (tests/api)
	$(call layer,api,tests/api)

test-monitoring: install promtool ## drift statistics, degradation, replay, alert rules and dashboard (tests/monitoring)
	$(call layer,monitoring,tests/monitoring)

test-versioning: install ## DVC stages, data versioning walkthrough, lineage and the experiment grid (tests/versioning)
	$(call layer,versioning,tests/versioning)

# promtool checks and unit-tests the alert rules (monitoring/). CI installs Debian's prometheus
# package; elsewhere this unpacks promtool from that package into .tools/ without root, or says
# how to get it (the two promtool tests then skip locally, and fail under CI=true).
PROMTOOL_LOCAL := .tools/usr/bin/promtool
promtool: ## promtool for the alert-rule tests: on PATH, or unpacked from Debian's prometheus package into .tools/
	@if command -v promtool >/dev/null || [ -x $(PROMTOOL_LOCAL) ]; then exit 0; fi; \
	if command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null; then \
		mkdir -p .tools && cd .tools && apt-get download prometheus >/dev/null 2>&1 \
		&& dpkg-deb -x prometheus_*.deb . && rm -f prometheus_*.deb && echo "promtool: $(PROMTOOL_LOCAL)" \
		|| echo "promtool: could not download Debian's prometheus package; install it to run the alert-rule tests"; \
	else echo "promtool: not found; install Prometheus (it ships promtool) to run the alert-rule tests"; fi

test-docs: install chromium ## the docs: code blocks checked or run, figures drawn and not blank, strict site build (tests/docs)
	$(call layer,docs,tests/docs)

# A headless Chromium takes the docs' screenshots (tests/docs, make figures). CI installs Debian's
# package; elsewhere this installs it when it can (root and apt-get), or says how.
chromium: ## a headless Chromium for the docs' screenshots: on PATH, or installed from Debian's packages when possible
	@if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null; \
	then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
		|| { apt-get update -qq >/dev/null 2>&1 \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }; } \
		|| echo "chromium: apt-get could not install it; install Debian's chromium package for the docs' screenshots"; \
	else echo "chromium: not found; install Debian's chromium package (or Chrome) for the docs' screenshots"; fi

figures: install chromium ## the docs' figures, drawn by the code into docs/figures (a small pipeline, reports, screenshots)
	$(RUN) python -m tools.figures --output docs/figures

docs: figures ## the documentation site in strict mode (site/): a broken link or a page left out fails it
	$(RUN) mkdocs build --strict

pages: ## the built site (make docs) as public/, the folder GitLab Pages publishes
	test -f site/index.html || { echo "no site/ to publish: run make docs first"; exit 1; }
	rm -rf public && cp -r site public

test-ci: install ## the CI files, pre-commit config and report generator themselves (tests/ci)
	$(call layer,ci,tests/ci)

test-perf: install ## the performance layer, timed: budgets as ratios; JSON + markdown table under reports/
	@mkdir -p $(REPORTS)
	status=0; $(PYTEST) tests/performance --benchmark-json=$(PERF_JSON) \
		--junitxml=$(REPORTS)/junit-performance.xml || status=$$?; \
	if [ -f $(PERF_JSON) ]; then $(RUN) python -m tools bench-report $(PERF_JSON) --output $(REPORTS)/benchmarks.md; fi; \
	exit $$status

test-perf-contended: install ## test-perf 3 times beside one CPU-bound process per core: budgets must hold on a busy runner
	$(RUN) python -m tools.contention --runs 3 -- $(MAKE) test-perf

test-deepchecks: $(UV) ## the deepchecks suites, in their own environment (.venv-deepchecks: numpy<2, sklearn<1.8)
	UV_PROJECT_ENVIRONMENT=$(DEEPCHECKS_ENV) $(UV) sync --locked --no-default-groups --group deepchecks \
		--compile-bytecode
	@mkdir -p $(REPORTS)
	UV_PROJECT_ENVIRONMENT=$(DEEPCHECKS_ENV) $(UV) run --no-sync pytest -m deepchecks $(DEEPCHECKS_TESTS) \
		--junitxml=$(REPORTS)/junit-deepchecks$(LAYER_SUFFIX).xml

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

faults: install promtool ## the fault drill: each fault of tests/faults/catalogue.py injected, the suite run until a test fails
	$(RUN) python -m tests.faults.drill $(FAULTS)

mutation: install ## mutation testing of the core modules (mutmut); the score against params.yaml mutation.min_score
	$(RUN) python -m tools.mutation

ml-test-score: install ## the ML Test Score (Breck et al. 2017) of the test results under reports/ (make test prints it)
	$(RUN) python -m tools ml-test-score $(REPORTS)

# CI saves the target branch's uv.lock here, so the report names every package a change moves.
BASE_BRANCH ?= main
lock-baseline: ## save BASE_BRANCH's uv.lock as reports/uv.lock.base (the report's Dependencies section)
	@mkdir -p $(REPORTS)
	git fetch --quiet --depth=1 origin "$(BASE_BRANCH)" && git show FETCH_HEAD:uv.lock > $(REPORTS)/uv.lock.base \
		|| { rm -f $(REPORTS)/uv.lock.base; echo "no uv.lock on $(BASE_BRANCH) to compare with"; }

job-summary: ## the report of what this job left under reports/ (sections without inputs left out)
	@$(RUN) python -m tools report $(REPORTS) --present-only
bench-baseline: ## keep this run's benchmarks as the baseline for bench-compare
	cp $(PERF_JSON) $(BENCH_BASELINE)

bench-compare: install ## compare this run's benchmarks with BENCH_BASELINE (default reports/benchmarks-baseline.json)
	$(RUN) pytest-benchmark compare --columns=min,median,iqr,rounds --sort=name --group-by=name \
		$(BENCH_BASELINE) $(PERF_JSON)
	$(RUN) python -m tools bench-report $(PERF_JSON) --baseline $(BENCH_BASELINE) --output $(REPORTS)/benchmarks-compare.md

lint: install ## the pre-commit hooks on every file: ruff, the import contract, yaml/toml, whitespace, large files
	$(RUN) pre-commit run --all-files --show-diff-on-failure

format: install ## apply ruff fixes and formatting
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

serve: install ## serve the champion on http://127.0.0.1:8000 (POST /predict, /docs, /metrics); Ctrl-C stops it
	$(RUN) adclick serve

load: install ## ours and mlflow models serve under the same bounded load, side by side: p50/p95, rows/s, start-up, memory, goals
	$(RUN) python -m tools load --compare-mlflow

ui: install ## open the MLflow UI on http://127.0.0.1:5000 (the store params.yaml names)
	$(RUN) mlflow ui --host 127.0.0.1 --port 5000 --backend-store-uri \
		"$$($(RUN) python -c 'from adclick.config import load_settings; print(load_settings().tracking_uri)')"

clean: ## delete generated data, reports, MLflow store and caches (keeps data/source, DVC's cache and the environments)
	rm -rf data/raw data/split data/predictions reports mlflow.db mlartifacts mlruns serving site docs/figures \
		.pytest_cache .hypothesis .benchmarks .ruff_cache \
		.coverage .coverage.* coverage.xml
	find . -name __pycache__ -type d -not -path './.venv*' -prune -exec rm -rf {} +
