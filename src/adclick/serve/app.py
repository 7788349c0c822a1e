"""The prediction service: FastAPI serving the registry's champion, on demand.

- `POST /predict` scores one record or a batch through `adclick.model.predict.score_rows`, the path
  batch scoring uses; the request model comes from the data contract (`serve.request_contract`);
- `GET /health` (alive), `GET /ready` (model loaded, or why not), `GET /model` (which model,
  its training metrics, the input schema), `GET /metrics` (Prometheus);
- `POST /admin/reload` (bearer token given at start-up) loads the alias again and swaps the
  model in one assignment: a request in flight finishes with the model it started with.

Bad input is a 4xx with a JSON body naming the field path and the value, never a 5xx. A model
that cannot be loaded does not stop the process: /ready and /predict say why (503).
"""

from __future__ import annotations

import functools
import secrets
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import orjson
from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from adclick.data.contract import DECISION, ID_COLUMN, PROBABILITY
from adclick.model.predict import score_rows
from adclick.serve import heap
from adclick.serve.fastpath import fast_frame
from adclick.serve.middleware import MeasureAndLimit
from adclick.serve.prometheus import ServiceMetrics, alert_thresholds
from adclick.serve.request_contract import (
    Invalid,
    PredictRequest,
    PredictResponse,
    Record,
    Refused,
    error,
    invalid,
    is_json,
    records_frame,
    row_rule_errors,
)
from adclick.serve.state import Exporter, ModelHolder
from adclick.serve.watch import InputWatch, ModelWatch, Reference
from adclick.tracking.registry import alias_uri

if TYPE_CHECKING:
    import pandas as pd

    from adclick.config import Settings

