"""The MLflow registry: where runs and models live, versions, aliases and loading.

Aliases, not stages: `challenger` marks the newest trained version, `champion` the one that
serves (moved only by `adclick.tracking.promotion`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from adclick.errors import ModelNotFoundError
from adclick.model.threshold import Threshold

if TYPE_CHECKING:
    from mlflow import MlflowClient

    from adclick.config import Settings

CHAMPION = "champion"
CHALLENGER = "challenger"

# skops loads only the types listed here. HistGradientBoosting's trees and its native
# categorical support (a partial of check_array) are the only non-default types our models use.
SKOPS_TRUSTED_TYPES = [
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "functools.partial",
    "sklearn.utils.validation.check_array",
    "numpy.dtype",
]

CANARY_ARTIFACT = "canary.json"  # rows of the test split and what the model gave them at training
# The decision threshold a version decides at (`adclick.model.threshold`): a metric of its
# training run, with how it was chosen as a tag.
THRESHOLD_METRIC, THRESHOLD_TAG = "decision_threshold", "decision_threshold_how"

_MODELS_URI = re.compile(r"^models:/(?P<name>[^/@]+)(?:@(?P<alias>[^/]+)|/(?P<version>\d+))$")


@dataclass(frozen=True)
class ModelRef:
    """Which registered model version a URI points at."""

    name: str
    version: str
    run_id: str
    uri: str

    @property
    def alias(self) -> str | None:
        """The alias the URI names (`models:/NAME@ALIAS`), or None for a version number."""
        match = _MODELS_URI.match(self.uri)
        return None if match is None else match["alias"]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "alias": self.alias}


@dataclass(frozen=True)
class RegisteredVersion:
    """A registered version with what serving needs of its run, read from MLflow in one call."""

    ref: ModelRef
    threshold: Threshold  # what its decisions are made at
    test_metrics: dict[str, float]  # the run's test_* metrics, without the prefix
    trained_at: float  # when the training run started, seconds since the epoch (staleness)
    canary: dict[str, Any] | None  # the run's canary (CANARY_ARTIFACT), None for a run logged without one

    def pipeline(self) -> Any:
        """The scikit-learn pipeline itself, loaded only when asked (an export that finds its
        bundle written already never loads it)."""
        import mlflow.sklearn

        return mlflow.sklearn.load_model(f"models:/{self.ref.name}/{self.ref.version}")


def connect(settings: Settings) -> MlflowClient:
    """Point MLflow at the configured store and make sure the experiment exists."""
    import mlflow

    mlflow.set_tracking_uri(settings.tracking_uri)
    # Set explicitly: MLflow otherwise keeps the registry of the first store a process touched.
    mlflow.set_registry_uri(settings.tracking_uri)
    client = mlflow.MlflowClient(tracking_uri=settings.tracking_uri, registry_uri=settings.tracking_uri)
    if client.get_experiment_by_name(settings.mlflow.experiment) is None:
        client.create_experiment(settings.mlflow.experiment, artifact_location=settings.artifact_location)
    mlflow.set_experiment(settings.mlflow.experiment)
    return client


def threshold_of(run: Any, settings: Settings) -> Threshold:
    """The threshold a training run logged; for a run logged without one, the settings' fixed
    threshold, or 0.5 under a rule."""
    logged = run.data.metrics.get(THRESHOLD_METRIC)
    if logged is not None:
        return Threshold(float(logged), run.data.tags.get(THRESHOLD_TAG, "logged with the model"))
    fixed = settings.model.decision_threshold
    return Threshold(fixed if isinstance(fixed, float) else 0.5, "not logged with the model: the default")


def decision_threshold(client: MlflowClient, settings: Settings, ref: ModelRef) -> Threshold:
    """The threshold the version `ref` decides at."""
    return threshold_of(client.get_run(ref.run_id), settings)


def alias_uri(settings: Settings, alias: str) -> str:
    return f"models:/{settings.model.registered_name}@{alias}"


def resolve(client: MlflowClient, uri: str) -> ModelRef:
    """Turn `models:/name@alias` or `models:/name/version` into a concrete version."""
    from mlflow.exceptions import MlflowException

    match = _MODELS_URI.match(uri)
    if match is None:
        raise ModelNotFoundError(f"model URI {uri!r} is not of the form models:/NAME@ALIAS or models:/NAME/VERSION")
    name, alias, version = match["name"], match["alias"], match["version"]
    try:
        mv = client.get_model_version_by_alias(name, alias) if alias else client.get_model_version(name, version)
    except MlflowException:
        raise ModelNotFoundError(f"no model at {uri!r} in the registry") from None
    return ModelRef(name=name, version=str(mv.version), run_id=mv.run_id, uri=uri)


def find(client: MlflowClient, name: str, alias: str) -> ModelRef | None:
    """The version behind an alias, or None when the alias is not set (e.g. no champion yet)."""
    try:
        return resolve(client, f"models:/{name}@{alias}")
    except ModelNotFoundError:
        return None


def load_sklearn(client: MlflowClient, uri: str) -> tuple[Any, ModelRef]:
    """Load the native scikit-learn model behind a registry URI."""
    import mlflow.sklearn

    ref = resolve(client, uri)
    model = mlflow.sklearn.load_model(f"models:/{ref.name}/{ref.version}")
    return model, ref


def register(client: MlflowClient, name: str, model_uri: str, model_id: str, run_id: str) -> ModelRef:
    """Add a version of `name` for a logged model (creating the registered model on first use).

    Through the client rather than `log_model(registered_model_name=...)`, which prints to stderr.
    """
    from mlflow.exceptions import MlflowException

    try:
        client.create_registered_model(name)
    except MlflowException as exc:
        if exc.error_code not in ("RESOURCE_ALREADY_EXISTS", "ALREADY_EXISTS"):
            raise
    version = client.create_model_version(name, source=model_uri, run_id=run_id, model_id=model_id)
    return ModelRef(name=name, version=str(version.version), run_id=run_id, uri=f"models:/{name}/{version.version}")


def set_alias(client: MlflowClient, ref: ModelRef, alias: str) -> ModelRef:
    client.set_registered_model_alias(ref.name, alias, ref.version)
    return ModelRef(ref.name, ref.version, ref.run_id, f"models:/{ref.name}@{alias}")


def load_version(settings: Settings, uri: str) -> RegisteredVersion:
    """The version `uri` resolves to, with its run's test metrics, start and canary."""
    import mlflow.artifacts
    from mlflow.exceptions import MlflowException

    client = connect(settings)
    ref = resolve(client, uri)
    run = client.get_run(ref.run_id)
    metrics = {k.removeprefix("test_"): v for k, v in run.data.metrics.items() if k.startswith("test_")}
    try:
        canary = mlflow.artifacts.load_dict(f"runs:/{ref.run_id}/{CANARY_ARTIFACT}")
    except (MlflowException, OSError):
        canary = None
    return RegisteredVersion(ref, threshold_of(run, settings), metrics, run.info.start_time / 1000, canary)
