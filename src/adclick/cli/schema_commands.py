"""`adclick init-schema`: draft the schema module and the data lines of params.yaml from a team's file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adclick.atomic import write_text
from adclick.cli.options import app, writable_folder
from adclick.cli.output import console


@app.command("init-schema")
def init_schema(
    path: Annotated[Path, typer.Argument(help="Your labelled CSV or Parquet file.")],
    label: Annotated[str, typer.Option(help="The label column.")],
    positive: Annotated[str, typer.Option(help="The label's value that counts as positive.")],
    output: Annotated[
        Path, typer.Option(callback=writable_folder, help="Folder for the draft (specs.py, params-data.yaml).")
    ] = Path("drafts"),
) -> None:
    """Draft the schema module and the params.yaml lines for your file, to review and commit (docs/fork.md)."""
    from adclick.data.draft import draft
    from adclick.data.files import read_frame

    drafted = draft(read_frame(path), str(path), label=label, positive=positive)
    write_text(output / "specs.py", drafted.schema_module)
    write_text(output / "params-data.yaml", drafted.params_block)
    for note in drafted.notes:
        console.print(f"note: {note}", highlight=False)
    console.print(f"wrote {output / 'specs.py'} and {output / 'params-data.yaml'}; review them, then:")
    console.print(f"  cp {output / 'specs.py'} src/adclick/data/specs.py   # the schema module", highlight=False)
    console.print(
        "  and set the params-data.yaml lines in params.yaml; then `make demo` runs on your data", highlight=False
    )
