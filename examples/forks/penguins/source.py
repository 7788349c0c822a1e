"""Where this example's file comes from: the Palmer penguins that the palmerpenguins package
ships (344 penguins of three species on three islands, with gaps: 11 have no recorded sex).
The task: tell a female from her measurements. A team brings its own file instead; this one
stands in for it and is not part of the fork's change."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

FILE = "data/source/penguins.csv"
LABEL, POSITIVE = "sex", "female"


def export(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with files("palmerpenguins").joinpath("data", "penguins.csv").open("rb") as shipped, path.open("wb") as out:
        shutil.copyfileobj(shipped, out)
    return path
