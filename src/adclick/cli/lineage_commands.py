"""Versioning and experiments: a grid of trainings compared in MLflow, and a model's lineage."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from adclick.cli.options import DEFAULT_CONFIG, ConfigOption, app, settings_from
from adclick.cli.output import console, shown


@app.command()
def experiments(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Train the grid of params.yaml `experiments` as MLflow child runs under one parent run.

    Ranks them on a validation part of the training split, judges each against the gates,
    registers the best as challenger and writes reports/experiments.md (+ .csv, .json, .png).
    Only the gates promote: `adclick evaluate && adclick promote` next.
    """
    from adclick import pipeline

    outcome = pipeline.experiments(settings_from(config))
    result = outcome["result"]
    for row in outcome["rows"]:
        gates = [key.removeprefix("gate ") for key, value in row.items() if key.startswith("gate ") and not value]
        settings = "  ".join(f"{k.rsplit('.', 1)[-1]}={row[k]}" for k in result.best.overrides)
        console.print(
            f"{row['rank']:>3}. {settings}  validation AUC {row['validation_roc_auc']:.4f}  "
            f"test AUC {row['test_roc_auc']:.4f}  gates: {'all pass' if not gates else 'FAIL ' + ', '.join(gates)}",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        f"registered {result.challenger.name} version {result.challenger.version} (run {result.best.run_id}) "
        f"as challenger; parent run {result.parent_run_id}",
        highlight=False,
    )
    console.print(f"report: {shown(outcome['written']['markdown'])} (+ .csv, .json, .png)")
    console.print("next: `adclick evaluate && adclick promote`: only the gates move the champion")


@app.command()
def lineage(
    model_uri: Annotated[
        str | None, typer.Argument(help="Registry URI (default: models:/<registered_name>@champion).")
    ] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    as_json: Annotated[bool, typer.Option("--json", help="Print the lineage as JSON.")] = False,
) -> None:
    """Which code, data and parameters made a registered model, and how to get them back."""
    from adclick import pipeline

    found = pipeline.lineage(settings_from(config), model_uri)
    if as_json:
        console.print_json(json.dumps(found, default=str))
        return
    for line in lineage_lines(found):
        console.print(line, highlight=False, soft_wrap=True)


def lineage_lines(found: dict[str, Any]) -> list[str]:
    model = found["model"]
    head = f"{model['uri']}: version {model['version']} of {model['name']}, run {model['run_id']}"
    if not found["recorded"]:
        return [head, "no lineage recorded on this run (trained before lineage was recorded)"]
    code, params = found["code"], found["params"]
    trained = datetime.fromtimestamp(found["trained_at_ms"] / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
    state = (
        f"[red]uncommitted changes[/red] ({code['changed']}): the commit alone does not reproduce it"
        if code["dirty"]
        else "clean tree"
    )
    here = "the workspace is at this commit" if code["workspace_commit"] == code["commit"] else "the workspace is not"
    same = "same as" if params["workspace_sha256"] == params["sha256"] else "differs from"
    lines = [
        f"{head}, trained {trained}",
        f"code   : git commit {code['commit']} ({state}; {here})",
        f"params : sha256 {params['sha256'][:16]} of {params['keys']} ({same} params.yaml now); "
        f"values: {params['artifact']}",
    ]
    for item in found["data"]:
        now = item["workspace_md5"]
        status = "missing here" if now is None else "same file here" if now == item["md5"] else f"here: {now}"
        cached = "in the DVC cache" if item["in_dvc_cache"] else "not in the local DVC cache"
        lines.append(f"data   : {item['path']} ({item['role']}) md5 {item['md5']} ({status}; {cached})")
    lines.append("reproduce:")
    lines += [f"  {command}" for command in found["reproduce"]]
    return lines
