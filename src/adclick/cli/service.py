"""The service's commands: export a model version for serving, serve it, and load it with a
bounded check."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any

import typer

from adclick.cli.options import DEFAULT_CONFIG, ConfigOption, ModelUriOption, app, settings_from
from adclick.cli.output import console


@app.command()
def serve(
    config: ConfigOption = DEFAULT_CONFIG,
    host: Annotated[str | None, typer.Option(help="Interface (default: serve.host, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: serve.port, 8000).")] = None,
    model_uri: ModelUriOption = None,
) -> None:
    """Serve POST /predict (+ /health, /ready, /model, /metrics) with the champion, until stopped."""
    import os

    # Requests run concurrently; OpenMP threads inside each prediction would only fight them
    # for the cores (measured: 28 requests/s with them, see docs/serving.md). Set before sklearn loads.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import uvicorn

    from adclick.serve.app import RELOAD_TOKEN_ENV, create_app

    settings = settings_from(config)
    host, port = host or settings.serve.host, port or settings.serve.port
    console.print(f"serving {model_uri or settings.serve.model_alias} on http://{host}:{port} (docs: /docs)")
    # The reload token is read once, here at the edge; the app never looks at the environment.
    token = os.environ.get(RELOAD_TOKEN_ENV) or None
    reference = functools.partial(_reference, settings)  # read once the service is up (serve.watch)
    exporter = functools.partial(_export_in_child, config)
    app = create_app(
        settings, model_uri, reload_token=token, reference=reference, exporter=exporter, freeze_heap=True
    )  # a process of its own: its long-lived objects leave the collector's walks (serve.heap)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@app.command()
def export(config: ConfigOption = DEFAULT_CONFIG, model_uri: ModelUriOption = None) -> None:
    """Export a registered version for the service (default: the serve alias); print its folder.

    `adclick serve` exports by itself when the registry changed since the last export; run this
    to pay for the export before start-up, as `adclick load` does."""
    from adclick.tracking import bundle
    from adclick.tracking.registry import alias_uri

    settings = settings_from(config)
    typer.echo(bundle.export(settings, model_uri or alias_uri(settings, settings.serve.model_alias)))


def _export_in_child(config: Path, model_uri: str) -> Path:
    """`adclick export` in a child process: MLflow and scikit-learn never enter the service's memory."""
    import subprocess
    import sys

    from adclick.errors import ModelNotFoundError

    command = [sys.executable, "-m", "adclick.cli", "export", "--config", str(config), "--model-uri", model_uri]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip() or f"exit code {done.returncode}").splitlines()
        raise ModelNotFoundError(f"adclick export {model_uri}: {said[-1]}")
    return Path(done.stdout.strip().splitlines()[-1])


@app.command()
def load(
    config: ConfigOption = DEFAULT_CONFIG,
    requests: Annotated[int, typer.Option(min=1, max=100_000, help="Single-record requests to send.")] = 400,
    batch_rows: Annotated[
        list[int] | None,
        typer.Option(min=1, help="Rows per batch load, repeatable (default: 100 and serve.max_batch_rows)."),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Concurrent clients.")] = 4,
    deadline: Annotated[float, typer.Option(min=1, help="Stop each load after this many seconds.")] = 120.0,
    compare_mlflow: Annotated[
        bool, typer.Option(help="Also load `mlflow models serve`: both side by side, each goal's ratio.")
    ] = False,
    model_uri: ModelUriOption = None,
) -> None:
    """Start the server on a free 127.0.0.1 port, send a fixed load, print requests/s, rows/s and p50/p95/p99, stop.

    With --compare-mlflow, the same loads against `mlflow models serve` of the same model, then
    both side by side with start-up time and memory, each ratio against `serve.goals_vs_mlflow`.
    Exits 1 when a request failed.
    """
    from adclick.tooling import load as loading
    from adclick.tooling import load_comparison
    from adclick.tracking import bundle
    from adclick.tracking.registry import alias_uri, connect, resolve

    settings = settings_from(config)
    batches = tuple(batch_rows) if batch_rows else (100, settings.serve.max_batch_rows)
    client = connect(settings)
    ref = resolve(client, model_uri or alias_uri(settings, settings.serve.model_alias))
    plan = loading.load_plan(settings, requests, batches)
    bundle.export(settings, ref.uri, client)  # the deploy step: the service starts from this bundle
    if not compare_mlflow:
        ours = loading.load_adclick(config, ref, plan, concurrency, deadline, report=console.print)
        console.print(f"adclick: ready in {ours.startup_seconds:.1f} s, {ours.memory_mib:.0f} MiB", highlight=False)
        failed = ours.failed
    else:
        both = load_comparison.side_by_side(
            settings, config, ref, plan, concurrency=concurrency, deadline=deadline, rounds=2, report=console.print,
            raw=load_comparison.raw_prediction(client, ref, plan[loading.SINGLE]),
        )  # fmt: skip
        failed = both.ours.failed + both.theirs.failed + (both.one_client.failed if both.one_client else 0)
        goals = settings.serve.goals_vs_mlflow
        comparisons = load_comparison.compare(both.ours, both.theirs, goals, both.one_client, both.raw)
        table = load_comparison.markdown(both.ours, both.theirs, comparisons, concurrency)
        console.print("\n" + table, highlight=False)
    if failed:
        console.print(f"{failed} requests failed", style="red")
        raise typer.Exit(1)


def _reference(settings: Any) -> Any:
    """The training split the pipeline wrote, validated: what /metrics compares recent inputs with.

    Read from the data layer itself: `adclick.pipeline` would bring scikit-learn into the
    service's memory (80 MiB more, measured)."""
    from adclick.config.layout import Layout
    from adclick.data.sources import read_data
    from adclick.data.validation import validate

    path = Layout(settings).train
    if not path.is_file():
        console.print(f"no drift gauge: {path} not found (run `adclick pipeline` first)")
        return None
    return validate(read_data(path), labelled=True, limits=settings.data_checks, source=str(path))
