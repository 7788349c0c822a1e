"""Log a training to MLflow: parameters, data facts and data sets, metrics of the model and its
baselines, the baselines as artifacts, and the model itself (skops, signature, input example);
then register a version and point the `challenger` alias at it.
"""

from __future__ import annotations

import os
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick.atomic import process_alive
from adclick.data import contract
from adclick.data.contract import FEATURES, LABEL
from adclick.data.files import frame_digest
from adclick.data.records import as_records
from adclick.model.build import BASELINES, FittedModels, fit_models
from adclick.model.metrics import classification_metrics
from adclick.model.predict import probabilities
from adclick.tracking import lineage
from adclick.tracking.registry import (
    CANARY_ARTIFACT,
    CHALLENGER,
    SKOPS_TRUSTED_TYPES,
    THRESHOLD_METRIC,
    THRESHOLD_TAG,
    ModelRef,
    connect,
    register,
    set_alias,
)

if TYPE_CHECKING:
    from mlflow import MlflowClient
    from sklearn.pipeline import Pipeline

    from adclick.config import Settings

BASELINE_ARTIFACT_DIR = "baselines"
HOST_TAG, PID_TAG = "adclick.host", "adclick.pid"  # which process writes a run, to end it if that one dies
CANARY_ROWS = 20
SCHEMA_SAMPLE_ROWS = 1_000  # first rows a data set's schema is inferred from (schema_sample)


@dataclass(frozen=True)
class TrainResult:
    ref: ModelRef
    metrics: dict[str, float]
    baseline_metrics: dict[str, dict[str, float]]


def dataset_facts(name: str, frame: pd.DataFrame) -> dict[str, float | int | str]:
    return {
        f"{name}_rows": len(frame),
        f"{name}_positive_rate": round(float(frame[LABEL].mean()), 6),
        f"{name}_digest": frame_digest(frame),
    }


@dataclass(frozen=True)
class LoggedTraining:
    """A training logged to MLflow: its run, its logged model, and its test metrics."""

    run_id: str
    model_uri: str
    model_id: str
    metrics: dict[str, float]
    baseline_metrics: dict[str, dict[str, float]]


def train_and_register(
    settings: Settings,
    train: pd.DataFrame,
    test: pd.DataFrame,
    *,
    description: str = "",
    sources: dict[str, str] | None = None,
    fitted: FittedModels | None = None,
    read: dict[str, Path] | None = None,
) -> TrainResult:
    """Fit, score on `test`, log params/metrics/data facts/models to MLflow, register, alias challenger.

    `sources` names where the train and test frames were read from, for MLflow's dataset tracking;
    `read` names the files the training read, whose hashes go into the run's lineage;
    `fitted` (models already fitted on `train`) skips fitting, so a test session fits once.
    """
    client = connect(settings)
    fitted = fitted or fit_models(train, settings)
    logged = log_training(settings, train, test, fitted, description=description, sources=sources, read=read)
    ref = register(client, settings.model.registered_name, logged.model_uri, logged.model_id, logged.run_id)
    return TrainResult(set_alias(client, ref, CHALLENGER), logged.metrics, logged.baseline_metrics)


def log_training(
    settings: Settings,
    train: pd.DataFrame,
    test: pd.DataFrame,
    fitted: FittedModels,
    *,
    description: str = "",
    sources: dict[str, str] | None = None,
    read: dict[str, Path] | None = None,
    run_name: str | None = None,
    nested: bool = False,
    extra_metrics: dict[str, float] | None = None,
) -> LoggedTraining:
    """One MLflow run for fitted models: parameters, lineage, data sets, test metrics of the model
    and its baselines, the baselines as artifacts, and the model (skops, signature, input example).

    `nested` makes it a child of the active run (an experiment grid); `extra_metrics` adds
    metrics measured elsewhere (a validation score)."""
    import mlflow
    import mlflow.sklearn
    from mlflow.models import infer_signature

    threshold = fitted.threshold.value
    y_test = test[LABEL].to_numpy()
    metrics = classification_metrics(y_test, probabilities(fitted.candidate, test), threshold)
    baseline_metrics = {
        name: classification_metrics(y_test, probabilities(model, test), threshold)
        for name, model in fitted.baselines.items()
    }
    X_example = train[list(FEATURES)].head(5)

    end_abandoned_runs(mlflow.MlflowClient(), settings.mlflow.experiment)
    writer = {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}
    with mlflow.start_run(description=description or None, run_name=run_name, nested=nested, tags=writer) as run:
        mlflow.log_params(_params(settings))
        lineage.record(settings, read or {})
        facts = {**dataset_facts("train", train), **dataset_facts("test", test)}
        _log_datasets({"train": train, "test": test}, sources or {}, facts)
        mlflow.set_tags({k: v for k, v in facts.items() if isinstance(v, str)})
        mlflow.log_metrics({k: float(v) for k, v in facts.items() if not isinstance(v, str)})
        mlflow.log_metrics({f"test_{k}": v for k, v in metrics.items()})
        mlflow.log_metrics(extra_metrics or {})
        mlflow.log_metric(THRESHOLD_METRIC, threshold)  # the model version decides at this threshold
        mlflow.set_tag(THRESHOLD_TAG, fitted.threshold.how)
        for name, values in baseline_metrics.items():
            mlflow.log_metrics({f"baseline_{name}_test_{k}": v for k, v in values.items()})
        _log_baselines(fitted.baselines)
        mlflow.log_dict(canary(fitted.candidate, test), CANARY_ARTIFACT)
        info = mlflow.sklearn.log_model(
            fitted.candidate,
            name="model",
            serialization_format="skops",
            skops_trusted_types=SKOPS_TRUSTED_TYPES,
            pyfunc_predict_fn="predict_proba",
            signature=infer_signature(X_example, fitted.candidate.predict_proba(X_example)),
            input_example=X_example,
            pip_requirements=_pip_requirements(),
        )
    return LoggedTraining(run.info.run_id, info.model_uri, info.model_id, metrics, baseline_metrics)


