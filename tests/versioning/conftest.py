"""Fixtures of the versioning layer. DVC runs for real, in a scratch copy of the project with
its own git history: the data-versioning walkthrough (`make walkthrough`), then, in the project
it leaves, the changes a team makes next (a run with nothing changed, a changed parameter, a
corrupted file): the rehearsal, run once per session; each test checks one behaviour of it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from adclick.config import Settings, load_settings
from tests.helpers.versioning import REHEARSAL, Done, Rehearsal
from tools import walkthrough

REHEARSAL_TIMEOUT = 900  # seconds: the rehearsal takes two to three minutes on two busy cores


@pytest.fixture(scope="session")
def rehearsal(request: pytest.FixtureRequest) -> tuple[Path, dict[str, Any]]:
    """The walkthrough and the changes after it, run once (started early in the background by
    tests/conftest.py where cores are idle): the project it leaves and its transcript."""
    running = request.config.stash.get(REHEARSAL, None)
    if running is None:  # not started early: start it now and wait
        running = request.config.stash[REHEARSAL] = Rehearsal()
    return running.project, running.transcript(REHEARSAL_TIMEOUT)


@pytest.fixture(scope="session")
def walked(rehearsal: tuple[Path, dict[str, Any]]) -> tuple[Path, dict[str, walkthrough.Step]]:
    """`make walkthrough`'s project and every step by the command it ran."""
    project, transcript = rehearsal
    steps = [walkthrough.Step(**step) for step in transcript["steps"]]
    failed = [step for step in steps if step.returncode != 0]
    assert not failed, f"`{failed[0].command}` exited {failed[0].returncode}:\n{failed[0].output}"
    return project, {step.command: step for step in steps}


@pytest.fixture(scope="session")
def step_output(walked: tuple[Path, dict[str, walkthrough.Step]]) -> Callable[[str], str]:
    """The output of the walkthrough's first command that starts with `prefix`."""
    steps = walked[1]
    return lambda prefix: next(step.output for command, step in steps.items() if command.startswith(prefix))


@pytest.fixture(scope="session")
def dvc_project(walked: tuple[Path, dict[str, walkthrough.Step]]) -> Path:
    """The project the walkthrough leaves: data version 2 and its model, everything committed."""
    return walked[0]


@pytest.fixture(scope="session")
def dvc_runs(rehearsal: tuple[Path, dict[str, Any]], step_output: Callable[[str], str]) -> dict[str, Done]:
    """The pipeline as a team lives it: the walkthrough's first `dvc repro`, then another with
    nothing changed, a changed model parameter, the metrics against the last commit, a data
    file corrupted (`tests.helpers.versioning.next_changes`)."""
    runs = {name: Done(**run) for name, run in rehearsal[1]["runs"].items()}
    return {"first": Done("dvc repro", step_output("dvc repro"), 0), **runs}


@pytest.fixture(scope="session")
def dvc_settings(dvc_project: Path, dvc_runs: dict[str, Done]) -> Settings:
    """The project's settings once its changes have run: three trainings in its registry."""
    return load_settings(dvc_project / "params.yaml", environ={})


@pytest.fixture(scope="session")
def grid_project(
    make_project: Callable[..., Path], small_data: Any, small_split: tuple[Any, Any], small_fitted: Any
) -> Any:
    """A project whose champion is the session's model and whose split is where the pipeline
    writes it, with a 2 x 2 grid: what `adclick experiments` needs after `make demo`."""
    from adclick.data.files import write_frame
    from adclick.pipeline import Layout
    from tests.helpers.store import register_and_promote

    grid = {
        "model.hist_gradient_boosting.learning_rate": [0.05, 0.1],
        "model.hist_gradient_boosting.max_leaf_nodes": [7, 15],
    }
    config = make_project("grid", experiments={"validation_fraction": 0.2, "grid": grid}) / "params.yaml"
    project = register_and_promote(load_settings(config, environ={}), config, small_split, small_fitted)
    layout = Layout(project.settings)
    write_frame(small_split[0], layout.train)
    write_frame(small_split[1], layout.test)
    write_frame(small_data, layout.raw)
    return project


@pytest.fixture(scope="session")
def grid(grid_project: Any) -> dict[str, Any]:
    """`adclick experiments` on the grid project, run once in-process."""
    from adclick import pipeline

    return pipeline.experiments(grid_project.settings)


@pytest.fixture
def refused_evaluation(
    make_project: Callable[..., Path], small_split: tuple[Any, Any], small_fitted: Any, tmp_path: Path
) -> tuple[Path, Path]:
    """A project whose challenger (the session's model, registered and evaluated, no champion
    yet) is held to a floor above the AUC it reached: (params.yaml, its evaluation report)."""
    from adclick.atomic import write_json
    from adclick.tracking.evaluation import evaluate_model
    from adclick.tracking.training import train_and_register

    config = make_project(f"refused_{tmp_path.name}") / "params.yaml"
    settings = load_settings(config, environ={})
    ref = train_and_register(settings, *small_split, fitted=small_fitted).ref
    report = evaluate_model(settings, ref.uri, small_split[1], data_source="test")
    params = yaml.safe_load(config.read_text())
    params.setdefault("gates", {})["min_roc_auc"] = min(1.0, report["metrics"]["roc_auc"] + 0.01)
    config.write_text(yaml.safe_dump(params, sort_keys=False))
    return config, write_json(tmp_path / "evaluation.json", report)
