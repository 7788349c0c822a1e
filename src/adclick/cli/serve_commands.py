"""The service's commands: export a model version for serving, and serve it."""

from __future__ import annotations

import functools
from typing import Annotated, Any

import typer

from adclick.cli.options import DEFAULT_CONFIG, ConfigOption, ModelUriOption, app, settings_from
from adclick.cli.output import console


@app.command()
def serve(
    config: ConfigOption = DEFAULT_CONFIG,
    host: Annotated[str | None, typer.Option(help="Interface (default: serve.host, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default: serve.port, 8000).")] = None,
    model_uri: ModelUriOption = None,
) -> None:
    """Serve POST /predict (+ /health, /ready, /model, /metrics) with the champion, until stopped."""
    import os

    # Requests run concurrently; OpenMP threads inside each prediction would only fight them
    # for the cores (docs/serving.md). Set before sklearn loads.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import signal

    import uvicorn

    from adclick.serve.app import create_app
    from adclick.serve.routes import RELOAD_TOKEN_ENV

    # uvicorn shuts down gracefully on SIGTERM, then raises it again: the default action then ends
    # the process by that signal, as an orchestrator expects (`adclick`'s own handler is for batch work).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    settings = settings_from(config)
    host, port = host or settings.serve.host, port or settings.serve.port
    console.print(f"serving {model_uri or settings.serve.model_alias} on http://{host}:{port} (docs: /docs)")
    # The reload token is read once, here at the edge; the app never looks at the environment.
    token = os.environ.get(RELOAD_TOKEN_ENV) or None
    reference = functools.partial(_reference, settings)  # read once the service is up (serve.watch)
    app = create_app(
        settings,
        model_uri,
        reload_token=token,
        reference=reference,
        freeze_heap=True,  # a process of its own: its long-lived objects leave the collector's walks (serve.heap)
        load_in_background=True,  # /health answers while the model is exported and loaded
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


@app.command()
def export(config: ConfigOption = DEFAULT_CONFIG, model_uri: ModelUriOption = None) -> None:
    """Export a registered version for the service (default: the serve alias); print its folder.

    `adclick serve` exports by itself when the registry changed since the last export; run this
    to pay for the export before start-up, as a deploy step (and `make load`) does."""
    from adclick.serve import bundle
    from adclick.tracking.registry import alias_uri

    settings = settings_from(config)
    typer.echo(bundle.export(settings, model_uri or alias_uri(settings, settings.serve.model_alias)))


def _reference(settings: Any) -> Any:
    """The training split the pipeline wrote, validated: what /metrics compares recent inputs with.

    Read from the data layer itself: `adclick.pipeline` would bring scikit-learn into the
    service's memory."""
    from adclick.config.layout import Layout
    from adclick.data.sources import read_data
    from adclick.data.validation import validate

    path = Layout(settings).train
    if not path.is_file():
        console.print(f"no drift gauge: {path} not found (run `adclick pipeline` first)")
        return None
    return validate(read_data(path), labelled=True, limits=settings.data_checks, source=str(path))
