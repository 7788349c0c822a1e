"""The service's commands: serve the champion, and load it with a bounded check."""

from __future__ import annotations

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
    app = create_app(settings, model_uri, reload_token=token, reference=_reference(settings))
    uvicorn.run(app, host=host, port=port, log_level="warning")


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
    from adclick.tracking.registry import alias_uri, connect, resolve

    settings = settings_from(config)
    batches = tuple(batch_rows) if batch_rows else (100, settings.serve.max_batch_rows)
    ref = resolve(connect(settings), model_uri or alias_uri(settings, settings.serve.model_alias))
    plan = loading.load_plan(settings, requests, batches)
    ours = loading.load_adclick(config, ref, plan, concurrency, deadline, report=console.print)
    console.print(f"adclick: ready in {ours.startup_seconds:.1f} s, {ours.memory_mib:.0f} MiB", highlight=False)
    failed = ours.failed
    if compare_mlflow:
        theirs = loading.load_mlflow_serve(settings, ref, plan, concurrency, deadline, report=console.print)
        failed += theirs.failed
        comparisons = load_comparison.compare(ours, theirs, settings.serve.goals_vs_mlflow)
        console.print("\n" + load_comparison.markdown(ours, theirs, comparisons, concurrency), highlight=False)
    if failed:
        console.print(f"{failed} requests failed", style="red")
        raise typer.Exit(1)


def _reference(settings: Any) -> Any:
    """The training split the pipeline wrote, validated: what /metrics compares recent inputs with."""
    from adclick import pipeline

    path = pipeline.Layout(settings).train
    if not path.is_file():
        console.print(f"no drift gauge: {path} not found (run `adclick pipeline` first)")
        return None
    return pipeline.validated(settings, pipeline.read_data(path), labelled=True, source=str(path))
