"""Shared fixtures and the rules every layer follows.

- A test's marker comes from its folder (tests/data -> `data`), so `pytest -m data` and
  `pytest tests/data` select the same tests.
- Expensive things are built once per session: a small project in a temp folder with its own
  MLflow store, and one full pipeline run in it. Nothing touches the repository's own
  data/, reports/ or mlflow.db. The longest, the versioning rehearsal (DVC for real) and the
  docs' figures, start in background processes early only where cores are idle.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

from adclick.config import Settings, load_settings
from adclick.config.operations import PathSettings
from tests.helpers.docs import FIGURES_STASH, Drawing
from tests.helpers.project import LAYERS, MLFLOW_URI_VARIABLES, REPO_ROOT, SMALL_OVERRIDES, deep_merge, source_for
from tests.helpers.store import TrainedProject
from tests.helpers.versioning import REHEARSAL, Rehearsal

pytest_plugins = (
    "tests.plugins.ml_test_score",  # @pytest.mark.ml_test_score: the rubric's items
    "tests.plugins.not_judged",  # the checks this data could not support, listed at the end
)

# Hypothesis: `ci` is reproducible (derandomized, no deadline on shared runners, no example
# database written into the checkout); `dev` draws new examples on every run of a developer's
# machine, so that runs add up to more than any one of them.
settings.register_profile(
    "ci", derandomize=True, deadline=None, database=None, max_examples=30, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
# `fast` (make test-fast, the pre-push hook: `--hypothesis-profile fast`) tries a few examples of
# each property, enough to catch a broken rule in seconds; `make test` explores with the others.
settings.register_profile("fast", derandomize=True, deadline=None, database=None, max_examples=5)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("adclick", "point the test layers at real artifacts")
    group.addoption(
        "--data",
        type=Path,
        default=None,
        metavar="PATH",
        help="labelled CSV or Parquet file for the data layer to check (default: a generated sample)",
    )
    group.addoption(
        "--model-uri",
        default=None,
        metavar="URI",
        help="registered model for the model layer to test, e.g. models:/adclick@challenger, from the "
        "store params.yaml names (default: a model trained by the test session in a temp registry)",
    )
    group.addoption(
        "--reports-dir",
        type=Path,
        default=Path("reports"),
        metavar="DIR",
        help="where the model layer writes model-report.md and model-reliability.png (default: reports)",
    )


def pytest_report_header(config: pytest.Config) -> list[str]:
    data, model = config.getoption("--data"), config.getoption("--model-uri")
    if data is None:
        source = load_settings(REPO_ROOT / "params.yaml", environ={}).data_file
        data = f"your file {source} (params.yaml data.source)" if source else "the demo generator (params.yaml seed)"
    return [
        f"adclick data: {data}",
        f"adclick model: {model if model else 'trained by this session in a temp registry'}",
        "adclick deepchecks: "
        + ("installed, its tests run here" if _deepchecks_installed() else "not here: make test-deepchecks"),
    ]


def _deepchecks_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("deepchecks") is not None


# The tests that share the longest work (the versioning rehearsal, the docs' figures). Under
# pytest-xdist (make test) they are queued first, each group on one worker, so no worker is left
# alone with one at the end; in one process they keep their place, and the work runs beside them
# in the background where a core is idle.
LONGEST_FIRST = ("tests/versioning/", "tests/docs/test_site.py")


def _longest_first(item: pytest.Item) -> bool:
    return not item.nodeid.startswith(LONGEST_FIRST)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with the layer named by its folder under tests/; under pytest-xdist, queue
    the longest shared work first. Where deepchecks is not installed (the main environment),
    deselect its tests: they run in .venv-deepchecks."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=_longest_first)
    for item in items:
        parts = Path(str(item.path)).relative_to(REPO_ROOT / "tests").parts
        if len(parts) > 1 and parts[0] in LAYERS:
            item.add_marker(getattr(pytest.mark, parts[0]))
    if not _deepchecks_installed():
        deselected = [item for item in items if item.get_closest_marker("deepchecks")]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if not item.get_closest_marker("deepchecks")]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under pytest-xdist, each module runs on one worker (its fixtures are built once), the
    versioning folder as one unit (its tests share the rehearsal), in the collection's order."""
    from xdist.scheduler import LoadScopeScheduling

    class SharedWorkScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            shared = next((prefix for prefix in LONGEST_FIRST if nodeid.startswith(prefix)), None)
            return shared or nodeid.split("::", 1)[0]

    config.option.loadscopereorder = False
    return SharedWorkScheduling(config, log)


# The thread pools of OpenMP (scikit-learn's trees) and BLAS size themselves to every core and
# spin while they wait: beside a second worker (or any busy neighbour) a training ran 10 to 20
# times slower. Each pytest-xdist worker takes one core, so its pools, and its subprocesses',
# take one thread.
ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        from threadpoolctl import threadpool_limits

        for name in ONE_THREAD:
            os.environ.setdefault(name, "1")
        threadpool_limits(limits=1)  # the pools of libraries loaded before this hook


