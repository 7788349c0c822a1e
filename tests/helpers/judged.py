"""'Not judged' is a result, not a pass or a bare skip: a check that the data cannot support
(no PROTECTED attribute declared, no category column, too few positives) says so, naming what
it lacks, and the run lists every such check (tests/plugins/not_judged.py, the CI report), so a
team that forks the template sees what its data leaves unchecked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

import pytest

PREFIX = "not judged: "
SPECS = "src/adclick/data/specs.py"


def not_judged(why: str) -> NoReturn:
    """End a test that cannot judge this data, saying what it lacks."""
    pytest.skip(PREFIX + why)


def needs(present: object, why: str) -> pytest.MarkDecorator:
    """A test that judges only when `present` (a declaration, a role of the data) is there."""
    return pytest.mark.skipif(not present, reason=PREFIX + why)


def each(values: Iterable[Any], why: str, ids: Any = None) -> list[Any]:
    """Parameters of a test run once per value; where there is none, one case that says it is
    not judged, and why (pytest would otherwise skip it as 'got empty parameter set')."""
    cases = [pytest.param(v, id=ids(v) if callable(ids) else None) for v in values]
    return cases or [pytest.param(None, marks=needs(False, why), id="none")]


def reason(report: pytest.TestReport) -> str | None:
    """What a skipped test's report says it lacks, if it was not judged (else None)."""
    if not report.skipped or not isinstance(report.longrepr, tuple):
        return None
    message = str(report.longrepr[2]).removeprefix("Skipped: ")
    return message[len(PREFIX) :] if message.startswith(PREFIX) else None
