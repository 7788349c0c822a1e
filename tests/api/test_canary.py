"""Models are canaried before serving: at start-up and on every reload, the service replays the
rows the model scored at training through the request path, and serves it only if it answers
the same (`serve.canary_max_difference` in params.yaml)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from adclick.serve import state
from adclick.tracking.training import CANARY_ROWS
from tests.helpers.api import Served, move_registry, service
from tests.helpers.compiled import require_compiler

pytestmark = pytest.mark.ml_test_score("infra-6")
TOKEN = {"Authorization": "Bearer right"}


class AnswersOtherwise:
    """The registered model, as it would behave where a library or a preprocessing step differs."""

    def __init__(self, model: Any, shift: float) -> None:
        self.model, self.shift = model, shift

    def predict_proba(self, frame: Any) -> np.ndarray:
        proba = self.model.predict_proba(frame)
        return np.clip(proba + np.array([-self.shift, self.shift]), 0, 1)


class CannotScore:
    def predict_proba(self, frame: Any) -> np.ndarray:
        raise ValueError("columns are missing: the service builds frames the model does not know")


def _loaded_as(
    monkeypatch: pytest.MonkeyPatch, wrap: Any, *, pipeline_too: bool = True, compiled_forms: int | None = None
) -> None:
    """The models the service loads wrapped by `wrap`: the compiled forms (the first
    `compiled_forms` of them, fastest first, or all), and the pipeline unless told."""
    real = state.bundle.read

    def read(folder: Any, uri: str) -> Any:
        exported = real(folder, uri)
        forms = exported.compiled_forms()
        wrapped = [
            wrap(form) if compiled_forms is None or index < compiled_forms else form for index, form in enumerate(forms)
        ]
        pipeline = wrap(exported.pipeline()) if pipeline_too else exported.pipeline()
        return SimpleNamespace(**{**vars(exported), "compiled_forms": lambda: wrapped, "pipeline": lambda: pipeline})

    monkeypatch.setattr(state.bundle, "read", read)


def test_the_model_served_passed_its_canary(client: TestClient, served: Served) -> None:
    canary = client.get("/ready").json()["canary"]
    assert canary["rows"] == CANARY_ROWS
    assert canary["max_difference"] <= served.settings.serve.canary_max_difference


def test_a_model_that_answers_otherwise_than_at_training_is_not_served(served: Served, monkeypatch) -> None:
    _loaded_as(monkeypatch, lambda model: AnswersOtherwise(model, 0.01))
    with TestClient(service(served.settings)) as test_client:
        ready = test_client.get("/ready")
    assert ready.status_code == 503
    assert "failed its canary" in ready.json()["reason"]
    assert "canary_max_difference" in ready.json()["reason"]


def test_a_model_that_cannot_score_the_canary_records_is_not_served(served: Served, monkeypatch) -> None:
    _loaded_as(monkeypatch, lambda model: CannotScore())
    with TestClient(service(served.settings)) as test_client:
        ready = test_client.get("/ready")
    assert ready.status_code == 503
    assert "do not score" in ready.json()["reason"]


def test_a_reload_to_a_model_failing_its_canary_keeps_serving_the_current_one(
    served: Served, records: list[dict[str, Any]], monkeypatch
) -> None:
    with TestClient(service(served.settings, reload_token="right")) as test_client:
        _loaded_as(monkeypatch, lambda model: AnswersOtherwise(model, 0.01))
        move_registry(served.settings)  # an unchanged registry is not loaded again
        answer = test_client.post("/admin/reload", headers=TOKEN)
        predicted = test_client.post("/predict", json={"records": records[:1]})
    assert answer.status_code == 503
    assert "failed its canary" in answer.json()["detail"]
    assert predicted.json()["predictions"][0]["model_version"] == served.champion.version


def test_the_service_answers_with_the_compiled_model(client: TestClient) -> None:
    assert client.get("/model").json()["form"] == "compiled"


def test_a_compiled_model_that_fails_its_canary_leaves_the_pipeline_serving(served: Served, monkeypatch) -> None:
    _loaded_as(monkeypatch, lambda model: AnswersOtherwise(model, 0.01), pipeline_too=False)
    with TestClient(service(served.settings)) as test_client:
        ready, model = test_client.get("/ready"), test_client.get("/model")
    assert ready.status_code == 200
    assert model.json()["form"] == "pipeline"
    assert ready.json()["canary"]["max_difference"] <= served.settings.serve.canary_max_difference


def test_the_service_runs_the_compiled_trees_as_machine_code(client: TestClient) -> None:
    require_compiler()
    assert client.get("/model").json()["engine"] == "native"


def test_machine_code_that_fails_its_canary_leaves_treelite_walking_the_trees(served: Served, monkeypatch) -> None:
    require_compiler()
    _loaded_as(monkeypatch, lambda model: AnswersOtherwise(model, 0.01), pipeline_too=False, compiled_forms=1)
    with TestClient(service(served.settings)) as test_client:
        model = test_client.get("/model").json()
    assert (model["form"], model["engine"]) == ("compiled", "treelite")
