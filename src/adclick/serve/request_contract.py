"""The service's request and response contract, derived from the data contract: one pydantic
field per column spec, the row rules, and errors that name the record, the field and the value."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, create_model

from adclick.data.contract import DECISION, FEATURE_SPECS, ID_COLUMN, ID_LENGTH, PROBABILITY, ROW_RULES, FieldSpec
from adclick.data.records import as_records


def _whole(value: Any) -> Any:
    """12.0 is an integer in JSON Schema (the OpenAPI document says `integer`): taken as 12.
    12.5, text and booleans are still refused by the strict integer."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _field(spec: FieldSpec) -> tuple[Any, Any]:
    """A pydantic field for one column spec: its type, bounds or vocabulary, and nullability."""
    limits: dict[str, Any] = {}
    if spec.bounds is not None:
        limits = {"ge": spec.bounds[0], "le": spec.bounds[1]}
    if spec.vocabulary is not None:
        kind: Any = Literal[spec.vocabulary]  # type: ignore[valid-type]
    elif spec.kind == "integer":  # the bounds inside the type: beside its validator, the document lost them
        kind, limits = Annotated[StrictInt, Field(**limits), BeforeValidator(_whole)], {}
    elif spec.kind == "number":
        kind = float  # strict: an int is accepted (JSON writes 12.0 as 12), text and NaN are not
        limits |= {"strict": True, "allow_inf_nan": False}
    else:
        kind = StrictBool
    if spec.nullable:
        return kind | None, Field(None, description=spec.description, **limits)
    return kind, Field(..., description=spec.description, **limits)


_STRICT = ConfigDict(extra="forbid", allow_inf_nan=False)

Record: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "Record",
    __config__=_STRICT,
    __doc__="One record to score: the raw columns of the data contract (src/adclick/data/specs.py).",
    **{
        ID_COLUMN: (str, Field(..., min_length=ID_LENGTH[0], max_length=ID_LENGTH[1])),
        **{spec.name: _field(spec) for spec in FEATURE_SPECS},
    },
)


__all__ = [
    "COLUMNS",
    "Invalid",
    "PredictRequest",
    "PredictResponse",
    "Record",
    "Refused",
    "as_records",
    "error",
    "invalid",
    "records_frame",
    "typed_frame",
]


class PredictRequest(BaseModel):
    """One record is a batch of one."""

    model_config = _STRICT
    records: list[Record] = Field(..., min_length=1)  # type: ignore[valid-type]


Prediction: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "Prediction",
    __doc__="One scored record: its id (under the data's own id column name), the probability, the decision.",
    **{ID_COLUMN: (str, ...), PROBABILITY: (float, ...), DECISION: (int, ...)},
    model_name=(str, ...),
    model_version=(str, ...),
    model_alias=(str | None, ...),
)


class PredictResponse(BaseModel):
    predictions: list[Prediction]  # type: ignore[valid-type]


class Problem(BaseModel):
    """One reason a request is invalid: where (body, records, index, field), what, and the value sent."""

    loc: list[str | int]
    msg: str
    type: str
    input: Any = None


class Invalid(BaseModel):
    """The 422 of `invalid`: every problem of the request, not only the first."""

    detail: list[Problem]


class Refused(BaseModel):
    """Any other 4xx or 503 (`error`): one sentence saying what was refused and why."""

    detail: str


_NUMPY_DTYPES = {"category": object, "integer": np.int64, "number": np.float64, "boolean": np.bool_}


COLUMNS = (ID_COLUMN, *(spec.name for spec in FEATURE_SPECS))  # a record's fields, in this order


def typed_frame(columns: dict[str, Any]) -> pd.DataFrame:
    """Column values (one sequence per field of COLUMNS) as a frame typed like validated raw data
    (None becomes NaN in a number column). One typed array per column, not a list of dicts plus
    astype, which costs several times more."""
    arrays: dict[str, np.ndarray] = {ID_COLUMN: np.array(columns[ID_COLUMN], dtype=object)}
    for spec in FEATURE_SPECS:
        dtype = np.float64 if spec.kind == "integer" and spec.nullable else _NUMPY_DTYPES[spec.kind]
        arrays[spec.name] = np.array(columns[spec.name], dtype=dtype)
    return pd.DataFrame(arrays, copy=False)


def records_frame(records: list[BaseModel]) -> pd.DataFrame:
    """Validated records as a typed frame (`typed_frame`)."""
    return typed_frame({name: [getattr(r, name) for r in records] for name in COLUMNS})


def row_rule_errors(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Row rules broken by any record, as validation errors naming the record and its fields."""
    errors = []
    for rule in ROW_RULES:
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


def invalid(errors: list[dict[str, Any]]) -> JSONResponse:
    """422 with one entry per problem: where (loc: body, records, index, field), what, and the value."""
    detail = [
        {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"], "input": _json_safe(e.get("input"))} for e in errors
    ]
    return JSONResponse({"detail": detail}, status_code=422)


JSON_TYPES = ("application/json", "application/*+json")


def is_json(content_type: str | None) -> bool:
    """Whether a request's Content-Type announces JSON; none at all is taken as JSON, as FastAPI
    does for its own bodies, so that a bare `curl -d` still works."""
    if not content_type:
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def error(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)
