"""The steps after deployment: drift of a batch, the degradation demo, the monitored replay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adclick.config import Settings
from adclick.config.layout import Layout
from adclick.data import validation
from adclick.errors import DataFileError
from adclick.monitoring.daily_table import write_tracking
from adclick.monitoring.days import replay_days
from adclick.monitoring.degradation import degradation_png, degradation_table
from adclick.monitoring.drift_report import drift_report, predictions
from adclick.monitoring.live import live_service
from adclick.monitoring.render import write_degradation_report, write_drift_report
from adclick.monitoring.replay import expected, replay
from adclick.pipeline.steps import read_data
from adclick.tracking.registry import CHAMPION, alias_uri, connect, find, load_sklearn


def drift(
    settings: Settings, reference: Path | None = None, current: Path | None = None, model_uri: str | None = None
) -> dict[str, Any]:
    """Compare current data (default: the batch scored) with a reference (default: the training
    split) column by column, through the model's predictions (default: the champion, when there
    is one) and all at once; write reports/drift.json, .md and .html."""
    layout = Layout(settings)
    sources = (reference or layout.train, current or layout.to_score)
    before, after = (read_data(path) for path in sources)
    client = connect(settings)
    uri = model_uri or alias_uri(settings, CHAMPION)
    scores = None
    if model_uri is not None or find(client, settings.model.registered_name, CHAMPION) is not None:
        model, _ = load_sklearn(client, uri)
        scores = predictions(model, before, after)
    report = drift_report(settings, before, after, scores, sources=(str(sources[0]), str(sources[1])))
    report["model"] = uri if scores is not None else None
    written = write_drift_report(report, settings.reports_dir, before, after, scores)
    return {"report": report, "written": written}


def degradation(settings: Settings, rows: int | None = None, model_uri: str | None = None) -> dict[str, Any]:
    """Score a model (default: the champion) on clean data and on each scenario; write
    reports/degradation.md, .csv, .json and .png."""
    layout = Layout(settings)
    if not layout.test.is_file():
        raise DataFileError(f"held-out data not found: {layout.test} (run `adclick pipeline` first)")
    model, ref = load_sklearn(connect(settings), model_uri or alias_uri(settings, CHAMPION))
    held_out = read_data(layout.test)
    table = degradation_table(settings, model, held_out, rows or settings.data.scoring_rows)
    written = write_degradation_report(table, settings.reports_dir, degradation_png(table))
    return {"table": table, "written": written, "model": ref}


def monitor(
    settings: Settings, days: int | None = None, model_uri: str | None = None, *, live: bool = True
) -> dict[str, Any]:
    """Replay `days` daily batches (default: monitoring.days) through a model (default: the
    champion), in batch and, with `live`, through the service on 127.0.0.1; write
    reports/monitoring.md (the commented tracking table), .csv, .json and .png."""
    layout = Layout(settings)
    if days is not None:
        settings = settings.model_copy(update={"monitoring": settings.monitoring.model_copy(update={"days": days})})
    for path in (layout.train, layout.test):
        if not path.is_file():
            raise DataFileError(
                f"{path} not found: the replay compares with the training data (run `adclick pipeline`)"
            )
    model, ref = load_sklearn(connect(settings), model_uri or alias_uri(settings, CHAMPION))
    # record rules only, as `evaluate` checks a test part: the data-set rules (min_rows) are for whole files
    train, test = (validation.validate(read_data(p), labelled=True, source=str(p)) for p in (layout.train, layout.test))
    healthy = expected(model, train, test)
    schedule = replay_days(settings)
    if live:
        with live_service(settings, ref.uri, train) as send:
            table, seconds = replay(settings, model, schedule, healthy, send)
    else:
        table, seconds = replay(settings, model, schedule, healthy)
    written = write_tracking(table, healthy, settings.monitoring.label_delay_days, settings.reports_dir)
    return {"table": table, "seconds": seconds, "written": written, "model": ref}
