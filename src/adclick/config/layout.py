"""Where each step of the pipeline reads and writes, under the configured folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from adclick.config import Settings


@dataclass(frozen=True)
class Layout:
    """Where each step reads and writes, under the configured data and reports folders."""

    settings: Settings

    @property
    def raw(self) -> Path:
        return self.settings.data_dir / "raw" / "labelled.csv"

    @property
    def to_score(self) -> Path:
        return self.settings.data_dir / "raw" / "to_score.csv"

    @property
    def train(self) -> Path:
        return self.settings.data_dir / "split" / "train.csv"

    @property
    def test(self) -> Path:
        return self.settings.data_dir / "split" / "test.csv"

    @property
    def predictions(self) -> Path:
        return self.settings.data_dir / "predictions" / "to_score.scored.csv"

    @property
    def evaluation(self) -> Path:
        return self.settings.reports_dir / "evaluation.json"

    @property
    def model_report(self) -> Path:
        return self.settings.reports_dir / "evaluation.md"

    @property
    def reliability(self) -> Path:
        return self.settings.reports_dir / "reliability.png"

    @property
    def validation(self) -> Path:
        return self.settings.reports_dir / "validation.json"

    @property
    def drift(self) -> Path:
        return self.settings.reports_dir / "drift.json"

    @property
    def training(self) -> Path:
        """Which version the last training registered, and its run (a DVC stage's record)."""
        return self.settings.reports_dir / "training.json"

    @property
    def metrics(self) -> Path:
        """The evaluation's headline numbers, flat: what `dvc metrics show` and `diff` compare."""
        return self.settings.reports_dir / "metrics.json"

    @property
    def reliability_points(self) -> Path:
        """The reliability curve as data, for `dvc plots`."""
        return self.settings.reports_dir / "reliability.csv"

    @property
    def promotion(self) -> Path:
        """The promotion decision: promoted or refused, the versions, the failed gates."""
        return self.settings.reports_dir / "promotion.json"

    @property
    def experiments(self) -> Path:
        return self.settings.reports_dir / "experiments.json"