def end_abandoned_runs(client: MlflowClient, experiment: str) -> list[str]:
    """End FAILED the runs of `experiment` that a training process on this machine left RUNNING
    when it was killed outright (kill -9, out of memory), where no handler could end them; return
    their ids. A signal or an exception ends a run FAILED by itself (`mlflow.start_run`)."""
    found = client.get_experiment_by_name(experiment)
    if found is None:
        return []
    here = socket.gethostname().replace("'", "")
    query = f"attributes.status = 'RUNNING' and tags.`{HOST_TAG}` = '{here}'"
    abandoned = [
        run.info.run_id
        for run in client.search_runs([found.experiment_id], filter_string=query)
        if not process_alive(int(run.data.tags.get(PID_TAG, "0")))  # no tag: 0, taken as alive
    ]
    for run_id in abandoned:
        client.set_terminated(run_id, status="FAILED")
    return abandoned


def canary(model: Pipeline, test: pd.DataFrame) -> dict[str, Any]:
    """Rows the service replays before it serves this model (serve/canary.py), as JSON records,
    with the probabilities the model gave them here: a model that answers otherwise where it is
    served (a library version, a preprocessing difference) is not served."""
    rows = test.head(CANARY_ROWS)
    return {"records": as_records(rows), "probabilities": probabilities(model, rows).tolist()}


def _params(settings: Settings) -> dict[str, Any]:
    return {
        "seed": settings.seed,
        "decision_threshold": settings.model.decision_threshold,  # a probability or a rule (model.threshold)
        "threshold_validation_fraction": settings.model.threshold_validation_fraction,
        **{f"hgb_{k}": v for k, v in settings.model.hist_gradient_boosting.model_dump().items()},
        "monotonic_constraints": dict(contract.DIRECTIONS) if settings.model.enforce_known_directions else {},
        "logistic_C": settings.model.logistic_regression.C,
    }


def _log_baselines(baselines: dict[str, Pipeline]) -> None:
    """The fitted baselines as skops artifacts of the run, so a later evaluation re-scores them."""
    import mlflow
    import skops.io

    with tempfile.TemporaryDirectory() as tmp:
        for name, model in baselines.items():
            path = Path(tmp) / f"{name}.skops"
            skops.io.dump(model, path)
            mlflow.log_artifact(str(path), artifact_path=BASELINE_ARTIFACT_DIR)


def _log_datasets(frames: dict[str, pd.DataFrame], sources: dict[str, str], facts: dict[str, Any]) -> None:
    """Record each frame as an MLflow dataset input (digest, schema, rows; the UI links it to the run).

    The digest is the one in `facts` (`frame_digest`), so the dataset and the `<name>_digest` tag agree.
    """
    import warnings

    import mlflow
    import mlflow.data
    from mlflow.models import infer_signature

    for name, frame in frames.items():
        with warnings.catch_warnings():
            # A plain path matches two equivalent local source types: not a problem to report.
            warnings.filterwarnings("ignore", message="The specified dataset source can be interpreted")
            dataset = mlflow.data.from_pandas(
                frame, source=sources.get(name), targets=LABEL, name=name, digest=facts[f"{name}_digest"]
            )
            # MLflow would infer the schema value by value over the whole frame; the sample names the same one.
            dataset.schema = infer_signature(schema_sample(frame)).inputs
        mlflow.log_input(dataset, context="training" if name == "train" else name)


def schema_sample(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows from which MLflow infers the schema it would infer from the whole frame: the first
    rows (a typed column holds one type, so they name it) and, for each column with a gap, its
    first gap (a gap is what makes a column optional in the schema)."""
    gaps = frame.isna().to_numpy()
    first_gaps = gaps.argmax(axis=0)[gaps.any(axis=0)]
    return frame.iloc[np.union1d(np.arange(min(len(frame), SCHEMA_SAMPLE_ROWS)), first_gaps)]


def load_baselines(run_id: str) -> dict[str, Pipeline]:
    """The baselines stored with a training run, for re-scoring on new evaluation data."""
    import mlflow.artifacts
    import skops.io

    folder = Path(mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path=BASELINE_ARTIFACT_DIR))
    return {name: skops.io.load(folder / f"{name}.skops", trusted=SKOPS_TRUSTED_TYPES) for name in BASELINES}


def _pip_requirements() -> list[str]:
    """Pinned from the running environment: faster and more exact than MLflow's inference."""
    from importlib.metadata import version

    return [f"{package}=={version(package)}" for package in ("scikit-learn", "skops", "numpy", "pandas", "scipy")]
