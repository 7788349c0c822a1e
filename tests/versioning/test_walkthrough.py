"""The data-versioning walkthrough (`make walkthrough`) does what it says: two versions of a
data file, the difference, back to the first byte for byte, and a model trained on each."""

from __future__ import annotations

import subprocess

import yaml

from adclick.tracking.lineage import file_md5
from tools.walkthrough import DATA


def _pointer_md5(text: str) -> str:
    return str(yaml.safe_load(text)["outs"][0]["md5"])


def test_git_keeps_a_pointer_to_the_data_not_the_data(walked) -> None:
    project, _ = walked
    tracked = set(subprocess.run(["git", "ls-files"], cwd=project, capture_output=True, text=True).stdout.split())
    assert f"{DATA}.dvc" in tracked
    assert DATA not in tracked


def test_dvc_diff_names_the_new_version_of_the_file(step_output) -> None:
    diff = step_output("dvc diff")  # the first: the workspace against the last commit
    assert "Modified:" in diff, diff
    assert DATA in diff, diff


def test_checkout_brings_back_version_1_byte_for_byte(step_output) -> None:
    version_1 = _pointer_md5(step_output(f"cat {DATA}.dvc"))
    assert step_output(f"md5sum {DATA}").split()[0] == version_1


def test_after_checkout_the_pipeline_is_up_to_date_with_version_1(step_output) -> None:
    assert "Data and pipelines are up to date." in step_output("dvc status")


def test_each_model_learnt_from_its_own_version_of_the_data(walked, step_output) -> None:
    project, _ = walked
    version_1 = _pointer_md5(step_output(f"cat {DATA}.dvc"))
    version_2 = _pointer_md5((project / f"{DATA}.dvc").read_text())  # the walkthrough ends on the latest
    model_1 = step_output("adclick lineage models:/adclick/1")
    model_2 = step_output("adclick lineage models:/adclick/2")
    assert version_1 != version_2
    assert f"{DATA} (source) md5 {version_1}" in model_1
    assert f"{DATA} (source) md5 {version_2}" in model_2


def test_the_walkthrough_ends_on_the_latest_version(walked) -> None:
    project, _ = walked
    assert file_md5(project / DATA) == _pointer_md5((project / f"{DATA}.dvc").read_text())
