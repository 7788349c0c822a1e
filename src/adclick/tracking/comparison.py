"""The experiment grid's comparison as people read it: a markdown table sorted by the gate
metric with every gate's verdict, and a picture of the metric against each parameter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adclick.atomic import write_atomic
from adclick.markdown import markdown_table, number
from adclick.tracking.experiments import RANKED_BY


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "pass" if value else "**FAIL**"
    if isinstance(value, float):
        return number(value)
    return str(value)


def comparison_markdown(rows: list[dict[str, Any]], parent_run_id: str, challenger: str) -> str:
    """The table, best first, and what happens next: only the gates promote."""
    headers = [key for key in rows[0] if key not in ("run_id", "registered")]
    body = [[_cell(row[key]) for key in headers] + [row["run_id"][:8]] for row in rows]
    table = markdown_table([*headers, "run"], body)
    return (
        f"# Experiment grid (MLflow parent run `{parent_run_id}`)\n\n"
        f"Sorted by `{RANKED_BY}`: ROC AUC, the gate metric, on a validation part of the training split. "
        "The test columns and the gates judge the test split, which the ranking never saw.\n\n"
        f"{table}\n"
        f"The best is registered as `{challenger}`. Only the gates make it the champion: "
        "`adclick evaluate && adclick promote`.\n"
    )


def comparison_png(rows: list[dict[str, Any]], parameters: list[str], path: Path) -> Path:
    """One panel per grid parameter: the ranking metric of every child against its value."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(parameters), figsize=(4.5 * len(parameters), 3.6), squeeze=False)
    for axis, parameter in zip(axes[0], parameters, strict=True):
        values = sorted({row[parameter] for row in rows}, key=str)
        positions = {value: index for index, value in enumerate(values)}
        for row in rows:
            marker = "*" if row["registered"] else "o"
            axis.scatter(positions[row[parameter]], row[RANKED_BY], marker=marker, s=120 if row["registered"] else 40)
        axis.set_xticks(range(len(values)), [str(v) for v in values])
        axis.set(xlabel=parameter.rsplit(".", 1)[-1], ylabel=RANKED_BY)
        axis.grid(alpha=0.3)
    figure.suptitle("Experiment grid: each child run (star: registered as challenger)")
    try:
        return write_atomic(path, lambda tmp: figure.savefig(tmp, format="png", dpi=100, bbox_inches="tight"))
    finally:
        plt.close(figure)
