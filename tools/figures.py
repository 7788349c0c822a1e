"""`make figures`: the pictures of the docs, drawn by the code they illustrate, never pasted.

In a scratch copy of the project (small data, so it takes a minute or two), it runs the demo
pipeline, the degradation demo, the experiment grid and a monitored replay, keeps the PNGs they
write, and takes screenshots of the drift report and of the MLflow UI with a headless Chromium.
`make docs` builds the site from them; tests/docs holds the docs to using only these figures and
each figure to being a picture, not a blank.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from adclick.config import load_settings
from tools.forks import copy_project, init_repository
from tools.load import free_port, wait_until_ready

BIN = Path(sys.executable).parent
# Each figure the docs show, and the file of the scratch project it is copied from.
DRAWN = {
    "degradation.png": "reports/degradation.png",
    "experiments.png": "reports/experiments.png",
    "monitoring.png": "reports/monitoring.png",
    "reliability.png": "reports/reliability.png",
}
SCREENSHOTS = ("drift-report.png", "mlflow-ui.png")
FIGURES = (*DRAWN, *SCREENSHOTS)
SMALL = {
    "data": {"n_rows": 20_000, "scoring_rows": 2_000},
    "experiments": {"grid": {"model.hist_gradient_boosting.learning_rate": [0.05, 0.1],
                             "model.hist_gradient_boosting.max_leaf_nodes": [7, 15]}},
}  # fmt: skip
# A figure is a picture, not a blank: a side of at least this many pixels, and a standard
# deviation of its colour values (0 to 1) of at least this much (an empty page scores 0.00; the
# smallest of ours, the reliability curve, about 0.2).
MIN_SIDE_PIXELS = 200
MIN_CONTRAST = 0.05
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_HOW_TO = (
    "no headless Chromium for the screenshots: `sudo .ci/provision` installs Debian's `chromium` package, "
    "or put a chromium on PATH"
)


def chromium() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def screenshot(browser: str, url: str, target: Path, wait_ms: int = 8000, height: int = 860) -> Path:
    """A 1280-pixel-wide screenshot of `url` by headless Chromium (flags that keep it off the network)."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--hide-scrollbars", f"--window-size=1280,{height}",
            f"--virtual-time-budget={wait_ms}", f"--screenshot={target}", url,
        ]  # fmt: skip
        subprocess.run(command, capture_output=True, timeout=120, check=True)
    return target


def _run(project: Path, *args: str) -> None:
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "MLFLOW_TRACKING_URI": ""}
    done = subprocess.run([str(BIN / "adclick"), *args], cwd=project, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"`adclick {' '.join(args)}` in {project} exited {done.returncode}:\n{done.stderr[-3000:]}")


def prepare(repo: Path, project: Path) -> Path:
    """A scratch copy of the project (with the team's data file), the pipeline run in it; the
    demo's data drawn small."""
    copy_project(repo, project)
    params = project / "params.yaml"
    values = yaml.safe_load(params.read_text())
    demo = load_settings(params, environ={}).data_file is None
    for section, overrides in SMALL.items():
        if section != "data" or demo:
            values.setdefault(section, {}).update(overrides)
    params.write_text(yaml.safe_dump(values, sort_keys=False))
    init_repository(project, "figures")
    _run(project, "pipeline")
    return project


@contextlib.contextmanager
def mlflow_ui(project: Path) -> Iterator[str]:
    """The MLflow UI of the project's store on a free 127.0.0.1 port, stopped on exit."""
    port = free_port()
    store = f"sqlite:///{(project / 'mlflow.db').resolve()}"
    command = [str(BIN / "mlflow"), "ui", "--backend-store-uri", store, "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_ready(f"{url}/health", timeout=180, process=server)
        yield f"{url}/#/experiments/1/runs"  # the training runs (the default page is MLflow's GenAI overview)
    finally:
        server.terminate()
        server.wait(timeout=30)


def draw(repo: Path, project: Path, output: Path) -> list[Path]:
    """Every figure of the docs into `output`; screenshots only where a Chromium is found."""
    prepare(repo, project)
    _run(project, "sample", "--rows", "2000", "--batch", "5", "--shift", "1.0", "--output", "data/raw/shifted.csv")
    _run(project, "drift", "data/split/train.csv", "data/raw/shifted.csv", "--exit-zero")  # a batch that drifted
    _run(project, "degradation", "--rows", "2000")
    _run(project, "experiments")
    _run(project, "monitor", "--days", "10", "--no-live")
    output.mkdir(parents=True, exist_ok=True)
    written = [Path(shutil.copyfile(project / source, output / name)) for name, source in DRAWN.items()]
    browser = chromium()
    if browser is None:
        print(CHROMIUM_HOW_TO, file=sys.stderr)
        return written
    report = (project / "reports" / "drift.html").resolve().as_uri()
    written.append(screenshot(browser, report, output / SCREENSHOTS[0], height=1500))
    with mlflow_ui(project) as url:
        time.sleep(1)
        written.append(screenshot(browser, url, output / SCREENSHOTS[1], wait_ms=15000))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("docs/figures"))
    parser.add_argument("--keep", type=Path, default=None, help="draw in this project folder and keep it")
    args = parser.parse_args(argv)
    project = args.keep or Path(tempfile.mkdtemp(prefix="figures-"))
    try:
        written = draw(Path.cwd(), project, args.output)
    finally:
        if args.keep is None:
            shutil.rmtree(project, ignore_errors=True)
    print(f"drew {len(written)} figures into {args.output}: {', '.join(p.name for p in written)}")
    return 0 if len(written) == len(FIGURES) else 1


if __name__ == "__main__":
    raise SystemExit(main())
