"""Versioning and experiments: a grid of trainings compared in MLflow, and the lineage of a model
(which code, data and parameters made it)."""

from __future__ import annotations

import csv
import io
from typing import Any

from adclick.atomic import write_json, write_text
from adclick.config import Settings
from adclick.config.layout import Layout
from adclick.data import validation
from adclick.errors import DataFileError
from adclick.pipeline.steps import read_data, read_files
from adclick.tracking.comparison import comparison_markdown, comparison_png
from adclick.tracking.experiments import comparison_rows, run_grid
from adclick.tracking.lineage import describe
from adclick.tracking.registry import CHAMPION, alias_uri, connect


def experiments(settings: Settings) -> dict[str, Any]:
    """Run the grid of params.yaml `experiments` on the pipeline's split; write
    reports/experiments.md, .csv, .json and .png; the best is registered as challenger."""
    layout = Layout(settings)
    for path in (layout.train, layout.test):
        if not path.is_file():
            raise DataFileError(f"{path} not found: the grid trains on the pipeline's split (run `adclick pipeline`)")
    train, test = (validation.validate(read_data(p), labelled=True, source=str(p)) for p in (layout.train, layout.test))
    result = run_grid(settings, train, test, read=read_files(settings, layout.raw, layout))
    rows = comparison_rows(result)
    report = layout.experiments
    written = {
        "json": write_json(report, {"parent_run_id": result.parent_run_id, "rows": rows}),
        "csv": write_text(report.with_suffix(".csv"), _csv(rows)),
        "markdown": write_text(
            report.with_suffix(".md"), comparison_markdown(rows, result.parent_run_id, result.challenger.uri)
        ),
        "png": comparison_png(rows, list(settings.experiments.grid), report.with_suffix(".png")),
    }
    return {"result": result, "rows": rows, "written": written}


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def lineage(settings: Settings, model_uri: str | None = None) -> dict[str, Any]:
    """Which code, data and parameters made a registered model (default: the champion)."""
    return describe(connect(settings), settings, model_uri or alias_uri(settings, CHAMPION))
