"""The data under test (a generated sample, or `pytest tests/data --data PATH`) meets the contract.

This is how a team checks a new data file before training on it: the same schema and
data-set rules as `adclick validate`, plus the integrity checks of test_integrity.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from adclick.config import Settings
from adclick.data.files import write_frame
from adclick.data.validation import validate
from adclick.errors import DataValidationError
from adclick.pipeline.steps import write_validation_report
from tests.helpers.cases import BOUNDED, outside_range, with_values
from tests.helpers.data import DataUnderTest
from tests.helpers.project import REPO_ROOT


def test_data_under_test_passes_the_raw_schema_and_data_set_rules(
    data_under_test: DataUnderTest, params: Settings, reports_dir: Path
) -> None:
    """Also writes reports/validation.json and .md, the data section of the CI report."""
    frame, source = data_under_test.frame, data_under_test.source
    report = {"source": source, "rows": len(frame), "labelled": True, "passed": True, "failures": []}
    try:
        validate(frame, limits=params.data_checks, source=source)
    except DataValidationError as failed:
        write_validation_report(
            reports_dir / "validation.json", {**report, "passed": False, "failures": failed.failures}
        )
        raise
    write_validation_report(reports_dir / "validation.json", report)


def _run_data_layer(data: Path) -> subprocess.CompletedProcess[str]:
    """The data layer on `data`, in a fresh pytest whose reports go beside the file, not into reports/."""
    command = [sys.executable, "-m", "pytest", "tests/data/test_data_file.py", "tests/data/test_integrity.py"]
    command += [
        "--data",
        str(data),
        "--reports-dir",
        str(data.parent),
        "-p",
        "no:cacheprovider",
        "-k",
        "not data_layer",
    ]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
def test_data_layer_passes_on_a_good_file(tmp_path: Path, small_data: pd.DataFrame) -> None:
    path = write_frame(small_data, tmp_path / "good.parquet")
    completed = _run_data_layer(path)
    assert completed.returncode == 0, completed.stdout[-2_000:]
    assert f"adclick data: {path}" in completed.stdout


@pytest.mark.slow
def test_data_layer_fails_on_a_broken_file_naming_the_column(tmp_path: Path, small_data: pd.DataFrame) -> None:
    ranged = BOUNDED[0]
    broken = with_values(small_data, 0, {ranged.name: outside_range(ranged)})
    path = write_frame(broken, tmp_path / "out_of_range.csv")
    completed = _run_data_layer(path)
    assert completed.returncode == 1, completed.stdout[-2_000:]
    assert f"column '{ranged.name}' failed in_range" in completed.stdout
    low, high = ranged.bounds  # type: ignore[misc]
    assert f"| `{ranged.name}` | in_range({low}, {high}) |" in (tmp_path / "validation.md").read_text()
