"""The faults of the drill: the kinds of bug ML teams ship, each injected from outside the code
under test (a patch applied when a process starts, never an edit of the source).

Drawn from what goes wrong in real ML systems, not from what our tests check: label errors and
leakage, wrong outputs and a model that fails one part of the population (Sculley et al., 2015;
Breck et al., 2017), training/serving skew (Breck et al., monitoring 3), lost constraints, a
promotion that ignores its gates, validation switched off, a lost seed, files half written or
read with the wrong types, and a slowdown. Each entry says what breaks and how it would reach
production if no test caught it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace as replace_field
from typing import Any


@dataclass(frozen=True)
class Fault:
    name: str
    kind: str
    what: str
    inject: Callable[[], None]
    trigger: str  # the module whose import applies the fault (nothing is imported earlier for it)


FAULTS: dict[str, Fault] = {}


def fault(name: str, kind: str, what: str, trigger: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Register the function below as the fault `name`, of the kind of bug `kind`, applied when
    `trigger` is imported."""

    def register(inject: Callable[[], None]) -> Callable[[], None]:
        FAULTS[name] = Fault(name, kind, what, inject, trigger)
        return inject

    return register


def replace(module_name: str, attribute: str, make: Callable[[Any], Any]) -> None:
    """Replace `module.attribute` by `make(original)`, in the module and in every module of ours
    already bound to the original (a `from x import f` made before the patch)."""
    module = importlib.import_module(module_name)
    original = getattr(module, attribute)
    replacement = make(original)
    for loaded in list(sys.modules.values()):
        if getattr(loaded, "__name__", "").startswith("adclick") and getattr(loaded, attribute, None) is original:
            setattr(loaded, attribute, replacement)
    setattr(module, attribute, replacement)


@fault(
    "flipped-labels",
    "labels",
    "the label is inverted before training (a join on the wrong key)",
    trigger="adclick.model.build",
)
def _flipped_labels() -> None:
    from adclick.data.contract import LABEL

    replace(
        "adclick.model.build",
        "fit",
        lambda fit: lambda model, train: fit(model, train.assign(**{LABEL: 1 - train[LABEL]})),
    )


@fault(
    "leaky-feature",
    "labels",
    "a feature is computed from the label upstream",
    trigger="adclick.data.sources",
)
def _leaky_feature() -> None:
    """A feature computed from the label upstream (e.g. a 'converted' flag joined after the fact)."""
    import numpy as np

    from adclick.data import contract, shifts

    column = shifts.shift_targets(1)[0]
    low, high = contract.SPECS[column].bounds  # type: ignore[misc]

    def leaked(labelled: Callable[..., Any]) -> Callable[..., Any]:
        def read(*args: Any, **kwargs: Any) -> Any:
            frame = labelled(*args, **kwargs)
            value = np.where(frame[contract.LABEL] == 1, high, low)
            return frame.assign(**{column: value.astype(frame[column].dtype)})

        return read

    replace("adclick.data.sources", "labelled", leaked)


@fault(
    "inverted-probabilities",
    "outputs",
    "the model returns P(negative) for P(positive)",
    trigger="adclick.model.predict",
)
def _inverted_probabilities() -> None:
    replace("adclick.model.predict", "probabilities", lambda proba: lambda model, frame: 1.0 - proba(model, frame))


@fault(
    "scores-not-probabilities",
    "outputs",
    "log-odds served where probabilities are promised",
    trigger="adclick.model.predict",
)
def _scores_not_probabilities() -> None:
    """Raw decision scores where probabilities were promised (a log-odds head, say)."""
    import numpy as np

    replace(
        "adclick.model.predict",
        "probabilities",
        lambda proba: lambda model, frame: np.log(proba(model, frame) / (1 - proba(model, frame) + 1e-12) + 1e-12),
    )


@fault(
    "one-segment-broken",
    "population",
    "a constant answer for one slice of the population",
    trigger="adclick.model.predict",
)
def _one_segment_broken() -> None:
    """The model answers a constant for one part of the population: the most frequent value of the
    first declared slice (the first it sees), as when a category level or a range is mishandled."""
    import numpy as np

    from adclick.data import contract
    from adclick.model.metrics import slice_columns

    grouping, chosen = next(iter(contract.SLICES)), []  # (value, constant), fixed at the first call

    def broken(proba: Callable[..., Any]) -> Callable[..., Any]:
        def predict(model: Any, frame: Any) -> Any:
            values = np.array(proba(model, frame), dtype=float)
            if grouping not in frame or not len(values):
                return values
            segment = slice_columns(frame)[grouping]
            chosen[:] = chosen or [segment.mode()[0], float(values.mean())]
            values[(segment == chosen[0]).to_numpy()] = chosen[1]
            return values

        return predict

    replace("adclick.model.predict", "probabilities", broken)


@fault(
    "serving-skew",
    "training/serving",
    "the service reads a number in other units (x100)",
    trigger="adclick.serve.request_contract",
)
def _serving_skew() -> None:
    """The service builds its frame with a number in other units than training (cents for euros)."""
    from adclick.data import shifts

    column = shifts.shift_targets(1)[0]
    replace(
        "adclick.serve.request_contract",
        "records_frame",
        lambda build: lambda records: _times(build(records), column, 100),
    )


