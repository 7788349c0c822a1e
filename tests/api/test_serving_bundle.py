"""The serving bundle (`tracking.bundle`): a registered version exported once, which the service
loads without MLflow or scikit-learn, and exports again whenever the registry changed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from adclick.model.predict import probabilities
from adclick.tracking import bundle
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
    script = (
        "import json, sys\n"
        "from adclick.config import load_settings\n"
        "from adclick.serve.state import ModelHolder\n"
        f"holder = ModelHolder(load_settings({str(served.config)!r}), {served.champion.uri!r}, exporter=None)\n"
        "reason = holder.load(refresh=False)\n"
        "print(json.dumps({'reason': reason, 'form': holder.current and holder.current.form,\n"
        "                  'loaded': sorted(m for m in ('mlflow', 'sklearn', 'scipy.stats') if m in sys.modules)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path.cwd())
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer == {"reason": None, "form": "compiled", "loaded": []}
