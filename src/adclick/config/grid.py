"""Settings of the experiment grid (`adclick experiments`), and how a dotted key overrides params.yaml.

A grid key is the dotted path of a params.yaml value, the same spelling `dvc exp run -S` takes
(`model.hist_gradient_boosting.learning_rate`), so one vocabulary names a setting everywhere.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from pydantic import Field, field_validator

from adclick.config.base import Fraction, Section


class ExperimentSettings(Section):
    """A small grid of trainings compared in MLflow, ranked on a validation part of the training
    split so that the test split stays untouched for the gates."""

    validation_fraction: Fraction = Field(0.2, description="of the training split: the children are ranked on it")
    grid: dict[str, list[Any]] = Field(
        {
            "model.hist_gradient_boosting.learning_rate": [0.04, 0.08, 0.16],
            "model.hist_gradient_boosting.max_leaf_nodes": [7, 15, 31],
        },
        min_length=1,
        description="dotted params.yaml key -> values to try (the spelling `dvc exp run -S` takes)",
    )

    @field_validator("grid")
    @classmethod
    def _values_are_lists(cls, grid: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for key, values in grid.items():
            if not values:
                raise ValueError(f"{key}: give at least one value to try")
            if len({repr(v) for v in values}) != len(values):
                raise ValueError(f"{key}: a value is listed twice ({values})")
        return grid

    def combinations(self) -> list[dict[str, Any]]:
        """Every combination of the grid, in the order of params.yaml: one override per key."""
        keys = list(self.grid)
        return [dict(zip(keys, values, strict=True)) for values in itertools.product(*self.grid.values())]


def overridden(values: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the params mapping with each dotted key set; a key that is not already in
    params.yaml is an error (a typo would otherwise train the same model under a new name)."""
    result = _copy(values)
    for dotted, value in overrides.items():
        node = result
        *parents, leaf = dotted.split(".")
        for part in parents:
            if not isinstance(node.get(part), dict):
                raise KeyError(dotted)
            node = node[part]
        if leaf not in node:
            raise KeyError(dotted)
        node[leaf] = value
    return result


def _copy(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _copy(v) if isinstance(v, Mapping) else v for k, v in values.items()}