def _times(frame: Any, column: str, factor: float) -> Any:
    return frame.assign(**{column: frame[column] * factor})


@fault(
    "constraints-dropped",
    "known constraints",
    "the monotonic constraints are lost",
    trigger="adclick.model.features",
)
def _constraints_dropped() -> None:
    replace("adclick.model.features", "monotonic_constraints", lambda _: lambda constraints, inputs=None: None)


@fault(
    "gates-ignored",
    "promotion",
    "promotion moves the champion whatever the gates say",
    trigger="adclick.tracking.promotion",
)
def _gates_ignored() -> None:
    def ignoring(check_gates: Callable[..., Any]) -> Callable[..., Any]:
        def all_passed(*args: Any, **kwargs: Any) -> Any:
            return [replace_field(verdict, passed=True) for verdict in check_gates(*args, **kwargs)]

        return all_passed

    replace("adclick.tracking.promotion", "check_gates", ignoring)


@fault(
    "champion-not-compared",
    "promotion",
    "the gate against the champion is skipped",
    trigger="adclick.tracking.gates",
)
def _champion_not_compared() -> None:
    replace(
        "adclick.tracking.gates",
        "check_gates",
        lambda check: (
            lambda gates, metrics, baselines, champion, sample=None: check(gates, metrics, baselines, None, sample)
        ),
    )


@fault(
    "validation-off",
    "validation",
    "validation returns the data unchecked",
    trigger="adclick.data.validation",
)
def _validation_off() -> None:
    replace("adclick.data.validation", "validate", lambda _: lambda frame, **kwargs: frame)


@fault(
    "seed-lost",
    "reproducibility",
    "the model is built without its seed",
    trigger="adclick.model.build",
)
def _seed_lost() -> None:
    replace(
        "adclick.model.build",
        "build_candidate",
        lambda build: (
            lambda settings, inputs=None, **overrides: build(
                settings, **({} if inputs is None else {"inputs": inputs}), **{"random_state": None, **overrides}
            )
        ),
    )


@fault(
    "half-written-files",
    "files",
    "files are written in place, not atomically",
    trigger="adclick.atomic",
)
def _half_written_files() -> None:
    """Files written in place: a crash mid-write leaves half a file where the last good one was."""

    def in_place(_: Callable[..., Any]) -> Callable[..., Any]:
        def write(target: Any, writer: Callable[[Any], Any]) -> Any:
            from pathlib import Path

            target = Path(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            writer(target)
            return target

        return write

    replace("adclick.atomic", "write_atomic", in_place)


@fault(
    "csv-types-guessed",
    "files",
    "CSV columns typed by guesswork (ids and codes as numbers)",
    trigger="adclick.data.files",
)
def _csv_types_guessed() -> None:
    """CSV read with pandas' guesses: ids and category codes become numbers, "007" becomes 7."""
    import pandas as pd

    from adclick.data import files

    files._READERS[".csv"] = lambda path: pd.read_csv(path)


@fault(
    "slow-prediction",
    "speed",
    "every prediction waits 2 ms more (and 2 us a row)",
    trigger="adclick.model.predict",
)
def _slow_prediction() -> None:

    def slowed(proba: Callable[..., Any]) -> Callable[..., Any]:
        def predict(model: Any, frame: Any) -> Any:
            time.sleep(0.002 + 2e-6 * len(frame))
            return proba(model, frame)

        return predict

    replace("adclick.model.predict", "probabilities", slowed)


@fault(
    "drift-never-flagged",
    "monitoring",
    "no column is ever called drifted",
    trigger="adclick.data.drift",
)
def _drift_never_flagged() -> None:
    from dataclasses import replace as copy

    replace(
        "adclick.data.drift",
        "column_drift",
        lambda drift: lambda *args, **kwargs: copy(drift(*args, **kwargs), drifted=False),
    )


class _AfterImport(importlib.abc.MetaPathFinder):
    """Applies a fault right after its trigger module is imported, in whatever process imports
    it: a process that never imports it (`adclick --help`, a tool) is left as it was."""

    def __init__(self, chosen: Fault) -> None:
        self.fault = chosen

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != self.fault.trigger:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        run = spec.loader.exec_module  # type: ignore[union-attr]

        def exec_module(module: Any) -> None:
            run(module)
            self.fault.inject()

        spec.loader.exec_module = exec_module  # type: ignore[union-attr,method-assign]
        return spec


def inject(name: str) -> None:
    """Apply the fault `name` in this process, as soon as its trigger module is imported."""
    if name not in FAULTS:
        raise SystemExit(f"ADCLICK_FAULT={name!r} is not in the catalogue: {', '.join(FAULTS)}")
    chosen = FAULTS[name]
    if chosen.trigger in sys.modules:
        chosen.inject()
    else:
        sys.meta_path.insert(0, _AfterImport(chosen))
