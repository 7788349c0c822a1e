"""The `adclick` command: thin wrappers that parse arguments, call the package, and print.

Commands import the package's modules inside their bodies: those modules load pandas,
scikit-learn and MLflow, and `adclick --help` must not (a test holds it to that). This is
the only place where our own modules are imported inside functions, and only for that reason.
A user error (`AdclickError`) prints one line (plus a table where one helps) and exits
non-zero; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import signal
import sys

import typer

from adclick.cli import lineage_commands, monitor_commands, schema_commands, serve_commands, step_commands  # noqa: F401  (each module registers its commands)
from adclick.cli.options import app
from adclick.cli.output import errors, print_error
from adclick.errors import AdclickError


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one clear message and a non-zero exit, not a traceback.

    SIGTERM (what `kill`, CI timeouts and Kubernetes send) unwinds like an exception: an MLflow
    run in progress is ended FAILED rather than left RUNNING, and temporary files are removed."""
    signal.signal(signal.SIGTERM, _exit_on_signal)
    run(app, argv)


def _exit_on_signal(signum: int, _: object) -> None:
    sys.exit(128 + signum)


def run(commands: typer.Typer, argv: list[str] | None = None) -> None:
    """Run a Typer app under the exit-code contract: 0 success, 1 a verdict, 2 a usage, config,
    data or output error in one line; only a bug keeps its traceback. The dev tools share it."""
    try:
        code = commands(args=argv, standalone_mode=False)  # click returns a command's `typer.Exit` code here
    except AdclickError as exc:
        print_error(exc)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        errors.print("aborted")
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: Typer's own copy of click derives them from this
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if message:  # none when a bare command has printed its help
            hint = f"`{commands.info.name} --help` lists the commands and options"
            errors.print(f"error: {message} ({hint})", highlight=False, soft_wrap=True)
        sys.exit(getattr(exc, "exit_code", 2))
    if isinstance(code, int) and code:
        sys.exit(code)
