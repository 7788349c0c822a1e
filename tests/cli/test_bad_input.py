"""Bad input gets one clear message naming what is wrong, a non-zero exit, and no traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml

from adclick.config import load_settings
from adclick.config.model_settings import GateSettings
from adclick.data import contract
from tests.helpers.cases import (
    BOUNDED,
    NUMBERS,
    REQUIRED,
    bad_cells,
    outside_range,
    with_values,
)
from tests.helpers.cli import Run

RANGED = BOUNDED[0]
(BAD_COLUMN, BAD_VALUE, BAD_CHECK), (OTHER_COLUMN, OTHER_VALUE, OTHER_CHECK) = bad_cells()


@pytest.fixture(scope="module")
def good_frame(small_data: pd.DataFrame) -> pd.DataFrame:
    return small_data


def _write(frame: pd.DataFrame, folder: Path, name: str = "data.csv") -> Path:
    path = folder / name
    frame.to_csv(path, index=False)
    return path


def _assert_clear_failure(result, *expected: str) -> None:
    assert result.exit_code != 0, "bad input must exit non-zero"
    assert "Traceback" not in result.stderr + result.stdout
    for text in expected:
        assert text in result.stderr, f"expected {text!r} in the error output:\n{result.stderr}"


def test_valid_file_passes_validation(
    run_cli: Run, cli_project: Path, good_frame: pd.DataFrame, tmp_path: Path
) -> None:
    result = run_cli("validate", _write(good_frame, tmp_path), "--config", cli_project / "params.yaml")
    assert result.exit_code == 0, result.stderr
    assert "valid" in result.stdout


def test_missing_file_is_named(run_cli: Run, cli_project: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    result = run_cli("validate", missing, "--config", cli_project / "params.yaml")
    _assert_clear_failure(result, "not found", "nope.csv")


def test_missing_column_is_named(run_cli: Run, cli_project: Path, good_frame: pd.DataFrame, tmp_path: Path) -> None:
    column = REQUIRED[0].name
    path = _write(good_frame.drop(columns=[column]), tmp_path)
    result = run_cli("validate", path, "--config", cli_project / "params.yaml")
    _assert_clear_failure(result, column, "missing")


def test_wrong_dtype_names_the_column_and_value(
    run_cli: Run, cli_project: Path, good_frame: pd.DataFrame, tmp_path: Path
) -> None:
    column = NUMBERS[0].name
    frame = with_values(good_frame, 3, {column: "forty"})
    result = run_cli("validate", _write(frame, tmp_path), "--config", cli_project / "params.yaml")
    _assert_clear_failure(result, column, "forty")


def test_out_of_range_value_names_the_column_and_value(
    run_cli: Run, cli_project: Path, good_frame: pd.DataFrame, tmp_path: Path
) -> None:
    frame = with_values(good_frame, 0, {RANGED.name: outside_range(RANGED)})
    result = run_cli("validate", _write(frame, tmp_path), "--config", cli_project / "params.yaml")
    _assert_clear_failure(result, RANGED.name, str(outside_range(RANGED)))


def test_failed_validation_writes_its_report(
    run_cli: Run, cli_project: Path, good_frame: pd.DataFrame, tmp_path: Path
) -> None:
    frame = with_values(good_frame, 0, {BAD_COLUMN: BAD_VALUE})
    run_cli("validate", _write(frame, tmp_path), "--config", cli_project / "params.yaml")
    report = yaml.safe_load((cli_project / "reports" / "validation.json").read_text())
    assert report["passed"] is False
    assert report["failures"][0]["column"] == BAD_COLUMN


def test_failed_validation_prints_a_table_of_every_failure(
    run_cli: Run, cli_project: Path, good_frame: pd.DataFrame, tmp_path: Path
) -> None:
    frame = with_values(good_frame, 0, {BAD_COLUMN: BAD_VALUE})
    frame = with_values(frame, 1, {OTHER_COLUMN: OTHER_VALUE})
    result = run_cli("validate", _write(frame, tmp_path), "--config", cli_project / "params.yaml")
    _assert_clear_failure(result, "Validation failures", str(BAD_VALUE), str(OTHER_VALUE), BAD_CHECK, OTHER_CHECK)


def test_failed_validation_writes_a_markdown_report(
    run_cli: Run, cli_project: Path, good_frame: pd.DataFrame, tmp_path: Path
) -> None:
    value = outside_range(RANGED)
    frame = with_values(good_frame, 0, {RANGED.name: value})
    run_cli("validate", _write(frame, tmp_path), "--config", cli_project / "params.yaml")
    markdown = (cli_project / "reports" / "validation.md").read_text()
    assert "**failed**" in markdown
    low, high = RANGED.bounds  # type: ignore[misc]
    assert f"| `{RANGED.name}` | in_range({low}, {high}) | 1 | `{value}` |" in markdown


def test_data_that_fails_validation_never_reaches_training(
    run_cli: Run, make_project: Callable[..., Path], good_frame: pd.DataFrame, tmp_path: Path
) -> None:
    project = make_project("train-refused")
    frame = good_frame.copy()
    frame = with_values(frame, 0, {BAD_COLUMN: BAD_VALUE})
    result = run_cli("train", "--data", _write(frame, tmp_path), "--config", project / "params.yaml")
    _assert_clear_failure(result, BAD_COLUMN, str(BAD_VALUE))
    assert not (project / "data" / "split").exists(), "a failed validation must not write a split"
    assert not (project / "mlartifacts").exists(), "a failed validation must not log a model"


def test_unknown_config_key_lists_the_allowed_keys(run_cli: Run, make_project: Callable[..., Path]) -> None:
    project = make_project("typo", gates={"min_roc_acu": 0.7})
    result = run_cli("prepare", "--config", project / "params.yaml")
    _assert_clear_failure(result, "gates.min_roc_acu", "unknown key", "min_roc_auc")


def test_a_key_left_out_of_params_yaml_takes_its_default_from_the_code(make_project: Callable[..., Path]) -> None:
    project = make_project("missing_key")
    params = yaml.safe_load((project / "params.yaml").read_text())
    del params["gates"]["min_roc_auc"]
    (project / "params.yaml").write_text(yaml.safe_dump(params))
    assert load_settings(project / "params.yaml", environ={}).gates.min_roc_auc == GateSettings().min_roc_auc


def test_invalid_config_value_names_the_key_and_value(run_cli: Run, make_project: Callable[..., Path]) -> None:
    project = make_project("bad_value", data={"test_fraction": 1.5})
    result = run_cli("prepare", "--config", project / "params.yaml")
    _assert_clear_failure(result, "data.test_fraction", "1.5")


def test_missing_config_file_is_named(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("prepare", "--config", tmp_path / "absent.yaml")
    _assert_clear_failure(result, "config file not found", "absent.yaml")


def test_unknown_scenario_lists_the_choices(run_cli: Run, cli_project: Path) -> None:
    result = run_cli("generate", "--scenario", "meteor", "--config", cli_project / "params.yaml")
    _assert_clear_failure(result, "meteor", "covariate_shift")


def test_predict_without_a_registered_model_says_so(
    run_cli: Run, make_project, good_frame: pd.DataFrame, tmp_path: Path
) -> None:
    empty_project = make_project("no-model")
    path = _write(good_frame.drop(columns=[contract.LABEL]), tmp_path)
    result = run_cli("predict", path, "--config", empty_project / "params.yaml")
    _assert_clear_failure(result, "models:/adclick@champion")


@pytest.mark.slow  # a fresh interpreter per command
def test_installed_command_exits_non_zero_without_traceback(cli_project: Path, tmp_path: Path) -> None:
    """The real entry point, in a fresh process, as a user runs it."""
    config = str(cli_project / "params.yaml")
    command = [sys.executable, "-m", "adclick.cli", "validate", str(tmp_path / "missing.csv"), "--config", config]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60, check=False)
    assert completed.returncode != 0
    assert "Traceback" not in completed.stderr
    assert "missing.csv" in completed.stderr


@pytest.mark.parametrize(
    "argv",
    [["--no-such-option"], ["no-such-command"], ["train", "--no-such-option"], ["validate"]],
    ids=["unknown option", "unknown command", "unknown option of a command", "missing argument"],
)
def test_a_usage_error_is_one_line_and_exit_2(run_cli: Run, argv: list[str]) -> None:
    result = run_cli(*argv)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "--help" in result.stderr


def test_a_params_yaml_that_is_not_utf8_is_named_with_the_fix(run_cli: Run, cli_project: Path, tmp_path: Path) -> None:
    config = tmp_path / "params.yaml"
    config.write_bytes((cli_project / "params.yaml").read_bytes() + "# caf\u00e9\n".encode("latin-1"))
    result = run_cli("prepare", "--config", config)
    assert result.exit_code == 2
    _assert_clear_failure(result, str(config), "not UTF-8", "save it as UTF-8")


@pytest.mark.parametrize("content", ["[]", "{}", '{"model": "v1"}'], ids=["a list", "an empty mapping", "no version"])
def test_promote_from_a_file_that_is_not_an_evaluation_report_says_so(
    run_cli: Run, cli_project: Path, tmp_path: Path, content: str
) -> None:
    evaluation = tmp_path / "evaluation.json"
    evaluation.write_text(content)
    result = run_cli("promote", "--evaluation", evaluation, "--config", cli_project / "params.yaml")
    assert result.exit_code == 2
    _assert_clear_failure(result, str(evaluation), "not an evaluation report", "adclick evaluate")
