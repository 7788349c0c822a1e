"""The pipeline as DVC stages (dvc.yaml): the same steps as `adclick pipeline`, each declaring
what it reads and writes, so that DVC re-runs only what a change touches."""

from __future__ import annotations

import pytest
import yaml

from adclick.config import TRAINING_PARAMETERS
from adclick.pipeline import STEPS, Layout
from tests.helpers.project import REPO_ROOT
from tests.helpers.versioning import scratch_project, shell

pytestmark = pytest.mark.ml_test_score("infra-3")

DVC_YAML = yaml.safe_load((REPO_ROOT / "dvc.yaml").read_text())
STAGES = DVC_YAML["stages"]
REGISTRY_STAGES = ("train", "evaluate", "promote", "predict", "drift")  # they change or read the MLflow registry


def _outputs(stage: dict) -> list:
    return [*stage.get("outs", []), *stage.get("metrics", []), *stage.get("plots", [])]


def test_the_stages_are_the_pipeline_steps_in_order() -> None:
    assert tuple(STAGES) == STEPS


@pytest.mark.parametrize("name", list(STAGES))
def test_each_stage_declares_what_it_reads_and_writes(name: str) -> None:
    assert STAGES[name]["deps"]
    assert _outputs(STAGES[name])


def test_the_train_stage_depends_on_the_parameters_the_lineage_hashes() -> None:
    assert tuple(STAGES["train"]["params"]) == TRAINING_PARAMETERS


@pytest.mark.parametrize("name", REGISTRY_STAGES)
def test_a_stage_that_touches_the_registry_is_never_restored_from_the_run_cache(name: str) -> None:
    """DVC's run cache skips a stage whose outputs persist: a stage whose truth is the MLflow
    registry must run, not have yesterday's files restored beside today's registry."""
    assert all(isinstance(out, dict) and next(iter(out.values())).get("persist") for out in _outputs(STAGES[name]))


def test_a_fresh_clone_prepares_its_data_from_the_configured_source(tmp_path) -> None:
    """The first stage on the template as cloned (the demo, or a team's file): the later stages
    are the same commands whatever the source, and the walkthrough runs them all."""
    project = scratch_project(tmp_path)
    prepared = shell(project, "dvc repro prepare")
    assert prepared.returncode == 0, prepared.output
    assert prepared.stages_run == ["prepare"]


def test_repro_runs_every_stage(dvc_runs) -> None:
    assert dvc_runs["first"].stages_run == list(STEPS)


def test_a_repro_with_nothing_changed_runs_nothing(dvc_runs) -> None:
    again = dvc_runs["again"]
    assert again.returncode == 0, again.output
    assert again.stages_run == []


def test_a_changed_model_parameter_reruns_training_and_what_follows_not_preparation(dvc_runs) -> None:
    changed = dvc_runs["changed_parameter"]
    assert changed.returncode == 0, changed.output
    assert changed.stages_run == list(STEPS[STEPS.index("train") :])


def test_metrics_diff_shows_the_changed_roc_auc(dvc_runs) -> None:
    diff = dvc_runs["metrics_diff"].json()
    auc = next(metrics["roc_auc"] for path, metrics in diff.items() if path.endswith("metrics.json"))
    assert auc["old"] != auc["new"], auc


def test_dvc_status_names_a_corrupted_data_file(dvc_runs, dvc_settings) -> None:
    labelled = Layout(dvc_settings).raw.relative_to(dvc_settings.root).as_posix()
    status = dvc_runs["status_after_corruption"].json()
    assert {"changed outs": {labelled: "modified"}} in status["prepare"], status
