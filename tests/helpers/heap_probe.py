"""Run as `python -m tests.helpers.heap_probe CONFIG MODEL_URI`: serve in this process with
`freeze_heap`, as `adclick serve` does, and print as JSON which objects a garbage collection
still walks (`serve.heap`). A process of its own, so that the test session's heap stays as it is."""

from __future__ import annotations

import gc
import json
import sys
import threading
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

from adclick.config import load_settings
from adclick.data.contract import MODEL_FEATURES
from adclick.serve import bundle
from adclick.serve.app import create_app
from tests.helpers.api import move_registry

TOKEN = "probe"


def _walked(*objects: object) -> list[bool]:
    """Whether each object is among those a full collection walks."""
    walked = {id(tracked) for tracked in gc.get_objects()}
    return [id(one) in walked for one in objects]


def main(config: str, uri: str) -> dict[str, bool]:
    settings = load_settings(Path(config))
    training_rows = pd.DataFrame({column: [] for column in MODEL_FEATURES})
    exported = bundle.fresh(settings, uri) or bundle.export(settings, uri)  # a reload reads it again: no MLflow
    app = create_app(
        settings,
        uri,
        reload_token=TOKEN,
        reference=lambda: training_rows,
        exporter=lambda _: exported,
        freeze_heap=True,
    )
    with TestClient(app) as client:
        for thread in threading.enumerate():
            if thread.name == "adclick-reference":
                thread.join(timeout=60)
        made_after = [object()]  # the control: what the service makes from now on is walked as before
        model, reference = app.state.holder.current.model, app.state.reference.frame
        started_model, started_reference, control = _walked(model, reference, made_after)
        move_registry(settings)  # an unchanged registry is not loaded again
        client.post("/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}).raise_for_status()
        (reloaded_model,) = _walked(app.state.holder.current.model)
    return {
        "model loaded at start-up": started_model,
        "training rows read after start-up": started_reference,
        "model loaded by a reload": reloaded_model,
        "object made afterwards": control,
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:3])))
