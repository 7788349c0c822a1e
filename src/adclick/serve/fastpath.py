"""The request body's fast path: msgspec decodes a valid body straight into typed columns.

pydantic (`contract.PredictRequest`) is the contract: it documents the API (OpenAPI) and words
every 422. But building 1,000 pydantic models took 2.2-3.7 ms of a 1,000-row request, and
reading them back into columns 1.5 ms more: a third of what the service adds to the model's own
time. msgspec checks the same rules (types, strict numbers, bounds, vocabularies, gaps, lengths,
no unknown field, at least one record) in 0.5 ms and hands the values over as columns.

It only ever says yes: a body it refuses goes to pydantic, which refuses it with the usual
detailed 422 (or accepts it, if msgspec was stricter). tests/api/test_fast_path.py holds the two
to the same verdicts and the same frames on generated bodies, valid and broken.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
import pandas as pd

from adclick.data.contract import FEATURE_SPECS, ID_COLUMN, ID_LENGTH, FieldSpec
from adclick.serve.contract import COLUMNS, typed_frame


def _field(spec: FieldSpec) -> tuple[str, Any] | tuple[str, Any, Any]:
    """The msgspec type of one column spec, with the same constraints as `contract._field`."""
    bounds = {"ge": spec.bounds[0], "le": spec.bounds[1]} if spec.bounds is not None else {}
    if spec.vocabulary is not None:
        kind: Any = Literal[spec.vocabulary]  # type: ignore[valid-type]
    elif spec.kind == "integer":
        kind = Annotated[int, msgspec.Meta(**bounds)]
    elif spec.kind == "number":
        kind = Annotated[float, msgspec.Meta(**bounds)]  # JSON has no NaN: msgspec refuses it, pydantic words why
    else:
        kind = bool
    return (spec.name, kind | None, None) if spec.nullable else (spec.name, kind)


_RECORD = msgspec.defstruct(
    "FastRecord",
    [(ID_COLUMN, Annotated[str, msgspec.Meta(min_length=ID_LENGTH[0], max_length=ID_LENGTH[1])])]
    + [_field(spec) for spec in FEATURE_SPECS],
    kw_only=True,
    forbid_unknown_fields=True,
)
_BODY = msgspec.defstruct(
    "FastBody",
    [("records", Annotated[list[_RECORD], msgspec.Meta(min_length=1)])],
    forbid_unknown_fields=True,  # type: ignore[valid-type]
)
_DECODER = msgspec.json.Decoder(_BODY, strict=True)


def fast_frame(body: bytes) -> pd.DataFrame | None:
    """The body's records as a typed frame, or None when msgspec refuses the body (then pydantic
    decides, and words the 422)."""
    try:
        records = _DECODER.decode(body).records
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    columns = zip(*map(msgspec.structs.astuple, records), strict=True)
    return typed_frame(dict(zip(COLUMNS, columns, strict=True)))
