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

from adclick.data import specs
from adclick.data.declarations import FieldSpec, Pair, RowRule
from adclick.errors import ContractError

GENERATED_ID = "row_id"  # the id column's name when the data has none (ids are row numbers)
PROBABILITY = "probability"  # what scoring adds: P(positive) for each scored row ...
DECISION = "predicted_positive"  # ... and 1 where the probability reaches the decision threshold
ID_LENGTH = (1, 64)


def resolve(declared: Any) -> SimpleNamespace:
    """A schema module's declarations with the defaults filled in and everything derived from
    them: the team's module becomes this module's names below; a drafted or example module is
    checked with it (`validate(of=...)`) without becoming the team's."""
    features = tuple(declared.FEATURE_SPECS)
    protected = tuple(getattr(declared, "PROTECTED", ()))
    categorical = tuple(s.name for s in features if s.kind == "category")
    numeric = tuple(s.name for s in features if s.kind != "category")
    declared_id = getattr(declared, "ID_COLUMN", None)
    return SimpleNamespace(
        FEATURE_SPECS=features,
        SPECS={spec.name: spec for spec in features},
        CATEGORICAL_FEATURES=categorical,
        NUMERIC_FEATURES=numeric,
        # Categorical features first, then the others: the order of the tree model's inputs.
        FEATURES=categorical + numeric,
        OPTIONAL_FEATURES=tuple(s.name for s in features if s.nullable),
        VOCABULARIES={s.name: s.vocabulary for s in features if s.vocabulary},
        # What the model sees: every feature but the protected attribute (fairness through
        # unawareness); the attribute stays in the data so tests can prove it changes nothing.
        MODEL_FEATURES=tuple(name for name in categorical + numeric if name not in protected),
        LABEL=declared.LABEL,
        POSITIVE=declared.POSITIVE,
        ID_GENERATED=declared_id is None,
        ID_COLUMN=declared_id or GENERATED_ID,
        TIME_COLUMN=getattr(declared, "TIME_COLUMN", None),
        PROTECTED=protected,
        ROW_RULES=tuple(getattr(declared, "ROW_RULES", ())),
        DIRECTIONS=dict(getattr(declared, "DIRECTIONS", {})),
        MINIMUM_FUNCTIONALITY=tuple(getattr(declared, "MINIMUM_FUNCTIONALITY", ())),
        # Slices the model is judged on; by default every category and yes/no column, by value.
        SLICES=dict(
            getattr(declared, "SLICES", None)
            or {s.name: None for s in features if s.kind in ("category", "boolean") and s.name not in protected}
        ),
    )


def problems(declared: Any) -> list[str]:
    """Every mistake in a schema module's declarations, each naming the name, the column and the fix."""
    resolved = resolve(declared)
    reserved = {resolved.LABEL, resolved.ID_COLUMN, resolved.TIME_COLUMN} - {None}
    found = []
    for spec in resolved.FEATURE_SPECS:
        if spec.name in reserved:
            found.append(f"{spec.name!r} is the label, id or time column and cannot also be a feature")
        if spec.kind == "category" and not spec.vocabulary:
            found.append(f"FEATURE_SPECS {spec.name!r}: a category needs its vocabulary (the values it may take)")
        if spec.kind in ("integer", "number") and spec.bounds is None:
            found.append(f"FEATURE_SPECS {spec.name!r}: a {spec.kind} needs bounds (low, high)")
        if spec.bounds is not None and spec.bounds[0] > spec.bounds[1]:
            found.append(f"FEATURE_SPECS {spec.name!r}: bounds {spec.bounds} are not (low, high)")
    if len(resolved.SPECS) != len(resolved.FEATURE_SPECS):
        found.append("FEATURE_SPECS names a column twice")
    return found + _knowledge_problems(declared, resolved)


def _knowledge_problems(declared: Any, resolved: SimpleNamespace) -> list[str]:
    found = []
    columns = resolved.SPECS
    numeric = sorted(name for name, spec in columns.items() if spec.kind in ("integer", "number"))
    categorical = sorted(resolved.CATEGORICAL_FEATURES)
    if not resolved.MODEL_FEATURES:
        found.append("FEATURE_SPECS: the model needs at least one feature that is not PROTECTED")
    for name, sign in resolved.DIRECTIONS.items():
        if name not in numeric:
            found.append(f"DIRECTIONS {name!r}: not a numeric feature; choose from {numeric}")
        if sign not in (-1, 1):
            found.append(f"DIRECTIONS {name!r}: the sign must be +1 or -1, got {sign!r}")
    for name in resolved.PROTECTED:
        if name not in categorical:
            found.append(f"PROTECTED {name!r}: not a category feature; choose from {categorical}")
    for name, edges in dict(getattr(declared, "SLICES", None) or {}).items():  # as declared, not defaulted
        if name not in columns:
            found.append(f"SLICES {name!r}: not a feature; choose from {sorted(columns)}")
        elif edges is not None and (name not in numeric or list(edges) != sorted(edges)):
            found.append(f"SLICES {name!r}: band edges need a numeric feature and increasing edges")
    for pair in resolved.MINIMUM_FUNCTIONALITY:
        unknown = sorted((set(pair.better) | set(pair.worse)) - set(columns))
        if unknown:
            found.append(f"MINIMUM_FUNCTIONALITY {pair.name!r}: unknown columns {unknown}")
    return found


_problems = problems(specs)
if _problems:
    raise ContractError("src/adclick/data/specs.py: " + "; ".join(_problems))

_team = resolve(specs)
FEATURE_SPECS: tuple[FieldSpec, ...] = _team.FEATURE_SPECS
SPECS: dict[str, FieldSpec] = _team.SPECS
CATEGORICAL_FEATURES: tuple[str, ...] = _team.CATEGORICAL_FEATURES
NUMERIC_FEATURES: tuple[str, ...] = _team.NUMERIC_FEATURES
FEATURES: tuple[str, ...] = _team.FEATURES
OPTIONAL_FEATURES: tuple[str, ...] = _team.OPTIONAL_FEATURES
VOCABULARIES: dict[str, tuple[str, ...]] = _team.VOCABULARIES
MODEL_FEATURES: tuple[str, ...] = _team.MODEL_FEATURES
LABEL: str = _team.LABEL
POSITIVE: Any = _team.POSITIVE
ID_GENERATED: bool = _team.ID_GENERATED
ID_COLUMN: str = _team.ID_COLUMN
TIME_COLUMN: str | None = _team.TIME_COLUMN
PROTECTED: tuple[str, ...] = _team.PROTECTED
ROW_RULES: tuple[RowRule, ...] = _team.ROW_RULES
DIRECTIONS: Mapping[str, int] = _team.DIRECTIONS
MINIMUM_FUNCTIONALITY: tuple[Pair, ...] = _team.MINIMUM_FUNCTIONALITY
SLICES: dict[str, tuple[float, ...] | None] = _team.SLICES
