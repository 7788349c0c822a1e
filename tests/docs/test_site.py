"""The site: every figure the docs show is drawn by the code (`make figures`) and is a picture,
not a blank; the screenshots of the drift report and the MLflow UI are taken by a headless
browser; and the site builds in strict mode, a broken link or a page left out failing it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from tests.helpers.docs import FIGURES_STASH, Drawing
from tests.helpers.project import REPO_ROOT
from tools import figures

DRAWING_TIMEOUT = 900  # seconds: a small pipeline, degradation, the grid, a replay and two screenshots
SHOWN = sorted(
    {m for page in (REPO_ROOT / "docs").rglob("*.md") for m in re.findall(r"\(figures/([\w.-]+)\)", page.read_text())}
)


@pytest.fixture(scope="session")
def drawing(request: pytest.FixtureRequest) -> Drawing:
    """`make figures`, run once (started early in the background by tests/conftest.py where cores are idle)."""
    job = request.config.stash.get(FIGURES_STASH, None)
    if job is None:
        job = request.config.stash[FIGURES_STASH] = Drawing()
    code = job.wait(DRAWING_TIMEOUT)
    if figures.chromium() is None and code != 0:
        if os.environ.get("CI"):
            pytest.fail(figures.CHROMIUM_HOW_TO)
        pytest.skip(figures.CHROMIUM_HOW_TO)
    assert code == 0, job.output()
    return job


def test_every_figure_the_docs_show_is_drawn_by_the_code() -> None:
    assert sorted(figures.FIGURES) == SHOWN


@pytest.mark.parametrize("name", figures.FIGURES)
def test_each_figure_is_a_picture_not_a_blank(drawing: Drawing, name: str) -> None:
    pixels = matplotlib.image.imread(drawing.figures / name)[..., :3]
    assert min(pixels.shape[:2]) >= figures.MIN_SIDE_PIXELS, pixels.shape
    assert float(np.std(pixels)) >= figures.MIN_CONTRAST, f"{name} is almost one colour (std {np.std(pixels):.3f})"


def test_the_site_builds_in_strict_mode(drawing: Drawing, tmp_path: Path) -> None:
    shutil.copytree(REPO_ROOT / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("figures"))
    shutil.copytree(drawing.figures, tmp_path / "docs" / "figures")
    shutil.copyfile(REPO_ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "src").symlink_to(REPO_ROOT / "src")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    quiet = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's end-of-life notice (docs/dependencies.md)
    done = subprocess.run(
        [str(mkdocs), "build", "--strict"], cwd=tmp_path, env=quiet, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not re.search(r"^WARNING", done.stderr, flags=re.MULTILINE), done.stderr


def test_each_box_of_the_lifecycle_diagram_opens_its_module_in_the_api_reference() -> None:
    diagram = (REPO_ROOT / "docs" / "lifecycle.md").read_text()
    linked = re.findall(r'click \w+ "\.\./reference/api/#([\w.]+)"', diagram)
    reference = (REPO_ROOT / "docs" / "reference" / "api.md").read_text()
    assert linked
    assert all(f"::: {module}" in reference for module in linked), linked
