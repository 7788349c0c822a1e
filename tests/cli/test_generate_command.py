"""`adclick generate` draws the reference data or a named scenario, where it is told to."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

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
    assert "toys" in set(pd.read_csv(output)["ad_category"]), "the scenario's unseen category is missing"
    assert len(pd.read_csv(project / "drift" / "unseen.to_score.csv")) == 300
    assert not (project / "data").exists(), "generate --output must not write the pipeline's data folder"
