"""The prediction service: FastAPI serving the registry's champion, on demand.

- `POST /predict` scores one record or a batch; the request model is derived from the same
  `schema.FEATURE_SPECS` as the pandera schema, and the row rules are `schema.ROW_RULES`;
- `GET /health` (alive), `GET /ready` (model loaded, or why not), `GET /model` (which model,
  its training metrics, the input schema), `GET /metrics` (Prometheus);
- `POST /admin/reload` (bearer token from ADCLICK_RELOAD_TOKEN) loads the alias again and swaps
  the model in one assignment: a request in flight finishes with the model it started with.

Bad input is a 4xx with a JSON body naming the field path and the value, never a 5xx. A model
that cannot be loaded does not stop the process: /ready and /predict say why (503).
"""

from __future__ import annotations

import os
import secrets
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from fastapi import FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, create_model

from adclick import schema

if TYPE_CHECKING:
    from adclick.config import Settings
    from adclick.registry import ModelRef

RELOAD_TOKEN_ENV = "ADCLICK_RELOAD_TOKEN"

# ---------------------------------------------------------------------------------------
# The request and response models, derived from the schema
# ---------------------------------------------------------------------------------------


def _field(spec: schema.FieldSpec) -> tuple[Any, Any]:
    """A pydantic field for one column spec: its type, bounds or vocabulary, and nullability."""
    limits: dict[str, Any] = {}
    if spec.bounds is not None:
        limits = {"ge": spec.bounds[0], "le": spec.bounds[1]}
    if spec.vocabulary is not None:
        kind: Any = Literal[spec.vocabulary]  # type: ignore[valid-type]
    elif spec.kind == "integer":
        kind = StrictInt
    elif spec.kind == "number":
        kind = float  # strict: an int is accepted (JSON writes 12.0 as 12), text and NaN are not
        limits |= {"strict": True, "allow_inf_nan": False}
    else:
        kind = StrictBool
    if spec.nullable:
        return kind | None, Field(None, description=spec.description, **limits)
    return kind, Field(..., description=spec.description, **limits)


_STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)

Impression: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "Impression",
    __config__=_STRICT,
    __doc__="One ad impression to score: the raw columns of schema.FEATURE_SPECS.",
    **{
        schema.ID_COLUMN: (str, Field(..., min_length=schema.ID_LENGTH[0], max_length=schema.ID_LENGTH[1])),
        **{spec.name: _field(spec) for spec in schema.FEATURE_SPECS},
    },
)


class PredictRequest(BaseModel):
    """One record is a batch of one."""

    model_config = _STRICT
    records: list[Impression] = Field(..., min_length=1)  # type: ignore[valid-type]


class Prediction(BaseModel):
    impression_id: str
    click_probability: float
    predicted_click: int
    model_name: str
    model_version: str
    model_alias: str | None


class PredictResponse(BaseModel):
    predictions: list[Prediction]


# ---------------------------------------------------------------------------------------
# The model, loaded once and swapped whole on reload
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedModel:
    model: Any
    ref: ModelRef
    training_metrics: dict[str, float]


class ModelHolder:
    """The current model, or why there is none. Reading `current` once per request gives that
    request one consistent model even if a reload replaces it meanwhile."""

    def __init__(self, settings: Settings, uri: str) -> None:
        self.settings, self.uri = settings, uri
        self.current: LoadedModel | None = None
        self.error: str | None = "not loaded yet"

    def load(self) -> str | None:
        """Load the model at `uri`; on failure keep the current one and return the reason."""
        from adclick.registry import connect, load_sklearn

        try:
            client = connect(self.settings)
            model, ref = load_sklearn(client, self.uri)
            metrics = client.get_run(ref.run_id).data.metrics
            training = {k.removeprefix("test_"): v for k, v in metrics.items() if k.startswith("test_")}
        except Exception as exc:  # any failure to load is reported on /ready, not raised
            reason = f"cannot load {self.uri}: {exc}"
            if self.current is None:
                self.error = reason
            return reason
        self.current, self.error = LoadedModel(model, ref, training), None
        return None


# ---------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------


