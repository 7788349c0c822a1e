"""What the CLI prints: consoles, gate tables, the pipeline's summary and user errors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from adclick.errors import DataValidationError, PromotionRefusedError

# Logs (CI, pipes) are not terminals: rich would assume 80 columns and wrap the gate table.
_LOG_WIDTH = None if sys.stdout.isatty() else 120
console = Console(width=_LOG_WIDTH)
errors = Console(stderr=True, width=_LOG_WIDTH)


def gate_table(report: dict[str, Any]) -> Table:
    """The gates of an evaluation: value against threshold, pass or fail."""
    model = report["model"]
    return gates_table(f"Gates for {model['name']} version {model['version']}", report["gates"])


def checks_line(report: dict[str, Any]) -> str:
    """One line for the model checks (slices, calibration, behaviour): they inform, the gates decide."""
    checks = report["checks"]
    failed = [check["name"] for check in checks if not check["passed"] and check.get("judged", True)]
    unjudged = [check["name"] for check in checks if not check.get("judged", True)]
    line = (
        f"[yellow]model checks: {len(failed)} of {len(checks)} fail[/yellow]: {', '.join(failed)}"
        if failed
        else f"model checks: {len(checks) - len(unjudged)} of {len(checks)} pass (slices, calibration, behaviour)"
    )
    return line + (f"; not judged (the data cannot decide them): {', '.join(unjudged)}" if unjudged else "")


def gates_table(title: str, gates: list[dict[str, Any]]) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column("gate", no_wrap=True)
    for column in ("value", "threshold", "result"):
        table.add_column(column, justify="right")
    table.add_column("detail")
    for gate in gates:
        value = "-" if gate["value"] is None else f"{gate['value']:.4f}"
        result = (
            "[yellow]not judged[/yellow]"
            if not gate.get("judged", True)
            else ("[green]pass[/green]" if gate["passed"] else "[red]FAIL[/red]")
        )
        table.add_row(gate["name"], value, f"{gate['threshold']:.4f}", result, gate["detail"])
    return table


def print_summary(settings: Any, outputs: dict[str, Any]) -> None:
    from adclick.pipeline import Layout  # loads pandas: only after a run

    layout = Layout(settings)
    report, champion, scored = outputs["evaluate"], outputs["promote"], outputs["predict"]
    metrics = report["metrics"]
    for note in outputs["prepare"]["notes"]:  # what prepare did to the data (rows dropped, columns unused)
        console.print(f"prepare        : {note}", soft_wrap=True, highlight=False)
    console.print(gate_table(report))
    console.print(checks_line(report))
    console.print(
        f"[bold green]champion[/bold green]: {champion.name} version {champion.version} "
        f"(ROC AUC {metrics['roc_auc']:.4f}, log loss {metrics['log_loss']:.4f}, Brier {metrics['brier']:.4f}, "
        f"F1@{report['decision_threshold']:.3g} {metrics['f1']:.4f}, "
        f"average precision {metrics['average_precision']:.4f})",
        soft_wrap=True,
    )
    console.print(f"MLflow run     : {champion.run_id} (store: {settings.tracking_uri})", soft_wrap=True)
    console.print(f"validation     : {shown(layout.validation.with_suffix('.md'))}")
    console.print(f"model report   : {shown(layout.model_report)} (+ {layout.reliability.name}, evaluation.json)")
    console.print(f"training data  : {shown(layout.raw)} (split in {shown(layout.train.parent)})")
    console.print(f"batch scores   : {shown(scored['output'])} ({scored['rows']} rows)")
    drift = outputs["drift"]
    console.print(f"drift          : {drift_verdict(drift['report'])}", soft_wrap=True, highlight=False)
    console.print(f"                 report: {shown(drift['written']['html'])} (+ drift.md, drift.json)")
    console.print("look further   : `make serve` answers POST /predict on http://127.0.0.1:8000 (docs at /docs);")
    console.print("                 `make ui` opens the MLflow UI on http://127.0.0.1:5000")


def drift_verdict(report: dict[str, Any]) -> str:
    from adclick.monitoring.render import verdict_line

    return verdict_line(report)


def shown(path: Path) -> str:
    """A path relative to the working directory when it is below it: shorter to read."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def print_error(exc: Exception) -> None:
    errors.print(f"[bold red]error:[/bold red] {exc}", highlight=False, soft_wrap=True)
    if isinstance(exc, DataValidationError) and exc.failures:
        table = Table(title="Validation failures")
        for column in ("column", "check", "failures", "examples"):
            table.add_column(column)
        for f in exc.failures:
            table.add_row(str(f["column"]), str(f["check"]), str(f["failures"]), ", ".join(f["examples"]))
        errors.print(table)
    if isinstance(exc, PromotionRefusedError):
        errors.print(gates_table("Failed gates", exc.failed_gates))
