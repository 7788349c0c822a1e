"""After deployment: drift between two files, the degradation demo, and the monitored replay."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adclick.cli.options import DEFAULT_CONFIG, ConfigOption, ExitZeroOption, ModelUriOption, app, settings_from
from adclick.cli.output import console, drift_verdict, shown


@app.command()
def drift(
    reference: Annotated[
        Path | None, typer.Argument(help="Data the model knows (default: the training split).")
    ] = None,
    current: Annotated[Path | None, typer.Argument(help="Data to compare (default: the batch to score).")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    model_uri: ModelUriOption = None,
    exit_zero: ExitZeroOption = False,
) -> None:
    """Compare CURRENT with REFERENCE per column, through the model's predictions and all at once.

    Writes reports/drift.html (pictures, opens offline), drift.md and drift.json. Exits 1 when
    the data set drifted (params.yaml drift.dataset_drift_share), so a scheduled job can gate on it.
    """
    from adclick import pipeline

    result = pipeline.drift(settings_from(config), reference, current, model_uri)
    report = result["report"]
    console.print(drift_verdict(report), highlight=False, soft_wrap=True)
    console.print(f"report: {shown(result['written']['html'])} (+ drift.md, drift.json)")
    if report["drifted"] and not exit_zero:
        raise typer.Exit(1)


@app.command()
def degradation(
    config: ConfigOption = DEFAULT_CONFIG,
    rows: Annotated[int | None, typer.Option(min=50, help="Rows per scenario (default: data.scoring_rows).")] = None,
    model_uri: ModelUriOption = None,
) -> None:
    """Score the champion on clean data and on each drift scenario: how much quality each change costs.

    Writes reports/degradation.md (table and findings), .csv, .json and .png.
    """
    from adclick import pipeline

    result = pipeline.degradation(settings_from(config), rows, model_uri)
    for row in result["table"]:
        console.print(
            f"{row['scenario']:>18}: AUC {row['roc_auc']:.4f} ({row['roc_auc_change']:+.4f}); {row['finding']}",
            highlight=False,
            soft_wrap=True,
        )
    console.print(f"report: {shown(result['written']['markdown'])} (+ .csv, .json, .png)")


@app.command()
def monitor(
    config: ConfigOption = DEFAULT_CONFIG,
    days: Annotated[int | None, typer.Option(min=2, help="Days to replay (default: monitoring.days).")] = None,
    model_uri: ModelUriOption = None,
    live: Annotated[bool, typer.Option(help="Also send each day's requests to the live service.")] = True,
) -> None:
    """Replay daily batches whose drift grows, with a data-quality incident, through the champion.

    Each day goes through batch scoring and the live POST /predict on 127.0.0.1. Writes the
    tracking table with its alerts: reports/monitoring.md (commented), .csv, .json and .png.
    """
    from adclick import pipeline

    result = pipeline.monitor(settings_from(config), days, model_uri, live=live)
    alerted = [row for row in result["table"] if row["alerts"]]
    console.print(
        f"replayed {len(result['table'])} days in {result['seconds']:.1f} s; {len(alerted)} with alerts",
        highlight=False,
    )
    for row in alerted:
        console.print(f"  {row['date']}: {row['alerts']}", highlight=False, soft_wrap=True)
    console.print(f"report: {shown(result['written']['markdown'])} (+ .csv, .json, .png)")
