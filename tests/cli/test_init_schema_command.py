"""`adclick init-schema` drafts the two files a team edits, from its own file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from adclick.data import contract
from tests.helpers.cli import Run


@pytest.fixture(scope="module")
def team_file(small_data: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("team") / "team.csv"
    small_data.head(500).to_csv(path, index=False)
    return path


def test_init_schema_writes_a_schema_module_and_a_params_block(run_cli: Run, team_file: Path, tmp_path: Path) -> None:
    positive = "1"  # the data under test is canonical: its label is 1 or 0
    result = run_cli("init-schema", team_file, "--label", contract.LABEL, "--positive", positive, "--output", tmp_path)
    assert result.exit_code == 0, result.stderr
    module = (tmp_path / "specs.py").read_text()
    assert f"LABEL = {contract.LABEL!r}".replace("'", '"') in module
    said = " ".join(result.stdout.split())
    left_out = [name for name in contract.FEATURES if f'"{name}"' not in module]
    assert all(f"'{name}': always" in said for name in left_out), f"left out without a word: {left_out}"
    assert f"source: {team_file}" in (tmp_path / "params-data.yaml").read_text()
    assert "src/adclick/data/specs.py" in result.stdout, "it says where the draft goes"


def test_init_schema_with_an_unknown_label_lists_the_columns_and_writes_nothing(
    run_cli: Run, team_file: Path, tmp_path: Path
) -> None:
    result = run_cli("init-schema", team_file, "--label", "outcome", "--positive", "yes", "--output", tmp_path)
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert "no column 'outcome' for --label; the file has:" in result.stderr
    assert not (tmp_path / "specs.py").exists()
