"""Drift statistics per column, with Evidently's documented defaults, on scipy.

Evidently no longer imports with pandas 3.1, and the other drift libraries do not run on
numpy 2 (docs/drift.md), so the statistics are ours; each follows Evidently's definition so
a team can compare numbers:

- reference of at most `small_reference_rows` rows: a test, drifted at p <= `test_alpha`:
  two-sample Kolmogorov-Smirnov for numbers, a two-proportion z-test for two levels, and
  chi-square for more: the two-sample (contingency) test, where Evidently's goodness of fit
  treats the reference as exact and alarms too often (see `chi_square_p_value`);
- a larger reference: a distance, drifted at or above its threshold: the Wasserstein distance
  divided by the reference's standard deviation for numbers, the Jensen-Shannon distance
  (natural log) for categories;
- PSI on request (Sturges bins on both samples, empty bins filled with 1e-4).

A number column with fewer than `min_distinct_numbers` distinct values is compared as a
category, as Evidently does. Missing values are left out here and reported as a share of
their own: a column that went missing is a data-quality problem, not drift.

scipy is imported where a statistic is computed: the service imports this module for its
drift gauge, and scipy.stats would otherwise weigh on its start-up (docs/serving.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick.data import contract

if TYPE_CHECKING:
    from adclick.config import DriftSettings

EMPTY_BIN = 1e-4  # Evidently's fill for an empty bin, so that logarithms and ratios stay finite


@dataclass(frozen=True)
class ColumnDrift:
    """One column compared: how, the value, the line it is held to, and the verdict."""

    column: str
    kind: str  # "number" or "category", as compared
    method: str
    statistic: float
    threshold: float
    drifted: bool
    missing_reference: float
    missing_current: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def ks_p_value(reference: np.ndarray, current: np.ndarray) -> float:
    from scipy import stats

    return float(stats.ks_2samp(reference, current).pvalue)


def _counts(reference: pd.Series, current: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Counts of every level seen in either sample, in one order. Levels are matched by value,
    not by their text: an integer column read as floats once it has a gap keeps its levels (1
    and 1.0 are one level), and counting needs no string per row."""
    before, after = reference.value_counts().to_dict(), current.value_counts().to_dict()
    levels = [level for level in {**before, **after} if before.get(level, 0) + after.get(level, 0) > 0]
    ref = np.array([before.get(level, 0) for level in levels], dtype=float)
    return ref, np.array([after.get(level, 0) for level in levels], dtype=float)


def chi_square_p_value(reference: pd.Series, current: pd.Series) -> float:
    """Chi-square test that both samples share one distribution of levels (a contingency table).

    Evidently tests the current counts against the reference's proportions as if those were
    exact; the reference is a sample too, so that test alarms far more often than alpha
    (docs/drift.md). The
    two-sample test holds alpha; for two levels it equals the z-test (chi-square = z squared).
    """
    ref, cur = _counts(reference, current)
    if len(ref) < 2:
        return 1.0
    from scipy import stats

    return float(stats.chi2_contingency(np.vstack([ref, cur]), correction=False).pvalue)


def z_test_p_value(reference: pd.Series, current: pd.Series) -> float:
    """Two-sided test that the share of one level is the same in both samples."""
    level = reference.iloc[0]
    n1, n2 = len(reference), len(current)
    p1, p2 = float((reference == level).mean()), float((current == level).mean())
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return 1.0 if p1 == p2 else 0.0
    from scipy import stats

    return float(2 * stats.norm.sf(abs((p1 - p2) / spread)))


def wasserstein_normed(reference: np.ndarray, current: np.ndarray) -> float:
    from scipy import stats

    return float(stats.wasserstein_distance(reference, current) / max(np.std(reference), 0.001))


def _shares(reference: pd.Series, current: pd.Series, numeric: bool) -> tuple[np.ndarray, np.ndarray]:
    """Both samples as shares per bin (Sturges bins on both together) or per level."""
    if numeric:
        edges = np.histogram_bin_edges(np.concatenate([reference, current]), bins="sturges")
        ref, cur = np.histogram(reference, edges)[0].astype(float), np.histogram(current, edges)[0].astype(float)
    else:
        ref, cur = _counts(reference, current)
    ref, cur = ref / ref.sum(), cur / cur.sum()
    return np.where(ref == 0, EMPTY_BIN, ref), np.where(cur == 0, EMPTY_BIN, cur)


