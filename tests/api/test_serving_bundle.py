"""The serving bundle (`serve.bundle`): a registered version exported once, which the service
loads without MLflow or scikit-learn, and exports again whenever the registry changed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from adclick.atomic import read_json, write_json
from adclick.config import Settings
from adclick.model.predict import probabilities
from adclick.serve import bundle
from adclick.serve.compiled import machine_code
from adclick.tracking.registry import load_sklearn
from tests.helpers.api import Served
from tests.helpers.store import TrainedProject

pytestmark = pytest.mark.ml_test_score("infra-6")


def test_an_exported_version_predicts_what_the_registered_pipeline_predicts(
    served: Served, trained_project: TrainedProject
) -> None:
    exported = bundle.read(bundle.export(served.settings, served.champion.uri), served.champion.uri)
    registered, _ = load_sklearn(trained_project.client, served.champion.uri)
    rows = trained_project.test.head(200)
    assert exported.compiled is not None
    np.testing.assert_allclose(
        exported.compiled.predict_proba(rows)[:, 1],
        probabilities(registered, rows),
        rtol=0,
        atol=served.settings.serve.compiled_max_difference,
    )
    np.testing.assert_array_equal(probabilities(exported.pipeline(), rows), probabilities(registered, rows))


def test_an_export_names_the_version_the_uri_resolves_to(served: Served) -> None:
    exported = bundle.read(bundle.export(served.settings, served.champion.uri), served.champion.uri)
    assert (exported.ref.version, exported.ref.alias) == (served.champion.version, served.champion.alias)


def test_the_last_export_is_fresh_until_the_registry_changes(served: Served, trained_project: TrainedProject) -> None:
    folder = bundle.export(served.settings, served.champion.uri)
    assert bundle.fresh(served.settings, served.champion.uri) == folder.resolve()
    trained_project.client.set_model_version_tag(served.champion.name, served.champion.version, "touched", "yes")
    assert bundle.fresh(served.settings, served.champion.uri) is None


def test_a_uri_never_exported_has_no_fresh_bundle(served: Served) -> None:
    assert bundle.fresh(served.settings, f"models:/{served.champion.name}/999") is None


def test_the_service_imports_neither_mlflow_nor_scikit_learn_to_serve_a_fresh_bundle(served: Served) -> None:
    """What lets it start in a fraction of `mlflow models serve`'s time and memory."""
    bundle.export(served.settings, served.champion.uri)
    answer = _load_in_a_fresh_process(served, refresh=False)
    assert answer == {"reason": None, "engine": "native" if machine_code.compiler() else "treelite", "loaded": []}


def test_the_service_exports_in_a_child_process_so_neither_mlflow_nor_scikit_learn_enters_it(served: Served) -> None:
    """A reload asks the registry again: the export runs in a child (`bundle.export_in_child`)."""
    answer = _load_in_a_fresh_process(served, refresh=True)
    assert answer == {"reason": None, "engine": "native" if machine_code.compiler() else "treelite", "loaded": []}


def _load_in_a_fresh_process(served: Served, refresh: bool) -> dict[str, Any]:
    """What a new process with the service's default exporter loads, and which of the heavy
    libraries it imported meanwhile."""
    script = (
        "import json, sys\n"
        "from adclick.config import load_settings\n"
        "from adclick.serve.state import ModelHolder\n"
        f"holder = ModelHolder(load_settings({str(served.config)!r}), {served.champion.uri!r}, exporter=None)\n"
        f"reason = holder.load(refresh={refresh})\n"
        "print(json.dumps({'reason': reason, 'engine': holder.current and holder.current.engine,\n"
        "                  'loaded': sorted(m for m in ('mlflow', 'sklearn', 'scipy.stats') if m in sys.modules)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path.cwd())
    return json.loads(done.stdout.strip().splitlines()[-1])


def _serving_into(settings: Settings, folder: Path) -> Settings:
    return settings.model_copy(update={"paths": settings.paths.model_copy(update={"serving_dir": folder})})


def test_without_a_c_compiler_the_bundle_says_why_and_treelite_walks_the_trees(
    served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CC", "no-such-compiler")
    folder = bundle.export(_serving_into(served.settings, tmp_path), served.champion.uri)
    assert "CC=no-such-compiler is not on PATH" in read_json(folder / bundle.MANIFEST)["native_not_built_because"]
    assert bundle.read(folder, served.champion.uri).compiled_forms()[0].engine == "treelite"


def test_a_failed_build_leaves_treelite_walking_the_trees_and_the_compilers_output_in_the_bundle(
    served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CC", "false")  # found on PATH, fails whatever it is asked
    folder = bundle.export(_serving_into(served.settings, tmp_path), served.champion.uri)
    assert "building with false failed" in read_json(folder / bundle.MANIFEST)["native_not_built_because"]
    assert (folder / machine_code.BUILD_LOG).is_file()
    assert bundle.read(folder, served.champion.uri).compiled_forms()[0].engine == "treelite"


def test_machine_code_that_does_not_load_here_leaves_treelite_walking_the_trees_and_says_why(
    served: Served, tmp_path: Path
) -> None:
    """A bundle carried to another platform: its library cannot be mapped, the trees still serve."""
    folder = Path(shutil.copytree(bundle.export(served.settings, served.champion.uri), tmp_path / "carried"))
    (folder / machine_code.NATIVE_FILE).write_bytes(b"not a shared library")
    exported = bundle.read(folder, served.champion.uri)
    assert exported.compiled_forms()[0].engine == "treelite"
    assert f"{machine_code.NATIVE_FILE} does not load here" in str(exported.not_native_because)


def test_a_bundle_of_an_older_format_is_exported_again(served: Served, tmp_path: Path) -> None:
    """An upgrade of this template reaches bundles exported before it (format 1 had no machine code)."""
    settings = _serving_into(served.settings, tmp_path)
    folder = bundle.export(settings, served.champion.uri)
    write_json(folder / bundle.MANIFEST, {**read_json(folder / bundle.MANIFEST), "format": bundle.BUNDLE_FORMAT - 1})
    assert bundle.fresh(settings, served.champion.uri) is None
    bundle.export(settings, served.champion.uri)
    assert read_json(folder / bundle.MANIFEST)["format"] == bundle.BUNDLE_FORMAT


def test_without_the_compiled_engines_the_bundle_serves_the_pipeline_and_says_why(
    served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A team that deleted serve/compiled/ (docs/serving.md): the bundle holds the pipeline alone."""
    monkeypatch.setattr(bundle, "trees", None)
    monkeypatch.setattr(bundle, "machine_code", None)
    folder = bundle.export(_serving_into(served.settings, tmp_path), served.champion.uri)
    exported = bundle.read(folder, served.champion.uri)
    assert exported.compiled_forms() == []
    assert "not installed" in read_json(folder / bundle.MANIFEST)["not_compiled_because"]
    assert hasattr(exported.pipeline(), "predict_proba")
