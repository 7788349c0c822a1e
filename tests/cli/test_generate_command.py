"""`adclick generate` draws the reference data or a named scenario, where it is told to."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from adclick.data import demo
from adclick.data.synthetic import SCENARIOS
from tests.helpers.cli import Run


def test_scenario_written_to_output_leaves_the_pipeline_files_alone(
    run_cli: Run, make_project: Callable[..., Path]
) -> None:
    project = make_project("scenario", data={"scoring_rows": 300})
    output = project / "drift" / "unseen.csv"

    result = run_cli(
        "generate",
        "--scenario",
        "unseen_category",
        "--rows",
        "500",
        "--output",
        output,
        "--config",
        project / "params.yaml",
    )

    assert result.exit_code == 0, result.stderr
    assert len(pd.read_csv(output)) == 500
    column = SCENARIOS["unseen_category"].columns[0]
    unseen = set(pd.read_csv(output)[column]) - set(demo.SPECS[column].vocabulary or ())
    assert unseen, f"the scenario's unseen level of {column} is missing"
    assert len(pd.read_csv(project / "drift" / "unseen.to_score.csv")) == 300
    assert not (project / "data").exists(), "generate --output must not write the pipeline's data folder"


def test_generate_without_output_refuses_to_overwrite_a_file_sources_data(
    run_cli: Run, make_project: Callable[..., Path], tmp_path: Path
) -> None:
    team_file = tmp_path / "team.csv"
    project = make_project("team-source", data={"source": str(team_file)})
    result = run_cli("generate", "--config", project / "params.yaml")
    assert result.exit_code != 0
    assert "`adclick prepare` writes the pipeline's data" in result.stderr
    assert not (project / "data").exists()
