"""The `adclick` Typer app and the options its commands share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from adclick.config import DEFAULT_CONFIG

app = typer.Typer(
    name="adclick",
    help=(
        "Generate data, train, evaluate, promote and batch-score the ad-click model. "
        "Each step also runs alone from files on disk."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="Settings file.", show_default=True)]
ModelUriOption = Annotated[
    str | None, typer.Option("--model-uri", help="Registry URI, e.g. models:/adclick@champion or models:/adclick/3.")
]
__all__ = ["DEFAULT_CONFIG", "ConfigOption", "ModelUriOption", "app", "settings_from"]


def settings_from(config: Path) -> Any:
    """params.yaml, validated, and held to the data contract (columns it names exist)."""
    from adclick.config import load_settings
    from adclick.data.schema import check_settings

    _quiet_libraries()
    return check_settings(load_settings(config), source=str(config))


def _quiet_libraries() -> None:
    """MLflow's INFO logs and hints are for library users; ours see a progress line instead."""
    import os
    import warnings

    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "ERROR")  # read by MLflow when it is first imported
    warnings.filterwarnings("ignore", module="mlflow")
