"""Settings after deployment: drift statistics, their test layer, and the monitored replay."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from adclick.config.base import AucScore, Fraction, PositiveShare, Section, Share


class DriftSettings(Section):
    """Drift statistics with Evidently's documented defaults (docs/drift.md), so that a team can
    compare: tests (p-values) on a small reference, distances on a large one."""

    small_reference_rows: int = Field(1000, ge=1, description="at or below: KS / chi-square / z-test; above: distances")
    test_alpha: Fraction = Field(0.05, description="a test calls a column drifted at p <= this")
    wasserstein_threshold: float = Field(0.1, gt=0.0, description="numbers: Wasserstein distance / std(reference)")
    jensen_shannon_threshold: float = Field(0.1, gt=0.0, le=1.0, description="categories: Jensen-Shannon distance")
    use_psi: bool = Field(False, description="population stability index for every column instead")
    psi_threshold: float = Field(0.1, gt=0.0, description="with use_psi: drifted at PSI >= this")
    min_distinct_numbers: int = Field(6, ge=2, description="a number with fewer distinct values is a category")
    dataset_drift_share: PositiveShare = Field(0.2, description="the data set drifted when this share of columns did")
    max_domain_classifier_auc: float = Field(0.55, gt=0.5, le=1.0, description="multivariate: reference vs current")
    domain_classifier_rows: int = Field(5000, ge=100, description="rows of each side the domain classifier fits on")


class DriftCheckSettings(Section):
    """What the drift and monitoring test layer holds the statistics to: false alarms and power."""

    seeds: int = Field(100, ge=5, description="same-distribution pairs (false alarms) and shifted pairs (power)")
    rows: int = Field(500, ge=50, description="rows per sample: at most drift.small_reference_rows")
    false_alarm_slack: Share = Field(
        0.03, description="share of columns flagged on same-distribution samples <= alpha + this"
    )
    significance: Fraction = Field(
        0.01, description="a false-alarm rate fails only when shown above its bound at p < this"
    )
    min_power: PositiveShare = Field(0.9, description="a shifted column is flagged in at least this share of seeds ...")
    shift_iqrs: float = Field(0.5, gt=0.0, description="... when it moves by this many IQRs")


class MonitoringAlertSettings(Section):
    """When a day of the replay raises an alert. The Prometheus rules (monitoring/rules.yml) that
    watch the same thing read these values from the service's /metrics (`serve.prometheus`)."""

    max_missing_share: Share = Field(0.05, description="of any feature's values in a day")
    max_schema_failure_share: Share = Field(0.01, description="rows refused by validation")
    prediction_band_sigmas: float = Field(3, gt=0.0, description="mean prediction outside reference mean +- k sigma")
    max_estimated_auc_drop: AucScore = Field(0.03, description="below the test AUC, estimated before labels (CBPE)")
    max_realised_auc_drop: AucScore = Field(0.05, description="below the test AUC, once the labels arrive")
    max_p95_latency_seconds: float = Field(0.25, gt=0.0, description="the service's p95 latency")


class MonitoringSettings(Section):
    """The monitored replay (`adclick monitor`) and the service's sliding drift window."""

    days: int = Field(30, ge=2, description="days replayed")
    start_date: date = Field(date(2026, 1, 1), description="the replay's first day")
    rows_per_day: int = Field(2000, ge=50, description="rows scored each day")
    api_rows_per_day: int = Field(200, ge=0, description="of each day's rows, this many go through the live /predict")
    api_batch_rows: int = Field(20, ge=1, description="rows per request to the live service")
    label_delay_days: int = Field(3, ge=0, description="a day's labels arrive this many days later")
    last_day_shift_iqrs: float = Field(
        1.5, ge=0.0, description="covariate drift grows to this many IQRs on the last day"
    )
    shifted_columns: int = Field(3, ge=1, description="the first numeric features (DIRECTIONS first) that drift")
    concept_drift_from_day: int = Field(20, ge=1, description="labels flip for a growing share of rows from this day")
    last_day_flipped_share: Share = Field(0.5, description="share of flipped labels on the last day")
    incident_days: list[Annotated[int, Field(ge=1)]] = Field([12], description="days a column goes missing ...")
    incident_missing_share: PositiveShare = Field(0.4, description="... for this share of the day's rows")
    window_rows: int = Field(2000, ge=50, description="the service's drift gauge: the last this many rows scored")
    alerts: MonitoringAlertSettings = MonitoringAlertSettings()
