"""Typed settings read from params.yaml: the one file a forking team edits first.

Every other module receives a `Settings` object; nothing below the CLI reads the
environment. This module knows nothing of the data's columns: those are declared in the schema
module `adclick.data.specs`; params.yaml says where the data comes from and holds every
threshold. The only environment override is `MLFLOW_TRACKING_URI`, applied here at the
edge, because that is the variable MLflow users already set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from adclick.config.base import AucScore, Fraction, PositiveShare, Section, Share, increasing
from adclick.config.grid import ExperimentSettings, overridden
from adclick.config.monitoring_settings import (
    DriftCheckSettings,
    DriftSettings,
    MonitoringAlertSettings,
    MonitoringSettings,
)
from adclick.config.operations import MutationSettings, ServeSettings
from adclick.errors import ConfigError

__all__ = [
    "DriftCheckSettings",
    "DriftSettings",
    "ExperimentSettings",
    "MonitoringAlertSettings",
    "MonitoringSettings",
    "MutationSettings",
    "ServeSettings",
]

DEFAULT_CONFIG = Path("params.yaml")
# The params.yaml keys a training reads beyond its data file: their hash is the training's
# parameter fingerprint (lineage), and dvc.yaml's train stage lists the same keys (a test holds
# the two together).
TRAINING_PARAMETERS = ("seed", "data.test_fraction", "model")
TRACKING_URI_ENV = "MLFLOW_TRACKING_URI"

SYNTHETIC_SOURCE = "synthetic"


class DataSettings(Section):
    """Where the labelled data comes from: the seeded synthetic demo, or a team's CSV / Parquet file
    (relative to params.yaml) whose columns the schema module `adclick.data.specs` declares."""

    source: str = Field(min_length=1, description="'synthetic' or the path of a .csv / .parquet file")
    n_rows: int = Field(ge=100, description="synthetic source: labelled rows drawn for training + test")
    scoring_rows: int = Field(ge=1, description="rows of the batch-scoring step (drawn, or sampled from the file)")
    test_fraction: Fraction
    drop_duplicate_rows: bool = Field(description="identical rows in the source file are kept once")

    @field_validator("source")
    @classmethod
    def _source_is_known(cls, value: str) -> str:
        if value != SYNTHETIC_SOURCE and Path(value).suffix.lower() not in (".csv", ".parquet"):
            raise ValueError(f"use {SYNTHETIC_SOURCE!r} or a .csv / .parquet file, got {value!r}")
        return value

    @property
    def synthetic(self) -> bool:
        return self.source == SYNTHETIC_SOURCE


class DataCheckSettings(Section):
    """Data-set rules for labelled data, and the tolerances of the integrity checks on a split."""

    min_rows: int = Field(ge=1)
    max_rows: int = Field(ge=1)
    positive_rate: tuple[Annotated[float, Field(ge=0.0, le=1.0)], Annotated[float, Field(ge=0.0, le=1.0)]]
    max_positive_rate_gap_between_splits: float = Field(ge=0.0, le=1.0)
    max_single_feature_auc: float = Field(gt=0.5, le=1.0)
    split_drift_alpha: Fraction

    @model_validator(mode="after")
    def _bounds_are_ordered(self) -> DataCheckSettings:
        if self.min_rows > self.max_rows:
            raise ValueError(f"min_rows ({self.min_rows}) is above max_rows ({self.max_rows})")
        if self.positive_rate[0] >= self.positive_rate[1]:
            raise ValueError(f"positive_rate must be [low, high] with low < high, got {list(self.positive_rate)}")
        return self


class PerformanceSettings(Section):
    """Speed and memory budgets: ratios against a reference timed in the same run, a bound on
    how time grows with rows, and memory per row; never absolute wall-clock limits."""

    budgets: dict[str, Annotated[float, Field(gt=0.0)]] = Field(min_length=1)
    scaling_rows: list[Annotated[int, Field(ge=100)]] = Field(min_length=3)
    max_growth_exponent: float = Field(gt=0.0)
    max_scoring_bytes_per_row: float = Field(gt=0.0)

    _sizes_increase = field_validator("scaling_rows")(classmethod(lambda cls, v: increasing("scaling_rows", v)))


class HistGradientBoostingSettings(Section):
    learning_rate: float = Field(gt=0.0, le=1.0)
    max_iter: int = Field(ge=1)
    max_leaf_nodes: int = Field(ge=2)
    min_samples_leaf: int = Field(ge=1)
    l2_regularization: float = Field(ge=0.0)
    early_stopping: bool
    validation_fraction: Fraction
    n_iter_no_change: int = Field(ge=1)


class LogisticRegressionSettings(Section):
    C: float = Field(gt=0.0)
    max_iter: int = Field(ge=1)


class ModelSettings(Section):
    registered_name: str = Field(min_length=1)
    decision_threshold: Fraction
    hist_gradient_boosting: HistGradientBoostingSettings
    enforce_known_directions: bool = Field(description="constrain the trees to the schema module's DIRECTIONS")
    logistic_regression: LogisticRegressionSettings


class EvaluationSettings(Section):
    """When a slice (the schema module's SLICES) is large enough for its metrics to mean something."""

    min_slice_rows: int = Field(ge=1)
    min_slice_class_count: int = Field(ge=1, description="positives and negatives a slice needs to judge its AUC")


class ModelCheckSettings(Section):
    """Thresholds of the model test layer beyond the promotion gates."""

    min_slice_roc_auc: AucScore
    max_slice_auc_gap: AucScore
    max_brier: PositiveShare
    max_expected_calibration_error: PositiveShare
    calibration_bins: int = Field(ge=2, le=100)
    max_protected_shift: Share
    max_direction_violation_rate: Share
    min_direction_effect: Share
    direction_step_iqr: float = Field(gt=0.0, description="a direction check moves a column by this many IQRs")
    stability_seeds: list[Annotated[int, Field(ge=0)]] = Field(min_length=1)
    max_auc_spread_across_seeds: AucScore
    overfit_rows: int = Field(ge=20, description="a model free to memorise must learn this many training rows ...")
    min_overfit_auc: AucScore
    max_shuffled_label_auc_gap: AucScore
    noise_standard_errors: float = Field(gt=0.0, description="a small test set widens noisy bands to this many SEs")


class DeepchecksSettings(Section):
    """Conditions of the deepchecks suite (tests/model/test_deepchecks.py); drift scores,
    predictive power (PPS) and relative changes are all on a 0-1 scale."""

    max_feature_label_pps: PositiveShare
    max_feature_drift: PositiveShare
    max_label_drift: PositiveShare
    max_multivariate_drift: PositiveShare
    max_pps_change: PositiveShare
    min_weak_segment_relative_accuracy: PositiveShare
    min_auc_gain_over_simple_model: PositiveShare
    max_train_test_auc_degradation: PositiveShare


class GateSettings(Section):
    min_roc_auc: AucScore
    min_auc_margin_over_dummy: AucScore
    min_auc_margin_over_logistic: float = Field(ge=-1.0, le=1.0)
    max_auc_drop_vs_champion: AucScore


class PathSettings(Section):
    data_dir: Path
    reports_dir: Path
    mlflow_db: Path
    mlflow_artifacts: Path
    serving_dir: Path = Field(Path("serving"), description="model versions exported for the service")


class MlflowSettings(Section):
    tracking_uri: str | None = Field(description="null: sqlite at paths.mlflow_db")
    experiment: str = Field(min_length=1)


class Settings(Section):
    seed: int = Field(ge=0)
    data: DataSettings
    data_checks: DataCheckSettings
    model: ModelSettings
    evaluation: EvaluationSettings
    model_checks: ModelCheckSettings
    deepchecks: DeepchecksSettings
    gates: GateSettings
    performance: PerformanceSettings
    serve: ServeSettings
    drift: DriftSettings
    drift_checks: DriftCheckSettings
    monitoring: MonitoringSettings
    experiments: ExperimentSettings
    mutation: MutationSettings
    paths: PathSettings
    mlflow: MlflowSettings
    root: Path = Field(Path("."), exclude=True, description="folder relative paths start from")

    def path(self, relative: Path) -> Path:
        """Resolve a configured path against the project root (the params file's folder)."""
        return relative if relative.is_absolute() else self.root / relative

    @property
    def data_dir(self) -> Path:
        return self.path(self.paths.data_dir)

    @property
    def reports_dir(self) -> Path:
        return self.path(self.paths.reports_dir)

    @property
    def serving_dir(self) -> Path:
        return self.path(self.paths.serving_dir)

    @property
    def tracking_uri(self) -> str:
        if self.mlflow.tracking_uri:
            return self.mlflow.tracking_uri
        return f"sqlite:///{self.path(self.paths.mlflow_db).resolve()}"

    @property
    def artifact_location(self) -> str:
        return self.path(self.paths.mlflow_artifacts).resolve().as_uri()

    def training_parameters(self) -> dict[str, Any]:
        """The values of TRAINING_PARAMETERS by dotted key, as plain JSON types: with the data,
        what a training's result depends on."""
        values = self.model_dump(mode="json")
        found = {}
        for dotted in TRAINING_PARAMETERS:
            node = values
            for part in dotted.split("."):
                node = node[part]
            found[dotted] = node
        return found

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        """These settings with dotted params.yaml keys set (an experiment's combination), validated again."""
        try:
            values = overridden(self.model_dump(mode="json"), overrides)
        except KeyError as missing:
            raise ConfigError(
                f"experiments.grid: {missing.args[0]!r} is not a key of params.yaml; "
                "write the dotted path of an existing value, e.g. model.hist_gradient_boosting.learning_rate"
            ) from None
        return settings_from_mapping(values, root=self.root, source="experiments.grid")


def _describe(error: Mapping[str, Any], model: type[BaseModel]) -> str:
    """One pydantic error as 'key.path: problem', listing the allowed keys for a typo."""
    location = ".".join(str(part) for part in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        section: type[BaseModel] | None = model
        for part in error["loc"][:-1]:
            field = section.model_fields.get(str(part)) if section else None
            annotation = field.annotation if field else None
            is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
            section = annotation if is_model else None
        allowed = sorted(k for k, f in section.model_fields.items() if not f.exclude) if section else []
        return f"{location}: unknown key; allowed keys here: {', '.join(allowed)}"
    if error["type"] == "missing":
        return f"{location}: missing key (the template's params.yaml shows every key)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if "input" in error:
        message += f" (got {error['input']!r})"
    return f"{location}: {message}"


def settings_from_mapping(values: Mapping[str, Any], root: Path = Path("."), source: str = "params") -> Settings:
    """Validate a parsed config mapping; `ConfigError` names every bad key and value."""
    try:
        return Settings.model_validate({**values, "root": root})
    except ValidationError as exc:
        problems = "; ".join(_describe(err, Settings) for err in exc.errors())
        raise ConfigError(f"{source}: {problems}") from None


def load_settings(path: Path = DEFAULT_CONFIG, environ: Mapping[str, str] | None = None) -> Settings:
    """Read params.yaml; `MLFLOW_TRACKING_URI` in `environ` overrides the tracking store."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    environ = os.environ if environ is None else environ
    if environ.get(TRACKING_URI_ENV):
        values.setdefault("mlflow", {})
        values["mlflow"] = {**(values["mlflow"] or {}), "tracking_uri": environ[TRACKING_URI_ENV]}
    return settings_from_mapping(values, root=path.resolve().parent, source=str(path))
