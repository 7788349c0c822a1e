"""Settings after deployment: drift statistics, their test layer, and the monitored replay."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from adclick.config.base import AucScore, Fraction, PositiveShare, Section, Share


class DriftSettings(Section):
    """Drift statistics with Evidently's documented defaults (docs/drift.md), so that a team can
    compare: tests (p-values) on a small reference, distances on a large one."""

    small_reference_rows: int = Field(ge=1, description="at or below: KS / chi-square / z-test; above: distances")
    test_alpha: Fraction = Field(description="a test calls a column drifted at p <= this")
    wasserstein_threshold: float = Field(gt=0.0, description="numbers: Wasserstein distance / std(reference)")
    jensen_shannon_threshold: float = Field(gt=0.0, le=1.0, description="categories: Jensen-Shannon distance")
    use_psi: bool = Field(description="population stability index for every column instead")
    psi_threshold: float = Field(gt=0.0)
    min_distinct_numbers: int = Field(ge=2, description="a number with fewer distinct values is a category")
    dataset_drift_share: PositiveShare = Field(description="the data set drifted when this share of columns did")
    max_domain_classifier_auc: float = Field(gt=0.5, le=1.0, description="multivariate: reference vs current")
    domain_classifier_rows: int = Field(ge=100, description="rows of each side the domain classifier fits on")


class DriftCheckSettings(Section):
    """What the drift and monitoring test layer holds the statistics to: false alarms and power."""

    seeds: int = Field(ge=5)
    rows: int = Field(ge=50)
    false_alarm_slack: Share
    significance: Fraction = Field(description="a false-alarm rate fails only when shown above its bound at p < this")
    min_power: PositiveShare
    shift_iqrs: float = Field(gt=0.0)


class MonitoringAlertSettings(Section):
    """When a day of the replay (and Prometheus, monitoring/rules.yml) raises an alert."""

    max_missing_share: Share
    max_schema_failure_share: Share
    prediction_band_sigmas: float = Field(gt=0.0, description="mean prediction outside reference mean +- k sigma")
    max_estimated_auc_drop: AucScore
    max_realised_auc_drop: AucScore
    max_p95_latency_seconds: float = Field(gt=0.0)
    max_server_error_ratio: Share
    max_model_age_days: float = Field(gt=0.0)


class MonitoringSettings(Section):
    """The monitored replay (`adclick monitor`) and the service's sliding drift window."""

    days: int = Field(ge=2)
    start_date: date
    rows_per_day: int = Field(ge=50)
    api_rows_per_day: int = Field(ge=0, description="of each day's rows, this many go through the live /predict")
    api_batch_rows: int = Field(ge=1)
    label_delay_days: int = Field(ge=0, description="a day's labels arrive this many days later")
    last_day_shift_iqrs: float = Field(ge=0.0, description="covariate drift grows to this many IQRs on the last day")
    shifted_columns: int = Field(ge=1, description="the first numeric features (DIRECTIONS first) that drift")
    concept_drift_from_day: int = Field(ge=1, description="labels flip for a growing share of rows from this day")
    last_day_flipped_share: Share
    incident_days: list[Annotated[int, Field(ge=1)]]
    incident_missing_share: PositiveShare
    window_rows: int = Field(ge=50, description="the service's drift gauge: the last this many rows scored")
    alerts: MonitoringAlertSettings
