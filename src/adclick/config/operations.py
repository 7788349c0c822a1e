"""Settings of the model in operation: the prediction service, where files go, the MLflow store,
and the budgets that say how fast and how well tested the template must stay."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from adclick.config.base import Section, Share, increasing


class ServingGoals(Section):
    """What `make load` and the performance layer hold our service to against `mlflow models
    serve` on the same model and requests: each a ratio ours / theirs, measured side by side."""

    max_startup: float = Field(0.3, gt=0.0, description="seconds from launch to ready")
    max_memory: float = Field(0.5, gt=0.0, description="resident memory of the server's processes after the load")
    max_single_p50: float = Field(0.4, gt=0.0, description="median latency of one-record requests")
    max_single_p50_vs_raw: float = Field(
        1.5, gt=0.0, description="one record, one client: median latency over the raw in-process predict_proba"
    )
    max_p95: float = Field(0.5, gt=0.0, description="95th-percentile latency of every load, under concurrent clients")
    min_batch_rows_per_second: float = Field(1.5, gt=0.0, description="rows per second of every batch load")


class ServeSettings(Section):
    """The prediction service (adclick serve, make serve, make load)."""

    host: str = Field("127.0.0.1", min_length=1, description="interface the service listens on")
    port: int = Field(8000, ge=1, le=65535, description="its port")
    model_alias: str = Field("champion", min_length=1, description="alias loaded at start-up and on /admin/reload")
    max_batch_rows: int = Field(1000, ge=1, description="a larger batch is refused with 413")
    max_body_bytes: int = Field(2_000_000, ge=1024, description="so is a larger body")
    canary_max_difference: float = Field(
        1e-6, ge=0.0, description="a canary row's probability this far from training's keeps the model from serving"
    )
    compiled_max_difference: float = Field(
        1e-12, ge=0.0, description="the compiled engines' probabilities stay this close to the pipeline's"
    )
    goals_vs_mlflow: ServingGoals = ServingGoals()


DEFAULT_BUDGETS = {
    "validation_vs_pandas": 3.0,
    "predict_1_row_vs_bare_estimator": 4.5,
    "predict_1k_rows_vs_bare_estimator": 3.5,
    "predict_100k_rows_vs_bare_estimator": 2.0,
    "api_1_row_vs_raw_plus_floor": 3.0,
    "api_1k_rows_vs_raw": 2.0,
    "model_load_vs_skops": 3.0,
    "drift_vs_bare_scipy": 2.0,
    "replay_vs_scoring_and_statistics": 3.0,
}


class PerformanceSettings(Section):
    """Speed and memory budgets: ratios against a reference timed in the same run, a bound on
    how time grows with rows, and memory per row; never absolute wall-clock limits."""

    budgets: dict[str, Annotated[float, Field(gt=0.0)]] = Field(
        DEFAULT_BUDGETS,
        min_length=1,
        description="benchmark name -> fastest time of ours / of its reference (docs/performance.md names each)",
    )
    scaling_rows: list[Annotated[int, Field(ge=100)]] = Field(
        [10_000, 50_000, 200_000], min_length=3, description="training and prediction are timed at these sizes ..."
    )
    max_growth_exponent: float = Field(1.3, gt=0.0, description="... and time ~ rows^k keeps k under this (1 = linear)")
    max_scoring_bytes_per_cell: float = Field(
        60, gt=0.0, description="peak memory allocated while scoring 100k rows, per row and model input"
    )

    @field_validator("budgets", mode="before")
    @classmethod
    def _budgets_amend_the_defaults(cls, given: dict[str, float]) -> dict[str, float]:
        """A team sets the budgets its data needs; the others keep their defaults."""
        unknown = sorted(set(given) - set(DEFAULT_BUDGETS))
        if unknown:
            raise ValueError(f"unknown budgets {unknown}; the budgets are: {', '.join(DEFAULT_BUDGETS)}")
        return {**DEFAULT_BUDGETS, **given}

    _sizes_increase = field_validator("scaling_rows")(classmethod(lambda cls, v: increasing("scaling_rows", v)))


class MutationSettings(Section):
    """Mutation testing of the core modules (`make mutation`, [tool.mutmut] in pyproject.toml)."""

    min_score: Share = Field(0.65, description="killed / tested mutants at or above this, or the job fails")


class PathSettings(Section):
    """Where files go, relative to params.yaml's folder; all git-ignored."""

    data_dir: Path = Field(Path("data"), description="generated and prepared data")
    reports_dir: Path = Field(Path("reports"), description="validation, model, drift and test reports")
    mlflow_db: Path = Field(Path("mlflow.db"), description="the MLflow sqlite store (tracking and registry)")
    mlflow_artifacts: Path = Field(Path("mlartifacts"), description="MLflow's artifact store")
    serving_dir: Path = Field(Path("serving"), description="model versions exported for the service")


class MlflowSettings(Section):
    """The MLflow store and experiment."""

    tracking_uri: str | None = Field(
        None, description="null: sqlite at paths.mlflow_db; the MLFLOW_TRACKING_URI variable overrides it"
    )
    experiment: str = Field("adclick", min_length=1, description="experiment the runs are logged under")
