"""'Not judged' is a result: a check the data cannot support says what the data lacks, and
the run tells such checks apart from skips (tests/helpers/judged.py, tests/plugins/not_judged.py)."""

from __future__ import annotations

import pytest

from tests.helpers.judged import PREFIX, each, reason

WHY = "declare SLICES in the schema module"


def _skipped(message: str) -> pytest.TestReport:
    return pytest.TestReport("t.py::test", ("t.py", 1, "test"), {}, "skipped", ("t.py", 1, message), "setup")


def test_a_role_the_data_lacks_gives_one_case_that_says_why_it_is_not_judged() -> None:
    (case,) = each([], WHY)
    (mark,) = case.marks
    assert (mark.name, mark.args, mark.kwargs) == ("skipif", (True,), {"reason": PREFIX + WHY})


def test_a_role_the_data_has_gives_one_plain_case_per_value() -> None:
    cases = each(["a", "b"], WHY, ids=str.upper)
    assert [(case.values, case.id, case.marks) for case in cases] == [(("a",), "A", ()), (("b",), "B", ())]


def test_the_report_of_a_test_not_judged_gives_what_the_data_lacks() -> None:
    assert reason(_skipped(f"Skipped: {PREFIX}{WHY}")) == WHY


def test_a_plain_skip_is_not_counted_as_not_judged() -> None:
    assert reason(_skipped("Skipped: no headless Chromium")) is None


def test_a_fork_check_counts_what_its_data_left_not_judged(tmp_path) -> None:
    from tools.forks import not_judged

    (tmp_path / "junit-data-dependent.xml").write_text(
        '<testsuites><testsuite name="pytest">'
        '<testcase classname="tests.model.test_a" name="t1"><skipped message="not judged: declare SLICES"/></testcase>'
        '<testcase classname="tests.model.test_a" name="t2"><skipped message="not judged: declare SLICES"/></testcase>'
        '<testcase classname="tests.data.test_b" name="t3"><skipped message="no chromium"/></testcase>'
        '<testcase classname="tests.data.test_b" name="t4"/>'
        "</testsuite></testsuites>"
    )
    assert not_judged(tmp_path) == {"declare SLICES": 2}
