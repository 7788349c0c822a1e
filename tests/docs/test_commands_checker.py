"""The docs' command checker fails on what would mislead a reader: a target, command, option,
path or request body that does not exist (a checker that passes everything proves nothing)."""

from __future__ import annotations

import pytest

from tests.helpers.docs import check_block, commands


@pytest.mark.parametrize(
    "block",
    [
        "make no-such-target",
        "uv run adclick trian",
        "uv run adclick train --no-such-flag",
        "uv run adclick lineage --jsn",
        "uv run dvc exp run --no-such-option",
        "uv run pytest tests/no_such_layer",
        "uv run pytest -m not_a_marker",
        "uv run python -m adclick.no_such_module",
        "curl -X POST http://127.0.0.1:8000/predict -d '{\"records\": [{}]}'",
        "frobnicate --all",
        "make test &&",
    ],
)
def test_a_command_that_would_mislead_a_reader_fails_the_check(block: str) -> None:
    with pytest.raises(AssertionError):
        check_block(block)


def test_the_commands_of_a_block_are_split_on_operators_and_lines() -> None:
    block = "make install && uv run adclick train   # then\nuv run dvc repro | tail -3"
    assert commands(block) == [["make", "install"], ["uv", "run", "adclick", "train"], ["uv", "run", "dvc", "repro"],
                               ["tail", "-3"]]  # fmt: skip


def test_real_commands_pass_the_check() -> None:
    check_block("make test\nuv run adclick drift data/a.csv data/b.csv --exit-zero\nuv run dvc metrics diff")
