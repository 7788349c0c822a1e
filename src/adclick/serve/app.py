"""The prediction service, composed: the model holder (`serve.state`), the metrics it reports
(`serve.prometheus`, `serve.watch`), the endpoints (`serve.routes`) and the body limit
(`serve.middleware`). A model that cannot be loaded does not stop the process: /ready and
/predict say why (503).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from adclick.serve import heap, routes
from adclick.serve.middleware import MeasureAndLimit
from adclick.serve.prometheus import ServiceMetrics, alert_thresholds
from adclick.serve.request_contract import PredictRequest, invalid
from adclick.serve.state import Exporter, ModelHolder
from adclick.serve.watch import InputWatch, ModelWatch, Reference
from adclick.tracking.registry import alias_uri

if TYPE_CHECKING:
    import pandas as pd

    from adclick.config import Settings


def create_app(
    settings: Settings,
    model_uri: str | None = None,
    *,
    reload_token: str | None = None,
    reference: pd.DataFrame | Callable[[], pd.DataFrame | None] | None = None,
    exporter: Exporter | None = None,
    freeze_heap: bool = False,
    load_in_background: bool = False,
) -> FastAPI:
    """The service for `model_uri` (default: the registry alias in params.yaml's `serve`).

    `reload_token` enables `POST /admin/reload` (else 403). `reference`, the rows the model was
    trained on (or how to read them), feeds the drift gauges of `/metrics`. `exporter` turns a
    model URI into a bundle's folder (default: `serve.bundle.export_in_child`). `freeze_heap`, for
    a process of its own, keeps long-lived objects out of the collector's walks (`serve.heap`).
    `load_in_background` answers `/health` while the model loads, so that a liveness probe does
    not restart a service that is only starting (`/ready` says 503 until a model serves).
    """
    training_rows = Reference(reference)
    holder = ModelHolder(settings, model_uri or alias_uri(settings, settings.serve.model_alias), exporter)
    settle_heap = functools.partial(heap.freeze_long_lived, collect=False) if freeze_heap else None

    def start() -> None:
        holder.load(refresh=False)
        if freeze_heap:
            heap.freeze_long_lived(collect=True)
        # for /metrics: the service is ready without it
        training_rows.read_in_background(then=settle_heap)

    inputs = InputWatch(training_rows, settings.drift, settings.monitoring.window_rows)
    metrics = ServiceMetrics(inputs, ModelWatch(holder, training_rows), thresholds=alert_thresholds(settings))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if load_in_background:
            threading.Thread(target=start, name="adclick-start", daemon=True).start()
        else:
            start()
        yield

    app = FastAPI(
        title="adclick",
        version="1",
        summary="Click probability of personalised ads, from the registry's champion.",
        lifespan=lifespan,
    )
    app.state.holder, app.state.metrics, app.state.reference = holder, metrics, training_rows
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    served_routes = routes.include(
        app,
        routes.probes(settings, holder, metrics),
        routes.prediction(settings, holder, metrics),
        routes.admin(holder, reload_token, settle_heap),
    )
    app.add_middleware(
        MeasureAndLimit, metrics=metrics, max_body_bytes=settings.serve.max_body_bytes, routes=served_routes
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


async def _invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
    return invalid(list(exc.errors()))


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the request models /predict validates itself."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        request_schema = PredictRequest.model_json_schema(ref_template="#/components/schemas/{model}")
        components = document.setdefault("components", {}).setdefault("schemas", {})
        components.update(request_schema.pop("$defs", {}))
        components["PredictRequest"] = request_schema
        app.openapi_schema = document
    return app.openapi_schema
