"""The checks this run did not judge, listed at the end of the terminal report: each reason
(what the data or the schema module lacks) with the tests it held back. They are skipped in
JUnit with a message that starts 'not judged:', which the CI report lists too."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.helpers.judged import reason


class NotJudged:
    def __init__(self) -> None:
        self.tests: dict[str, list[str]] = defaultdict(list)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        why = reason(report)
        if why is not None:
            self.tests[why].append(report.nodeid)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.tests:
            return
        count = sum(len(tests) for tests in self.tests.values())
        terminalreporter.section(f"not judged: {count} tests, by what the data lacks")
        for why, tests in sorted(self.tests.items()):
            terminalreporter.write_line(
                f"{why} ({len(tests)}): {', '.join(sorted(tests)[:3])}" + (" ..." if len(tests) > 3 else "")
            )


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(NotJudged(), "adclick-not-judged")
