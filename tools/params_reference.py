"""`make params-reference`: every settings key, its default and its meaning, as docs/reference/params.md.

The settings classes are the one source: their defaults and descriptions are written out here,
and tests/ci holds the committed page to what this writes, so the reference cannot go stale.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from adclick.atomic import write_text
from adclick.config import Settings
from adclick.markdown import markdown_table

REFERENCE = Path("docs/reference/params.md")
HEADER = """# params.yaml: every key

params.yaml holds the keys a team is expected to change; every other key keeps the default below,
set in the settings classes (`src/adclick/config/`). Any key may be written into params.yaml with
its dotted path as nesting; an unknown key fails with the list of allowed ones. This page is
generated from those classes (`make params-reference`), and a test keeps it in step with them.
"""


def _rows(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, str, str]]:
    """(dotted key, default as YAML would show it, meaning) of each leaf, in declaration order."""
    for name, field in model.model_fields.items():
        if field.exclude:
            continue
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _rows(annotation, f"{prefix}{name}.")
            continue
        default = field.get_default(call_default_factory=True)
        shown = json.dumps(TypeAdapter(annotation).dump_python(default, mode="json"))
        yield f"`{prefix}{name}`", f"`{shown}`", field.description or ""


def reference() -> str:
    """The whole page: one table per top-level section, the section's docstring above it."""
    parts = [HEADER]
    loose = []
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            summary = " ".join((annotation.__doc__ or "").split())
            table = markdown_table(("key", "default", "meaning"), list(_rows(annotation, f"{name}.")))
            parts.append(f"## {name}\n\n{summary}\n\n{table}")
        elif not field.exclude:
            loose.append(name)
    top = markdown_table(("key", "default", "meaning"), [r for r in _rows(Settings) if r[0].strip("`") in loose])
    parts.insert(1, f"## top level\n\n{top}")
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REFERENCE)
    write_text(parser.parse_args().output, reference())


if __name__ == "__main__":
    main()
