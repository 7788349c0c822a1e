"""Typed settings: every default lives in the sections here; params.yaml, the one file a
forking team edits first, sets only what it changes.

Every other module receives a `Settings` object; nothing below the CLI reads the environment.
This module knows nothing of the data's columns: those are declared in the schema module
`adclick.data.specs`. The only environment override is `MLFLOW_TRACKING_URI`, applied here at
the edge, because that is the variable MLflow users already set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError

from adclick.config.base import Section
from adclick.config.data_settings import SYNTHETIC_SOURCE, DataCheckSettings, DataSettings
from adclick.config.grid import ExperimentSettings, overridden
from adclick.config.model_settings import (
    DeepchecksSettings,
    EvaluationSettings,
    GateSettings,
    ModelCheckSettings,
    ModelSettings,
)
from adclick.config.monitoring_settings import (
    DriftCheckSettings,
    DriftSettings,
    MonitoringAlertSettings,
    MonitoringSettings,
)
from adclick.config.operations import MlflowSettings, MutationSettings, PathSettings, PerformanceSettings, ServeSettings
from adclick.errors import ConfigError

__all__ = [
    "SYNTHETIC_SOURCE",
    "DataCheckSettings",
    "DataSettings",
    "DeepchecksSettings",
    "DriftCheckSettings",
    "DriftSettings",
    "ExperimentSettings",
    "MonitoringAlertSettings",
    "MonitoringSettings",
    "MutationSettings",
    "PerformanceSettings",
    "ServeSettings",
]

DEFAULT_CONFIG = Path("params.yaml")
# The params.yaml keys a training reads beyond its data file: their hash is the training's
# parameter fingerprint (lineage), and dvc.yaml's train stage lists the same keys (a test holds
# the two together).
TRAINING_PARAMETERS = ("seed", "data.test_fraction", "model")
TRACKING_URI_ENV = "MLFLOW_TRACKING_URI"


class Settings(Section):
    """Every setting, each with its default: params.yaml holds only what a team changes."""

    seed: int = Field(42, ge=0, description="drives data generation, the train/test split and model training")
    data: DataSettings = DataSettings()
    data_checks: DataCheckSettings = DataCheckSettings()
    model: ModelSettings = ModelSettings()
    evaluation: EvaluationSettings = EvaluationSettings()
    model_checks: ModelCheckSettings = ModelCheckSettings()
    deepchecks: DeepchecksSettings = DeepchecksSettings()
    gates: GateSettings = GateSettings()
    performance: PerformanceSettings = PerformanceSettings()
    serve: ServeSettings = ServeSettings()
    drift: DriftSettings = DriftSettings()
    drift_checks: DriftCheckSettings = DriftCheckSettings()
    monitoring: MonitoringSettings = MonitoringSettings()
    experiments: ExperimentSettings = ExperimentSettings()
    mutation: MutationSettings = MutationSettings()
    paths: PathSettings = PathSettings()
    mlflow: MlflowSettings = MlflowSettings()
    root: Path = Field(Path("."), exclude=True, description="folder relative paths start from")

    def path(self, relative: Path) -> Path:
        """Resolve a configured path against the project root (the params file's folder)."""
        return relative if relative.is_absolute() else self.root / relative

    @property
    def data_file(self) -> Path | None:
        """The team's data file, resolved against the project root, or None for the synthetic
        demo: the one place that decides demo or file, which every command and test asks."""
        return None if self.data.source == SYNTHETIC_SOURCE else self.path(Path(self.data.source))

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
        return f"{location}: missing key (docs/reference/params.md lists every key)"
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
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}): save it as UTF-8"
        ) from None
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: expected a mapping of keys at the top level")
    environ = os.environ if environ is None else environ
    if environ.get(TRACKING_URI_ENV):
        values.setdefault("mlflow", {})
        values["mlflow"] = {**(values["mlflow"] or {}), "tracking_uri": environ[TRACKING_URI_ENV]}
    return settings_from_mapping(values, root=path.resolve().parent, source=str(path))
