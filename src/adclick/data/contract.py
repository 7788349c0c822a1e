"""The data contract as the rest of the package sees it: the team's declarations
(`adclick.data.specs`) checked once at import and completed with everything derived from them.

Only `specs` is edited by a team; this module gives every other one the same names, the
defaults for what a team did not declare, and one error listing every mistake in the
declarations (an unknown column in DIRECTIONS, a direction on a category, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from adclick.data import specs as _declared
from adclick.data.declarations import FieldSpec, Pair, RowRule
from adclick.errors import ContractError

GENERATED_ID = "row_id"  # the id column's name when the data has none (ids are row numbers)
ID_LENGTH = (1, 64)

FEATURE_SPECS: tuple[FieldSpec, ...] = tuple(_declared.FEATURE_SPECS)
LABEL: str = _declared.LABEL
POSITIVE: Any = _declared.POSITIVE
ID_GENERATED: bool = getattr(_declared, "ID_COLUMN", None) is None
ID_COLUMN: str = getattr(_declared, "ID_COLUMN", None) or GENERATED_ID
TIME_COLUMN: str | None = getattr(_declared, "TIME_COLUMN", None)
PROTECTED: tuple[str, ...] = tuple(getattr(_declared, "PROTECTED", ()))
ROW_RULES: tuple[RowRule, ...] = tuple(getattr(_declared, "ROW_RULES", ()))
DIRECTIONS: Mapping[str, int] = dict(getattr(_declared, "DIRECTIONS", {}))
MINIMUM_FUNCTIONALITY: tuple[Pair, ...] = tuple(getattr(_declared, "MINIMUM_FUNCTIONALITY", ()))

SPECS: dict[str, FieldSpec] = {spec.name: spec for spec in FEATURE_SPECS}
CATEGORICAL_FEATURES = tuple(s.name for s in FEATURE_SPECS if s.kind == "category")
NUMERIC_FEATURES = tuple(s.name for s in FEATURE_SPECS if s.kind != "category")
BOUNDED_FEATURES = tuple(s.name for s in FEATURE_SPECS if s.bounds is not None)
# Categorical features first, then the others: the order of the tree model's inputs.
FEATURES = CATEGORICAL_FEATURES + NUMERIC_FEATURES
OPTIONAL_FEATURES = tuple(s.name for s in FEATURE_SPECS if s.nullable)
VOCABULARIES: dict[str, tuple[str, ...]] = {s.name: s.vocabulary for s in FEATURE_SPECS if s.vocabulary}
# What the model sees: every feature but the protected attribute (fairness through unawareness).
# The attribute stays in the data so tests can prove that changing it changes no prediction.
MODEL_FEATURES = tuple(name for name in FEATURES if name not in PROTECTED)
# Slices the model is judged on; by default every category and yes/no column, by its values.
SLICES: dict[str, tuple[float, ...] | None] = dict(
    getattr(_declared, "SLICES", None)
    or {s.name: None for s in FEATURE_SPECS if s.kind in ("category", "boolean") and s.name not in PROTECTED}
)


def resolve(declared: Any) -> SimpleNamespace:
    """Another schema module's declarations with the defaults filled in, as `validate(of=...)`
    takes them: how a drafted or example module is checked without becoming the team's."""
    features = tuple(declared.FEATURE_SPECS)
    categorical = tuple(s.name for s in features if s.kind == "category")
    return SimpleNamespace(
        FEATURE_SPECS=features,
        SPECS={spec.name: spec for spec in features},
        FEATURES=categorical + tuple(s.name for s in features if s.kind != "category"),
        CATEGORICAL_FEATURES=categorical,
        LABEL=declared.LABEL,
        POSITIVE=declared.POSITIVE,
        ID_GENERATED=getattr(declared, "ID_COLUMN", None) is None,
        ID_COLUMN=getattr(declared, "ID_COLUMN", None) or GENERATED_ID,
        TIME_COLUMN=getattr(declared, "TIME_COLUMN", None),
        ROW_RULES=tuple(getattr(declared, "ROW_RULES", ())),
    )


def problems(declared: Any) -> list[str]:
    """Every mistake in a schema module's declarations, each naming the name, the column and the fix."""
    features = tuple(declared.FEATURE_SPECS)
    specs = {spec.name: spec for spec in features}
    time_column = getattr(declared, "TIME_COLUMN", None)
    reserved = {declared.LABEL, getattr(declared, "ID_COLUMN", None) or GENERATED_ID, time_column} - {None}
    found = []
    for spec in features:
        if spec.name in reserved:
            found.append(f"{spec.name!r} is the label, id or time column and cannot also be a feature")
        if spec.kind == "category" and not spec.vocabulary:
            found.append(f"FEATURE_SPECS {spec.name!r}: a category needs its vocabulary (the values it may take)")
        if spec.kind in ("integer", "number") and spec.bounds is None:
            found.append(f"FEATURE_SPECS {spec.name!r}: a {spec.kind} needs bounds (low, high)")
        if spec.bounds is not None and spec.bounds[0] > spec.bounds[1]:
            found.append(f"FEATURE_SPECS {spec.name!r}: bounds {spec.bounds} are not (low, high)")
    if len(specs) != len(features):
        found.append("FEATURE_SPECS names a column twice")
    return found + _knowledge_problems(declared, specs)


def _knowledge_problems(declared: Any, specs: dict[str, FieldSpec]) -> list[str]:
    found = []
    numeric = sorted(name for name, spec in specs.items() if spec.kind in ("integer", "number"))
    categorical = sorted(name for name, spec in specs.items() if spec.kind == "category")
    protected = tuple(getattr(declared, "PROTECTED", ()))
    if not set(specs) - set(protected):
        found.append("FEATURE_SPECS: the model needs at least one feature that is not PROTECTED")
    for name, sign in dict(getattr(declared, "DIRECTIONS", {})).items():
        if name not in numeric:
            found.append(f"DIRECTIONS {name!r}: not a numeric feature; choose from {numeric}")
        if sign not in (-1, 1):
            found.append(f"DIRECTIONS {name!r}: the sign must be +1 or -1, got {sign!r}")
    for name in protected:
        if name not in categorical:
            found.append(f"PROTECTED {name!r}: not a category feature; choose from {categorical}")
    for name, edges in dict(getattr(declared, "SLICES", None) or {}).items():
        if name not in specs:
            found.append(f"SLICES {name!r}: not a feature; choose from {sorted(specs)}")
        elif edges is not None and (name not in numeric or list(edges) != sorted(edges)):
            found.append(f"SLICES {name!r}: band edges need a numeric feature and increasing edges")
    for pair in getattr(declared, "MINIMUM_FUNCTIONALITY", ()):
        unknown = sorted((set(pair.better) | set(pair.worse)) - set(specs))
        if unknown:
            found.append(f"MINIMUM_FUNCTIONALITY {pair.name!r}: unknown columns {unknown}")
    return found


_problems = problems(_declared)
if _problems:
    raise ContractError("src/adclick/data/specs.py: " + "; ".join(_problems))