def jensen_shannon(reference: pd.Series, current: pd.Series) -> float:
    ref, cur = _shares(reference, current, numeric=False)
    from scipy.spatial import distance

    return float(distance.jensenshannon(ref, cur))


def psi(reference: pd.Series, current: pd.Series, numeric: bool) -> float:
    ref, cur = _shares(reference, current, numeric)
    return float(np.sum((ref - cur) * np.log(ref / cur)))


def compared_as(reference: pd.Series, settings: DriftSettings, kind: str | None = None) -> str:
    """'number' or 'category': a declared number with few distinct values counts as a category."""
    kind = kind or ("number" if pd.api.types.is_numeric_dtype(reference) else "category")
    if kind in ("integer", "number") and reference.nunique() >= settings.min_distinct_numbers:
        return "number"
    return "category"


def column_drift(
    reference: pd.Series, current: pd.Series, settings: DriftSettings, kind: str | None = None
) -> ColumnDrift:
    """Compare one column; `kind` is the declared kind (a schema column) or read from the dtype."""
    name = str(reference.name)
    missing = (float(reference.isna().mean()), float(current.isna().mean()) if len(current) else 0.0)
    ref, cur = reference.dropna(), current.dropna()
    compared = compared_as(ref, settings, kind)
    if compared == "number":
        ref, cur = ref.astype(float), cur.astype(float)
    if len(ref) == 0 or len(cur) == 0:
        return ColumnDrift(name, compared, "no values", float("nan"), float("nan"), False, *missing)
    method, statistic, threshold, drifted = _judge(ref, cur, compared, settings)
    return ColumnDrift(name, compared, method, statistic, threshold, drifted, *missing)


def _judge(ref: pd.Series, cur: pd.Series, compared: str, settings: DriftSettings) -> tuple[str, float, float, bool]:
    numeric = compared == "number"
    if settings.use_psi:
        value = psi(ref.to_numpy() if numeric else ref, cur.to_numpy() if numeric else cur, numeric)
        return "psi", value, settings.psi_threshold, value >= settings.psi_threshold
    if len(ref) <= settings.small_reference_rows:
        if numeric:
            method, p_value = "ks", ks_p_value(ref.to_numpy(), cur.to_numpy())
        elif ref.nunique() <= 2 and cur.nunique() <= 2 and set(cur.unique()) <= set(ref.unique()):
            method, p_value = "z_test", z_test_p_value(ref, cur)
        else:
            method, p_value = "chi_square", chi_square_p_value(ref, cur)
        return f"{method} p-value", p_value, settings.test_alpha, p_value <= settings.test_alpha
    if numeric:
        value = wasserstein_normed(ref.to_numpy(), cur.to_numpy())
        return "wasserstein (normed)", value, settings.wasserstein_threshold, value >= settings.wasserstein_threshold
    value = jensen_shannon(ref, cur)
    return "jensen_shannon", value, settings.jensen_shannon_threshold, value >= settings.jensen_shannon_threshold


@dataclass(frozen=True)
class DataDrift:
    """Every feature compared, and the data-set verdict: drifted when the share of drifted
    columns reaches `dataset_drift_share`."""

    columns: tuple[ColumnDrift, ...]
    share: float
    threshold: float

    @property
    def drifted(self) -> bool:
        return self.share >= self.threshold

    @property
    def drifted_columns(self) -> list[str]:
        """The drifted columns, the most drifted first (smallest p-value, largest distance)."""
        hits = [c for c in self.columns if c.drifted]
        return [c.column for c in sorted(hits, key=lambda c: c.statistic if "p-value" in c.method else -c.statistic)]


def data_drift(reference: pd.DataFrame, current: pd.DataFrame, settings: DriftSettings) -> DataDrift:
    """Each model feature of the contract compared between two frames."""
    columns = tuple(
        column_drift(reference[name], current[name], settings, contract.SPECS[name].kind)
        for name in contract.MODEL_FEATURES
    )
    share = sum(c.drifted for c in columns) / len(columns)
    return DataDrift(columns, share, settings.dataset_drift_share)
