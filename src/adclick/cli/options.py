"""The `adclick` Typer app and the options its commands share."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from adclick.config import DEFAULT_CONFIG

app = typer.Typer(
    name="adclick",
    help=(
        "Prepare data (the demo or your file), train, evaluate, promote and batch-score a binary classifier. "
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
# A pipeline runner (DVC) records a refused promotion or a drifted batch as a result; a person
# or CI job at the command line wants the non-zero exit. Named after ruff's flag of that meaning.
ExitZeroOption = Annotated[
    bool, typer.Option("--exit-zero", help="Exit 0 on a negative verdict: it is recorded in the report, not raised.")
]
__all__ = [
    "DEFAULT_CONFIG",
    "ConfigOption",
    "ExitZeroOption",
    "ModelUriOption",
    "app",
    "settings_from",
    "writable_file",
    "writable_folder",
]


def writable_file(path: Path | None) -> Path | None:
    """An output file's path, refused as a usage error before any work when it cannot be written:
    a folder stands there, or its nearest existing parent is a file or a folder closed to us."""
    if path is not None and path.is_dir():
        raise typer.BadParameter(f"{path} is a folder: name the file to write, e.g. {path / 'scores.csv'}")
    return _creatable(path)


def writable_folder(path: Path | None) -> Path | None:
    """An output folder's path, refused as a usage error before any work when it cannot be written."""
    if path is not None and path.exists() and not path.is_dir():
        raise typer.BadParameter(f"{path} is a file: name a folder to write into")
    return _creatable(path)


def _creatable(path: Path | None) -> Path | None:
    if path is None:
        return None
    parent = next(p for p in path.absolute().parents if p.exists())
    if not parent.is_dir():
        raise typer.BadParameter(f"cannot write {path}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise typer.BadParameter(f"cannot write {path}: {parent} is not writable by this user")
    return path


def settings_from(config: Path) -> Any:
    """params.yaml, validated; importing the data contract checks src/adclick/data/specs.py too."""
    import adclick.data.contract  # noqa: F401  (a mistake in the schema module fails here, in one line)
    from adclick.config import load_settings

    _quiet_libraries()
    return load_settings(config)


def _quiet_libraries() -> None:
    """MLflow's INFO logs and hints are for library users; ours see a progress line instead."""
    import warnings

    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "ERROR")  # read by MLflow when it is first imported
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")  # a bar per download clutters logs
    warnings.filterwarnings("ignore", module="mlflow")