def spare_cores() -> int:
    """Cores idle now beyond the one the tests' own process will take, measured over half a second
    while this process waits: a core at least three-quarters idle counts. On a quiet 2-core
    machine that is one; beside two busy neighbours, none. Under pytest-xdist the workers take
    the cores: none."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return 0
    import psutil

    busy = psutil.cpu_percent(interval=0.5, percpu=True)
    idle = sum(100.0 - share for share in busy) / 100.0
    return max(0, int(idle - 1 + 0.25))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Where cores are idle, start the long work some tests share in the background as soon as a
    selected test needs it, so the rest of the suite runs meanwhile: the versioning rehearsal
    (minutes of `dvc` and `adclick` subprocesses), then the drawing of the docs' figures. One job
    per idle core at most; on a busy machine none, and each runs when a test first needs it."""
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    jobs = [(REHEARSAL, Rehearsal, "rehearsal"), (FIGURES_STASH, Drawing, "drawing")]
    wanted = [(key, job) for key, job, fixture in jobs if fixture in needed]
    for key, job in wanted[: spare_cores()]:
        session.config.stash[key] = job()


def pytest_sessionfinish(session: pytest.Session) -> None:
    for key in (REHEARSAL, FIGURES_STASH):
        job = session.config.stash.get(key, None)
        if job is not None:
            job.close()


@pytest.fixture(autouse=True)
def _no_inherited_mlflow_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """MLflow writes the current store into os.environ; a test must not inherit the last one's."""
    for name in MLFLOW_URI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def empty_mlflow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, fully migrated MLflow sqlite store, made once: copying it into a project is
    instant, where creating a store runs every schema migration (seconds each time)."""
    from mlflow import MlflowClient

    path = tmp_path_factory.mktemp("mlflow_template") / "mlflow.db"
    MlflowClient(tracking_uri=f"sqlite:///{path}").search_experiments()
    return path


@pytest.fixture(scope="session")
def make_project(tmp_path_factory: pytest.TempPathFactory, empty_mlflow_db: Path) -> Callable[..., Path]:
    """Create a project folder holding params.yaml (the repository's, with overrides) and an
    empty MLflow store of its own, and return the folder."""

    def make(name: str = "project", **overrides: Any) -> Path:
        root = tmp_path_factory.mktemp(name)
        params = yaml.safe_load((REPO_ROOT / "params.yaml").read_text())
        params = deep_merge(params, deep_merge(SMALL_OVERRIDES, overrides))
        params["data"]["source"] = source_for(params["data"]["source"])
        (root / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))
        store = (params.get("paths") or {}).get("mlflow_db", PathSettings().mlflow_db)  # a bad config still gets one
        shutil.copyfile(empty_mlflow_db, root / store)
        return root

    return make


@pytest.fixture(scope="session")
def small_settings(make_project: Callable[..., Path]) -> Settings:
    """Settings of a small project in its own temp folder (own data, reports and MLflow store)."""
    return load_settings(make_project("small") / "params.yaml", environ={})


@pytest.fixture(scope="session")
def params() -> Settings:
    """The repository's params.yaml as it is: thresholds and seed, no project folder or MLflow store."""
    return load_settings(REPO_ROOT / "params.yaml", environ={})


@pytest.fixture(scope="session")
def small_data(small_settings: Settings) -> Any:
    """The labelled data of the configured source, made once: the team's file as it is (never
    resampled), or the demo at the small project's size (SMALL_OVERRIDES)."""
    from adclick.data.sources import labelled

    return labelled(small_settings)


@pytest.fixture(scope="session")
def data_like(small_settings: Settings, small_data: Any) -> Callable[..., Any]:
    """`data_like(rows, seed)`: labelled rows like the configured source's, at any size: drawn
    from the demo generator, or resampled from your file's rows (read once, as `small_data`).
    For sizes and seeds, not for metrics."""
    from adclick.data.sources import sample

    return lambda rows, seed, batch=0: sample(small_settings, rows, seed, batch=batch, data=small_data)


@pytest.fixture(scope="session")
def small_split(params: Settings, small_data: Any) -> tuple[Any, Any]:
    from adclick.data.split import split

    return split(small_data, params.data.test_fraction, params.seed)


@pytest.fixture(scope="session")
def small_fitted(params: Settings, small_split: tuple[Any, Any]) -> Any:
    """The candidate and its baselines fitted on the small training split: the session's one
    training. Tests that need a differently trained model (broken on purpose, other seeds,
    a challenger) fit their own."""
    from adclick.model.build import fit_models

    return fit_models(small_split[0], params)


@pytest.fixture(scope="session")
def small_model(small_fitted: Any) -> Any:
    """The session's candidate pipeline, without MLflow."""
    return small_fitted.candidate


@pytest.fixture(scope="session")
def trained_project(
    make_project: Callable[..., Path], small_split: tuple[Any, Any], small_fitted: Any
) -> TrainedProject:
    """A project whose registry holds the session's model as version 1, promoted through its gates
    to champion. Shared by the model, API and performance layers; tests that add versions must
    leave the champion alias where they found it."""
    from tests.helpers.store import register_and_promote

    config = make_project("trained") / "params.yaml"
    return register_and_promote(load_settings(config, environ={}), config, small_split, small_fitted)


@pytest.fixture(scope="session")
def reports_dir(request: pytest.FixtureRequest) -> Path:
    """Where the layers write their reports (`--reports-dir`, relative to the rootdir)."""
    folder: Path = request.config.getoption("--reports-dir")
    folder = folder if folder.is_absolute() else Path(request.config.rootpath) / folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder
