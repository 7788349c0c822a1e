"""Every command, walked from the app itself: a parameter left out, a number given as text or one
outside its bounds is a usage error: one line naming the parameter, exit 2, no traceback, and
nothing run (a verdict, exit 1, is never confused with a typo)."""

from __future__ import annotations

import pytest

from tests.helpers.cli import Mistake, Run, usage_mistakes

MISTAKES = usage_mistakes()


def test_the_walk_covers_each_kind_of_mistake() -> None:
    kinds = {mistake.id.split()[-1] for mistake in MISTAKES}
    assert "abc" in kinds
    assert any(m.id.split()[1] == "without" for m in MISTAKES)
    assert any(m.id.split()[-1].lstrip("-").replace(".", "").isdigit() for m in MISTAKES)


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_a_usage_mistake_is_one_line_naming_the_parameter_and_exit_2(run_cli: Run, mistake: Mistake) -> None:
    result = run_cli(*mistake.argv)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert mistake.names.lower() in result.stderr.lower(), result.stderr
