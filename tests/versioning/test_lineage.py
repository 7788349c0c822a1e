"""Every training records its lineage on its MLflow run: the git commit (and a dirty tree), the
DVC hash of each data file it read, a hash of its parameters; `adclick lineage` reads it back."""

from __future__ import annotations

import pytest
import yaml

from adclick import pipeline
from adclick.tracking.lineage import parameters_sha256
from tests.helpers.cli import invoke
from tests.helpers.versioning import dvc_lock_md5, shell

pytestmark = pytest.mark.ml_test_score("infra-1", "infra-5")

# The walkthrough trains version 1 on data version 1 and version 2 on data version 2 (tags
# data-v1 and data-v2, each on the commit after its run); the changed parameter trains version 3.
FIRST, CHANGED = "models:/adclick/1", "models:/adclick/3"


def test_lineage_points_at_the_commit_the_model_was_trained_at(dvc_project, dvc_settings) -> None:
    before_its_run = shell(dvc_project, "git rev-parse data-v1~1").output
    assert pipeline.lineage(dvc_settings, FIRST)["code"]["commit"] == before_its_run


def test_lineage_of_a_training_from_a_clean_tree_says_so(dvc_settings) -> None:
    assert pipeline.lineage(dvc_settings, FIRST)["code"]["dirty"] is False


def test_lineage_records_the_data_hashes_dvc_records(dvc_project, dvc_settings) -> None:
    lock = shell(dvc_project, "git show data-v1:dvc.lock").output
    data = [item for item in pipeline.lineage(dvc_settings, FIRST)["data"] if item["role"] != "source"]
    assert {item["role"] for item in data} == {"labelled", "train", "test"}
    assert all(item["md5"] == dvc_lock_md5(lock, item["path"]) for item in data)


def test_lineage_records_the_source_files_dvc_pointer(dvc_project, dvc_settings) -> None:
    source = next(item for item in pipeline.lineage(dvc_settings, FIRST)["data"] if item["role"] == "source")
    pointer = yaml.safe_load(shell(dvc_project, f"git show data-v1:{source['path']}.dvc").output)
    assert source["md5"] == pointer["outs"][0]["md5"]


def test_lineage_marks_a_training_from_an_uncommitted_change(dvc_project, dvc_settings) -> None:
    code = pipeline.lineage(dvc_settings, CHANGED)["code"]
    assert code["commit"] == shell(dvc_project, "git rev-parse HEAD").output
    assert code["dirty"] is True
    assert "params.yaml" in code["changed"]


def test_the_parameter_hash_is_of_the_parameters_the_training_used(dvc_settings) -> None:
    found = pipeline.lineage(dvc_settings, CHANGED)["params"]
    assert found["sha256"] == parameters_sha256(dvc_settings.training_parameters())


def test_a_changed_model_parameter_changes_the_parameter_hash(dvc_settings) -> None:
    first, changed = (pipeline.lineage(dvc_settings, uri)["params"]["sha256"] for uri in (FIRST, CHANGED))
    assert first != changed


def test_a_threshold_outside_training_leaves_the_parameter_hash_alone(dvc_settings) -> None:
    stricter = dvc_settings.with_overrides({"gates.min_roc_auc": 0.5})
    assert parameters_sha256(stricter.training_parameters()) == parameters_sha256(dvc_settings.training_parameters())


def test_the_lineage_command_says_how_to_reproduce(dvc_project, dvc_settings) -> None:
    result = invoke("lineage", FIRST, "--config", dvc_project / "params.yaml")
    commit = pipeline.lineage(dvc_settings, FIRST)["code"]["commit"]
    assert result.exit_code == 0, result.stderr
    assert f"git checkout {commit}" in result.stdout
    assert "dvc checkout" in result.stdout
