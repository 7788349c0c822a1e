"""The request body's fast path: msgspec decodes a valid body straight into typed columns.

pydantic (`contract.PredictRequest`) is the contract: it documents the API (OpenAPI) and words
every 422. But building one pydantic model per record and reading them back into columns was
a third of what the service added to the model's own time (docs/serving.md). msgspec checks the
same rules (types, strict numbers, bounds, vocabularies, gaps, lengths, no unknown field, at
least one record) in a fraction of that and hands the values over as columns.

It only ever says yes: a body it refuses goes to pydantic, which refuses it with the usual
detailed 422 (or accepts it, if msgspec was stricter). tests/api/test_fast_path.py holds the two
to the same verdicts and the same frames on generated bodies, valid and broken.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
import pandas as pd

from adclick.data.contract import FEATURE_SPECS, ID_COLUMN, ID_LENGTH, FieldSpec
from adclick.serve.request_contract import COLUMNS, typed_frame


def _field(position: int, spec: FieldSpec) -> tuple[str, Any, Any]:
    """The msgspec field of one column spec, with the same constraints as `contract._field`.

    A team's column may be called anything ("mean radius"), and a struct's attribute must be an
    identifier: the attribute is the column's position, the JSON name the column's own."""
    bounds = {"ge": spec.bounds[0], "le": spec.bounds[1]} if spec.bounds is not None else {}
    if spec.vocabulary is not None:
        kind: Any = Literal[spec.vocabulary]  # type: ignore[valid-type]
    elif spec.kind == "integer":
        kind = Annotated[int, msgspec.Meta(**bounds)]
    elif spec.kind == "number":
        kind = Annotated[float, msgspec.Meta(**bounds)]  # JSON has no NaN: msgspec refuses it, pydantic words why
    else:
        kind = bool
    if spec.nullable:
        return f"c{position}", kind | None, msgspec.field(default=None, name=spec.name)
    return f"c{position}", kind, msgspec.field(name=spec.name)


def body_decoder(specs: tuple[FieldSpec, ...], id_column: str) -> msgspec.json.Decoder:
    """A strict decoder of `{"records": [...]}` for these column specs, fields in spec order."""
    id_type = Annotated[str, msgspec.Meta(min_length=ID_LENGTH[0], max_length=ID_LENGTH[1])]
    record = msgspec.defstruct(
        "FastRecord",
        [("identifier", id_type, msgspec.field(name=id_column))]
        + [_field(position, spec) for position, spec in enumerate(specs)],
        kw_only=True,
        forbid_unknown_fields=True,
    )
    body = msgspec.defstruct(
        "FastBody",
        [("records", Annotated[list[record], msgspec.Meta(min_length=1)])],  # type: ignore[valid-type]
        forbid_unknown_fields=True,
    )
    return msgspec.json.Decoder(body, strict=True)


_DECODER = body_decoder(FEATURE_SPECS, ID_COLUMN)


def fast_frame(body: bytes) -> pd.DataFrame | None:
    """The body's records as a typed frame, or None when msgspec refuses the body (then pydantic
    decides, and words the 422)."""
    try:
        records = _DECODER.decode(body).records
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    columns = zip(*map(msgspec.structs.astuple, records), strict=True)
    return typed_frame(dict(zip(COLUMNS, columns, strict=True)))
