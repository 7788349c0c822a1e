"""The service's endpoints, each router built over the model holder and the metrics it reports to.

- `POST /predict` scores one record or a batch through `adclick.model.predict.score_rows`, the path
  batch scoring uses; the request model comes from the data contract (`serve.request_contract`);
- `GET /health` (alive), `GET /ready` (model loaded, or why not), `GET /model` (which model,
  its training metrics, the input schema), `GET /metrics` (Prometheus);
- `POST /admin/reload` (bearer token given at start-up) loads the alias again and swaps the
  model in one assignment: a request in flight finishes with the model it started with.

Bad input is a 4xx with a JSON body naming the field path and the value, never a 5xx.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson
from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from adclick.data.contract import DECISION, ID_COLUMN, PROBABILITY
from adclick.model.predict import score_rows
from adclick.serve.fastpath import fast_frame
from adclick.serve.prometheus import ServiceMetrics
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
from adclick.serve.state import ModelHolder

if TYPE_CHECKING:
    import pandas as pd

    from adclick.config import Settings

RELOAD_TOKEN_ENV = "ADCLICK_RELOAD_TOKEN"  # read once, by `adclick serve`, and passed in
# A few rows scored by the compiled model cost less than handing them to the thread pool and
# back, a round trip a busy machine delays (docs/serving.md): they are scored on the event loop.
# Larger requests, and any served by the pipeline, go to the pool.
INLINE_BELOW_ROWS = 20


def include(app: FastAPI, *routers: APIRouter) -> list[Any]:
    """Include `routers`; return every route with its template (FastAPI's own pages, then ours),
    which the middleware labels answers with."""
    for router in routers:
        app.include_router(router)
    return [
        *(r for r in app.routes if isinstance(getattr(r, "path", None), str)),
        *(r for x in routers for r in x.routes),
    ]


def probes(settings: Settings, holder: ModelHolder, metrics: ServiceMetrics) -> APIRouter:
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


def prediction(settings: Settings, holder: ModelHolder, metrics: ServiceMetrics) -> APIRouter:
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


def admin(holder: ModelHolder, reload_token: str | None, settle_heap: Callable[[], None] | None) -> APIRouter:
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