RELOAD_TOKEN_ENV = "ADCLICK_RELOAD_TOKEN"  # read once, by `adclick serve`, and passed in
# A few rows scored by the compiled model cost less than handing them to the thread pool and
# back, a round trip a busy machine delays (docs/serving.md): they are scored on the event loop.
# Larger requests, and any served by the pipeline, go to the pool.
INLINE_BELOW_ROWS = 20


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

    `reload_token` enables `POST /admin/reload`; without one, reload answers 403. `reference`
    (validated rows the model was trained on, or how to read them) feeds the drift gauge of
    `/metrics`. `exporter` exports a model URI to a bundle (`serve.state`). `freeze_heap` (for a
    process of its own, as `adclick serve` is) moves what start-up, the reference and each reload
    leave alive out of the garbage collector's walks (`serve.heap`). `load_in_background` (as
    `adclick serve` does) answers `/health` from the first second while the model is exported
    and loaded, so that a liveness probe does not restart a service that is only starting;
    `/ready` says 503 until a model serves.
    """
    training_rows = Reference(reference)
    uri = model_uri or alias_uri(settings, settings.serve.model_alias)
    holder = ModelHolder(settings, uri, exporter)
    settle_heap = functools.partial(heap.freeze_long_lived, collect=False) if freeze_heap else None
    inputs = InputWatch(training_rows, settings.drift, settings.monitoring.window_rows)
    metrics = ServiceMetrics(inputs, ModelWatch(holder, training_rows), thresholds=alert_thresholds(settings))

    def start() -> None:
        holder.load(refresh=False)
        if freeze_heap:
            heap.freeze_long_lived(collect=True)
        # for /metrics: the service is ready without it
        training_rows.read_in_background(then=settle_heap)

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
    routes = _include(
        app,
        _probes(settings, holder, metrics),
        _prediction(settings, holder, metrics),
        _admin(holder, reload_token, settle_heap),
    )
    app.add_middleware(MeasureAndLimit, metrics=metrics, max_body_bytes=settings.serve.max_body_bytes, routes=routes)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _include(app: FastAPI, *routers: APIRouter) -> list[Any]:
    """Include `routers`; return every route with its template (FastAPI's own pages, then ours),
    which the middleware labels answers with."""
    for router in routers:
        app.include_router(router)
    return [
        *(r for r in app.routes if isinstance(getattr(r, "path", None), str)),
        *(r for x in routers for r in x.routes),
    ]


async def _invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
    return invalid(list(exc.errors()))


def _probes(settings: Settings, holder: ModelHolder, metrics: ServiceMetrics) -> APIRouter:
    router = APIRouter()

    @router.get("/health", summary="The process is alive")
    def health() -> dict[str, str]:
        return {"status": "alive"}

    @router.get("/ready", summary="A model is loaded and can predict", responses={503: {"description": "No model"}})
    def ready() -> JSONResponse:
        current = holder.current
        if current is None:
            return JSONResponse({"ready": False, "reason": holder.error}, status_code=503)
        return JSONResponse({"ready": True, "model": current.ref.as_dict(), "canary": current.canary.as_dict()})

    @router.get(
        "/model",
        summary="The model served, its training metrics and its input schema",
        responses={503: {"model": Refused, "description": "No model loaded"}},
    )
    def model_info() -> JSONResponse:
        current = holder.current
        if current is None:
            return error(503, f"no model: {holder.error}")
        return JSONResponse(
            {
                **current.ref.as_dict(),
                "form": current.form,  # "compiled" (serve.compiled.trees) or "pipeline"
                "engine": current.engine,  # "native" (serve.compiled.machine_code), "treelite" or "scikit-learn"
                "not_native_because": current.exported.not_native_because,
                "decision_threshold": current.exported.threshold.value,
                "decision_threshold_how": current.exported.threshold.how,
                "training_metrics": current.training_metrics,
                "input_schema": Record.model_json_schema(),
                "max_batch_rows": settings.serve.max_batch_rows,
            }
        )

    @router.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
    def prometheus() -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return router


def _score(frame: pd.DataFrame, settings: Settings, holder: ModelHolder, metrics: ServiceMetrics) -> Response:
    current = holder.current  # one model for the whole request, whatever a reload does meanwhile
    if current is None:
        return error(503, f"no model: {holder.error}")
    limit = settings.serve.max_batch_rows
    if len(frame) > limit:
        return error(413, f"batch of {len(frame)} records is over the limit of {limit}")
    broken = row_rule_errors(frame)
    if broken:
        return invalid(broken)
    scores = score_rows(current.model, frame, current.exported.threshold.value)
    metrics.observe_scores(scores.probability, frame)
    ref = current.ref
    # Encoded by orjson as a ready response: re-validating every prediction against the response
    # model, or encoding them with the standard json module, costs more than the encoding itself
    # (the response model still documents the contract).
    predictions = [
        {
            ID_COLUMN: row_id,
            PROBABILITY: p,
            DECISION: d,
            "model_name": ref.name,
            "model_version": ref.version,
            "model_alias": ref.alias,
        }
        for row_id, p, d in zip(scores.ids.tolist(), scores.probability.tolist(), scores.decision.tolist(), strict=True)
    ]
    return Response(orjson.dumps({"predictions": predictions}), media_type="application/json")


def _prediction(settings: Settings, holder: ModelHolder, metrics: ServiceMetrics) -> APIRouter:
    router = APIRouter()

    @router.post(
        "/predict",
        response_model=PredictResponse,
        summary="Click probability and decision for one record or a batch",
        responses={
            413: {"model": Refused, "description": "Body or batch too large"},
            415: {"model": Refused, "description": "The body is not JSON (Content-Type)"},
            422: {"model": Invalid, "description": "Records that break the contract, each problem named"},
            503: {"model": Refused, "description": "No model loaded"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictRequest"}}},
            }
        },
    )
    async def predict(raw: Request) -> Response:
        """A valid body takes msgspec's fast path straight to typed columns (`serve.fastpath`);
        any other goes to pydantic, the contract, which words the 422."""
        content_type = raw.headers.get("content-type")
        if not is_json(content_type):
            return error(415, f"Content-Type {content_type!r} is not JSON: send the records as application/json")
        body = await raw.body()
        frame = fast_frame(body)
        if frame is None:
            try:
                frame = records_frame(PredictRequest.model_validate_json(body).records)
            except ValidationError as bad:
                return invalid([{**e, "loc": ("body", *e["loc"])} for e in bad.errors()])
        current = holder.current  # a few rows of the compiled model are scored here (INLINE_BELOW_ROWS)
        if len(frame) < INLINE_BELOW_ROWS and current is not None and current.form == "compiled":
            return _score(frame, settings, holder, metrics)
        return await run_in_threadpool(_score, frame, settings, holder, metrics)

    return router


def _admin(holder: ModelHolder, reload_token: str | None, settle_heap: Callable[[], None] | None) -> APIRouter:
    router = APIRouter()

    @router.post(
        "/admin/reload",
        summary="Load the model alias again (e.g. after a promotion)",
        responses={
            401: {"model": Refused, "description": "Wrong token"},
            403: {"model": Refused, "description": "Reload disabled"},
            503: {"model": Refused, "description": "The new model cannot serve: the previous one still does"},
        },
    )
    def reload(authorization: str | None = Header(None)) -> JSONResponse:
        if not reload_token:
            return error(403, f"reload is disabled: start the service with {RELOAD_TOKEN_ENV} set to enable it")
        expected = f"Bearer {reload_token}".encode()
        # bytes, not str: compare_digest raises on a non-ASCII str, and a header is the caller's to choose
        if authorization is None or not secrets.compare_digest(authorization.encode("utf-8", "replace"), expected):
            return error(401, "missing or wrong bearer token")
        loaded, reason = holder.reload()  # one at a time; a no-op while the registry is unchanged
        if reason is not None:
            return error(503, f"{reason}; still serving the previous model")
        if loaded and settle_heap is not None:
            settle_heap()
        return JSONResponse({"reloaded": loaded, "model": holder.current.ref.as_dict()})  # type: ignore[union-attr]

    return router


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
