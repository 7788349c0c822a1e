"""The fitted candidate pipeline, compiled for serving: the same trees, without scikit-learn's
per-call overhead.

Of a small `predict_proba` of the pipeline, the trees' own arithmetic is a small part: most
goes to the ColumnTransformer (selecting columns, ordinal-encoding the categories), the
classifier's inner category mapping and input checks, and a Python loop over the tree
predictors. Compiled, the encoding is a dictionary lookup per category and the forest is a
Treelite model (treelite.sklearn.import_model, predicted by Treelite's C++ inference library,
GTIL); where a C compiler built the same trees into machine code (`serve.compiled.machine_code`,
at export), batches run faster still. docs/serving.md has the figures.

Same model, same numbers: `compile_pipeline` refuses any pipeline it does not know how to
reproduce (the service then serves the pipeline itself), the service replays the training
run's canary rows through the compiled model before serving it, and tests/api/test_compiled_engines.py
holds its probabilities to the pipeline's within `serve.compiled_max_difference` (they differ in
the last bits of a double: Treelite sums the trees in its own order).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from adclick.model.predict import SINGLE_THREAD_BELOW_ROWS
from adclick.serve.compiled.machine_code import NATIVE_FILE, NativeForest

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

FOREST_FILE = "forest.tl"


@dataclass(frozen=True)
class CompiledModel:
    """The fitted encoder's categories as lookups, and the fitted trees as a Treelite model."""

    categorical: tuple[str, ...]  # in the classifier's input order: the categories first ...
    numeric: tuple[str, ...]  # ... then the numbers
    codes: tuple[dict[Any, float], ...]  # per categorical column: value -> ordinal code
    forest: Any  # treelite.Model
    native: NativeForest | None = None  # the same trees as machine code (serve.compiled.machine_code), when built
    native_problem: str | None = None  # why machine code that was built does not load here

    @property
    def engine(self) -> str:
        """What walks the trees: "native" (serve.compiled.machine_code) or "treelite" (Treelite's GTIL)."""
        return "native" if self.native is not None else "treelite"

    def interpreted(self) -> CompiledModel:
        """This model with Treelite's inference walking the trees, the machine code set aside."""
        return replace(self, native=None, native_problem=None)

    def inputs(self, frame: pd.DataFrame) -> np.ndarray:
        """The classifier's input array: the codes the fitted encoder gives (a category outside its
        vocabulary, or a gap, becomes NaN, as the encoder makes it), then the numbers."""
        values = np.empty((len(frame), len(self.categorical) + len(self.numeric)), dtype=np.float64)
        for index, (name, lookup) in enumerate(zip(self.categorical, self.codes, strict=True)):
            values[:, index] = [lookup.get(value, np.nan) for value in frame[name].tolist()]
        for index, name in enumerate(self.numeric, start=len(self.categorical)):
            values[:, index] = frame[name].to_numpy(dtype=np.float64, na_value=np.nan)
        return values

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """P(negative), P(positive) per row, as the pipeline's `predict_proba` answers: the
        service and `model.predict.probabilities` call it the same way.

        The machine code, when built, runs on the calling thread. Treelite's
        inference uses one thread below `SINGLE_THREAD_BELOW_ROWS` rows (why: `model.predict`);
        above, as many as OpenMP allows (OMP_NUM_THREADS, which the service sets to 1)."""
        inputs = self.inputs(frame)
        if self.native is not None:
            positive = self.native.predict(inputs)
        else:
            import treelite.gtil

            threads = 1 if len(inputs) < SINGLE_THREAD_BELOW_ROWS else -1
            positive = treelite.gtil.predict(self.forest, inputs, nthread=threads).reshape(len(inputs))
        return np.column_stack([1.0 - positive, positive])

    def save(self, folder: Path) -> dict[str, Any]:
        """Write the trees to `folder` (Treelite's checkpoint); return the rest as JSON-ready
        data (levels keep their JSON type: a category may be a number or a yes/no)."""
        self.forest.serialize(str(folder / FOREST_FILE))
        return {
            "categorical": list(self.categorical),
            "numeric": list(self.numeric),
            "codes": [[[value, code] for value, code in lookup.items()] for lookup in self.codes],
        }

    @classmethod
    def load(cls, folder: Path, described: dict[str, Any]) -> CompiledModel:
        """The model `save` wrote to `folder` and described, with the machine code built beside
        it (`serve.compiled.machine_code.build`) when there is one."""
        import treelite

        codes = tuple({value: float(code) for value, code in pairs} for pairs in described["codes"])
        forest = treelite.Model.deserialize(str(folder / FOREST_FILE))
        native, problem = None, None
        if (folder / NATIVE_FILE).is_file():
            try:
                native = NativeForest(folder / NATIVE_FILE)
            except Exception as exc:  # e.g. a bundle built on another platform: Treelite serves instead
                problem = f"{NATIVE_FILE} does not load here ({exc}); Treelite's inference serves instead"
        return cls(tuple(described["categorical"]), tuple(described["numeric"]), codes, forest, native, problem)


def compile_pipeline(pipeline: Any) -> CompiledModel | None:
    """The compiled form of a fitted candidate pipeline (`model.build.build_candidate`), or None
    when it is not one: a model this module cannot reproduce is served as it is."""
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OrdinalEncoder

    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        return None
    preprocess, classifier = pipeline.steps[0][1], pipeline.steps[1][1]
    if not isinstance(preprocess, ColumnTransformer) or not isinstance(classifier, HistGradientBoostingClassifier):
        return None
    if len(classifier.classes_) != 2 or preprocess.remainder != "drop":
        return None
    declared = {name: (transformer, list(columns)) for name, transformer, columns in preprocess.transformers}
    if set(declared) != {"categorical", "numeric"} or declared["numeric"][0] != "passthrough":
        return None
    categorical = declared["categorical"][1]
    encoder = preprocess.named_transformers_["categorical"]  # the fitted one (unfitted without columns)
    if not isinstance(encoder, OrdinalEncoder) or not np.isnan(encoder.unknown_value):
        return None
    codes = _codes(encoder.categories_, classifier) if categorical else ()
    if codes is None:
        return None
    import treelite.sklearn

    forest = treelite.sklearn.import_model(classifier)
    return CompiledModel(tuple(categorical), tuple(declared["numeric"][1]), codes, forest)


def _codes(levels: list[np.ndarray], classifier: Any) -> tuple[dict[Any, float], ...] | None:
    """Per categorical column, each level of the pipeline's encoder and its code, or None when
    the trees would read a code otherwise.

    HistGradientBoosting maps the codes it receives once more, onto the categories seen in
    training (its `_preprocessor`). When every level was seen, that mapping is the identity and
    Treelite reads the codes as the trees do. When a level never appeared in the training rows,
    Treelite's reading of the remapped codes departed from scikit-learn's (by up to 0.06 in
    probability): such a model is served by its pipeline."""
    inner = getattr(classifier, "_preprocessor", None)
    if inner is not None:
        seen = inner.named_transformers_["encoder"].categories_
        if len(seen) != len(levels) or any(
            [float(c) for c in trained] != [float(c) for c in range(len(column))]
            for trained, column in zip(seen, levels, strict=True)
        ):
            return None
    return tuple({value: float(code) for code, value in enumerate(column)} for column in levels)
