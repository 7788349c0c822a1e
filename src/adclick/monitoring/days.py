"""The replay's days: rows like the source's, with changes that grow day by day.

Every day draws fresh rows from the data source (the demo generator, or the team's file
resampled), then injects, with `adclick.data.shifts` so that it works on any data:
- a covariate drift on the first `shifted_columns` numeric features (at least enough to reach
  the data-set drift rule: `shifts.drifting_columns`), growing linearly from
  nothing on day 1 to `last_day_shift_iqrs` interquartile ranges on the last day;
- from `concept_drift_from_day`, a concept drift: labels flip for a share of rows (in half the
  population) growing to `last_day_flipped_share`; the inputs do not show it, only the labels;
- on each of `incident_days`, a data-quality incident: `incident_missing_share` of the first
  shifted column goes missing.
Each day records what was injected, so a test can hold the alerts to the truth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from adclick.data import shifts, sources

if TYPE_CHECKING:
    import pandas as pd

    from adclick.config import MonitoringSettings, Settings

BATCH_OFFSET = 1000  # day d is batch 1000 + d of the seed: never the training (0) or scoring (1) rows


@dataclass(frozen=True)
class Day:
    """One day of traffic, labelled, and what was done to it."""

    number: int
    date: date
    frame: pd.DataFrame
    shift_iqrs: float
    flipped_share: float
    incident: bool
    shifted: tuple[str, ...] = field(default=())


def shift_on(day: int, m: MonitoringSettings) -> float:
    return m.last_day_shift_iqrs * (day - 1) / (m.days - 1)


def flipped_on(day: int, m: MonitoringSettings) -> float:
    if day < m.concept_drift_from_day:
        return 0.0
    return m.last_day_flipped_share * (day - m.concept_drift_from_day + 1) / (m.days - m.concept_drift_from_day + 1)


def make_day(settings: Settings, number: int, data: pd.DataFrame | None = None) -> Day:
    """Day `number` (1-based): fresh rows, then the drift, concept drift and incident of that day."""
    m = settings.monitoring
    seed = settings.seed
    frame = sources.sample(settings, m.rows_per_day, seed, batch=BATCH_OFFSET + number, data=data)
    targets = tuple(shifts.drifting_columns(settings))
    iqrs, flipped, incident = shift_on(number, m), flipped_on(number, m), number in m.incident_days
    if iqrs > 0:
        frame = shifts.shifted(frame, targets, iqrs)
    if flipped > 0:
        frame = shifts.flip_labels(frame, targets[0], flipped, seed + number)
    if incident:
        frame = shifts.blank(frame, targets[0], m.incident_missing_share, seed + number)
    return Day(number, m.start_date + timedelta(days=number - 1), frame, iqrs, flipped, incident, targets)


def replay_days(settings: Settings) -> list[Day]:
    """Every day of the replay; the file source is read once."""
    data = None if settings.data_file is None else sources.labelled(settings)
    return [make_day(settings, number, data) for number in range(1, settings.monitoring.days + 1)]
