"""The ML Test Score of a run: `@pytest.mark.ml_test_score("data-1", ...)` ties a test to the
rubric items it covers (Breck et al., 2017; `tools.ml_test_score`).

- an item id the rubric does not know fails the collection, naming the test;
- each marked test carries its items into the JUnit XML (a property), so `python -m tools ml-test-score`
  and the CI report total every run's files, whatever layer or job wrote them;
- the terminal summary shows this run's score: items whose tests did not run here count as not
  covered, so a run of one layer scores low by design (`make test` totals every layer).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import ml_test_score
from tools.junit import TestCase


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("adclick").addoption(
        "--ml-test-score-json", type=Path, default=None, metavar="PATH", help="write this run's ML Test Score as JSON"
    )


def _items(item: pytest.Item) -> list[str]:
    return [i for mark in item.iter_markers("ml_test_score") for i in mark.args]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        covered = _items(item)
        unknown = ml_test_score.unknown_items(covered)
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: unknown ML Test Score items {unknown}; see the rubric")
        if covered:
            item.user_properties.append((ml_test_score.PROPERTY, ",".join(sorted(set(covered)))))


class Scorer:
    """Keeps the outcome of every marked test of the run, then scores them."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.results: dict[str, TestCase] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        items = dict(report.user_properties).get(ml_test_score.PROPERTY)
        if not items or (report.when != "call" and not (report.failed or report.skipped)):
            return
        outcome = "error" if report.failed and report.when != "call" else report.outcome
        previous = self.results.get(report.nodeid)
        if previous is None or previous.outcome == "passed":  # a teardown error overrides a passed call
            case = TestCase("", report.nodeid, outcome, "", 0.0, {ml_test_score.PROPERTY: str(items)})
            self.results[report.nodeid] = case

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.results:
            return
        root = self.config.rootpath
        manual = ml_test_score.load_manual(root / ml_test_score.MANUAL_FILE)
        card = ml_test_score.score(list(self.results.values()), manual, root)
        terminalreporter.section("ML Test Score of this run (make test totals every layer)")
        for line in ml_test_score.summary_lines(card, every_item=False):
            terminalreporter.write_line(line)
        target = self.config.getoption("--ml-test-score-json")
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(card.as_dict(), indent=2) + "\n", encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(Scorer(config), "adclick-ml-test-score-scorer")