class ServiceMetrics:
    """Prometheus metrics in a registry of this app's own (tests create many apps)."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Histogram

        self.registry = CollectorRegistry()
        self.requests = Counter(
            "adclick_requests", "HTTP requests by route and status", ["route", "status"], registry=self.registry
        )
        self.errors = Counter(
            "adclick_request_errors", "HTTP answers of 400 and above", ["route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "adclick_request_seconds",
            "Request latency",
            ["route"],
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
            registry=self.registry,
        )
        self.probability = Histogram(
            "adclick_click_probability",
            "Predicted click probabilities",
            buckets=tuple(np.round(np.linspace(0.1, 1.0, 10), 1)),
            registry=self.registry,
        )
        self.rows = Counter("adclick_rows_scored", "Rows scored", registry=self.registry)

    def observe_probabilities(self, proba: np.ndarray) -> None:
        """Add a whole batch to the probability histogram at once: one bucket count per bucket
        instead of one `observe` per row (a 1,000-row batch spent 3 ms here)."""
        histogram = self.probability
        edges = np.asarray(histogram._upper_bounds)
        counts = np.bincount(np.searchsorted(edges, proba, side="left"), minlength=len(edges))
        for bucket, count in zip(histogram._buckets, counts.tolist(), strict=True):
            if count:
                bucket.inc(count)
        histogram._sum.inc(float(proba.sum()))

    def observe(self, route: str, status: int, seconds: float) -> None:
        self.requests.labels(route, str(status)).inc()
        if status >= 400:
            self.errors.labels(route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def exposition(self) -> bytes:
        from prometheus_client import generate_latest

        return generate_latest(self.registry)


# ---------------------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------------------


_NUMPY_DTYPES = {"category": object, "integer": np.int64, "number": np.float64, "boolean": np.bool_}


def _frame(records: list[BaseModel]) -> pd.DataFrame:
    """The records as a frame typed like validated raw data (None becomes NaN in a number
    column). Built from one typed array per column: 4x faster than a list of dicts plus astype."""
    columns: dict[str, np.ndarray] = {
        schema.ID_COLUMN: np.array([getattr(r, schema.ID_COLUMN) for r in records], dtype=object)
    }
    for spec in schema.FEATURE_SPECS:
        values = [getattr(r, spec.name) for r in records]
        columns[spec.name] = np.array(values, dtype=_NUMPY_DTYPES[spec.kind])
    return pd.DataFrame(columns, copy=False)


def _row_rule_errors(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """schema.ROW_RULES broken by any record, as validation errors naming record and fields."""
    errors = []
    for rule in schema.ROW_RULES:
        for index in np.flatnonzero(~rule.holds(frame).to_numpy()):
            values = {column: frame.at[index, column] for column in rule.columns}
            shown = {k: None if pd.isna(v) else getattr(v, "item", lambda v=v: v)() for k, v in values.items()}
            errors.append(
                {
                    "type": "row_rule",
                    "loc": ("body", "records", int(index), rule.columns[-1]),
                    "msg": f"{rule.name}: {', '.join(f'{k}={v}' for k, v in shown.items())}",
                    "input": shown,
                }
            )
    return errors


def _json_safe(value: Any) -> Any:
    """An echoed input as JSON can carry it: NaN and infinity become text, not a 500."""
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _invalid(errors: list[dict[str, Any]]) -> JSONResponse:
    """422 with one entry per problem: where (loc: body, records, index, field), what, and the value."""
    detail = [
        {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"], "input": _json_safe(e.get("input"))} for e in errors
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def _error(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


class _MeasureAndLimit:
    """Pure ASGI middleware (Starlette's BaseHTTPMiddleware wraps every body in extra streams):
    refuses a body over the size limit with 413 and records route, status and latency."""

    def __init__(self, app: Any, metrics: ServiceMetrics, max_body_bytes: int) -> None:
        self.app, self.metrics, self.max_body_bytes = app, metrics, max_body_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [500]

        async def send_and_note(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_body_bytes:
            detail = f"body of {int(length)} bytes is over the limit of {self.max_body_bytes}"
            await _error(413, detail)(scope, receive, send_and_note)
        else:
            await self.app(scope, receive, send_and_note)
        route = scope.get("route")
        self.metrics.observe(getattr(route, "path", "unmatched"), status[0], time.perf_counter() - started)


def create_app(settings: Settings, model_uri: str | None = None) -> FastAPI:
    """The service for `model_uri` (default: the registry alias in params.yaml's `serve`)."""
    from adclick.registry import alias_uri

    serving = settings.serve
    holder = ModelHolder(settings, model_uri or alias_uri(settings, serving.model_alias))
    metrics = ServiceMetrics()

    @asynccontextmanager
    async def lifespan(_: FastAPI):  # type: ignore[no-untyped-def]
        holder.load()
        yield

    app = FastAPI(
        title="adclick",
        version="1",
        summary="Click probability of personalised ads, from the registry's champion.",
        lifespan=lifespan,
    )
    app.state.holder, app.state.metrics = holder, metrics

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _invalid(list(exc.errors()))

    app.add_middleware(_MeasureAndLimit, metrics=metrics, max_body_bytes=serving.max_body_bytes)

    @app.get("/health", summary="The process is alive")
    def health() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/ready", summary="A model is loaded and can predict", responses={503: {"description": "No model"}})
    def ready() -> JSONResponse:
        current = holder.current
        if current is None:
            return JSONResponse({"ready": False, "reason": holder.error}, status_code=503)
        return JSONResponse({"ready": True, "model": current.ref.as_dict()})

    @app.get("/model", summary="The model served, its training metrics and its input schema")
    def model_info() -> JSONResponse:
        current = holder.current
        if current is None:
            return _error(503, f"no model: {holder.error}")
        return JSONResponse(
            {
                **current.ref.as_dict(),
                "decision_threshold": settings.model.decision_threshold,
                "training_metrics": current.training_metrics,
                "input_schema": Impression.model_json_schema(),
                "max_batch_rows": serving.max_batch_rows,
            }
        )

    def score(request: PredictRequest) -> Response:
        current = holder.current  # one model for the whole request, whatever a reload does meanwhile
        if current is None:
            return _error(503, f"no model: {holder.error}")
        if len(request.records) > serving.max_batch_rows:
            return _error(413, f"batch of {len(request.records)} records is over the limit of {serving.max_batch_rows}")
        frame = _frame(request.records)
        broken = _row_rule_errors(frame)
        if broken:
            return _invalid(broken)
        from adclick.train import click_probability

        proba = click_probability(current.model, frame)
        decisions = proba >= settings.model.decision_threshold
        metrics.rows.inc(len(frame))
        metrics.observe_probabilities(proba)
        ref = current.ref
        ids = [getattr(record, schema.ID_COLUMN) for record in request.records]
        # Returned as a ready response: re-validating 1,000 predictions against the response
        # model would cost more than encoding them (the model still documents the contract).
        return JSONResponse(
            {
                "predictions": [
                    {
                        "impression_id": impression_id,
                        "click_probability": p,
                        "predicted_click": int(d),
                        "model_name": ref.name,
                        "model_version": ref.version,
                        "model_alias": ref.alias,
                    }
                    for impression_id, p, d in zip(ids, proba.tolist(), decisions.tolist(), strict=True)
                ]
            }
        )

    @app.post(
        "/predict",
        response_model=PredictResponse,
        summary="Click probability and decision for one record or a batch",
        responses={413: {"description": "Body or batch too large"}, 503: {"description": "No model loaded"}},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PredictRequest"}}},
            }
        },
    )
    async def predict(raw: Request) -> Response:
        """The body is parsed and validated in one pass by pydantic-core (`model_validate_json`):
        half the time of JSON decoding followed by validation; scoring runs in the thread pool."""
        from pydantic import ValidationError
        from starlette.concurrency import run_in_threadpool

        try:
            request = PredictRequest.model_validate_json(await raw.body())
        except ValidationError as invalid:
            return _invalid([{**e, "loc": ("body", *e["loc"])} for e in invalid.errors()])
        return await run_in_threadpool(score, request)

    def openapi() -> dict[str, Any]:
        """FastAPI's document, plus the request models /predict validates itself."""
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            document = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            request_schema = PredictRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            components = document.setdefault("components", {}).setdefault("schemas", {})
            components.update(request_schema.pop("$defs", {}))
            components["PredictRequest"] = request_schema
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse)
    def prometheus() -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST

        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    @app.post(
        "/admin/reload",
        summary="Load the model alias again (e.g. after a promotion)",
        responses={401: {"description": "Wrong token"}, 403: {"description": "Reload disabled"}},
    )
    def reload(authorization: str | None = Header(None)) -> JSONResponse:
        token = os.environ.get(RELOAD_TOKEN_ENV)
        if not token:
            return _error(403, f"reload is disabled: set {RELOAD_TOKEN_ENV} to enable it")
        if authorization is None or not secrets.compare_digest(authorization, f"Bearer {token}"):
            return _error(401, "missing or wrong bearer token")
        reason = holder.load()
        if reason is not None:
            return _error(503, f"{reason}; still serving the previous model")
        return JSONResponse({"reloaded": True, "model": holder.current.ref.as_dict()})  # type: ignore[union-attr]

    return app
