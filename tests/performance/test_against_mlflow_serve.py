"""Over a socket, the service leaves `mlflow models serve` of the same model far behind: each
goal of `serve.goals_vs_mlflow` in params.yaml holds as a budget, measured as `make load`
measures it (`tools.load_comparison.side_by_side`): both servers up at once, the same requests
sent to each in alternating rounds, so that a busy neighbour slows both.

The run writes its side-by-side table to the reports folder (`serving.md`, a section of the CI
report). The fast layers leave this module out (`slow`): starting MLflow's server alone takes
about 6 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from adclick.atomic import write_text
from adclick.serve import bundle
from tests.helpers.store import TrainedProject
from tools import load as loading
from tools.load_comparison import ONE_CLIENT, Comparison, SideBySide, compare, markdown, raw_prediction
from tools.load_comparison import side_by_side as run_side_by_side

pytestmark = [pytest.mark.slow, pytest.mark.ml_test_score("monitor-6")]

# Enough requests of each load for its 95th percentile not to be its slowest requests: measured
# beside two CPU-bound processes (`make test-perf-contended`), 10 batches of 1,000 rows once gave
# a p95 ratio of 0.71, where 40 give 0.4-0.5 like a quiet machine; 40 batches of 100 rows gave
# 0.62 once, the p95 of 40 being its third-slowest request, where a moment the scheduler took
# from the server decides it. As in `make load`, each batch load carries 100 times the single
# records' rows (300 batches of 100 rows), and at least 40 batches.
REQUESTS = 300  # single records
MIN_BATCHES = 40  # of each batch size
CONCURRENCY = 4
ROUNDS = 4


@dataclass(frozen=True)
class Measured:
    run: SideBySide
    comparisons: dict[str, Comparison]


@pytest.fixture(scope="module")
def measured(trained_project: TrainedProject, reports_dir: Path) -> Measured:
    settings, ref = trained_project.settings, trained_project.champion
    plan = loading.load_plan(settings, REQUESTS, (100, settings.serve.max_batch_rows), min_batches=MIN_BATCHES)
    bundle.export(settings, ref.uri)  # the deploy step, as `make load` does
    run = run_side_by_side(
        settings, trained_project.config, ref, plan, concurrency=CONCURRENCY, deadline=120.0, rounds=ROUNDS,
        report=lambda line: None, raw=raw_prediction(trained_project.client, ref, plan[loading.SINGLE]),
    )  # fmt: skip
    comparisons = compare(run.ours, run.theirs, settings.serve.goals_vs_mlflow, run.one_client, run.raw)
    write_text(reports_dir / "serving.md", markdown(run.ours, run.theirs, comparisons, CONCURRENCY))
    return Measured(run, {c.measure: c for c in comparisons})


def _assert_met(comparisons: list[Comparison]) -> None:
    assert comparisons, "no measure of this goal in the run"
    missed = [
        f"{c.measure}: {c.ours:,.2f} against {c.theirs:,.2f} ({c.against}), ratio {c.ratio:.2f}, goal "
        f"{'<=' if c.at_most else '>='} {c.goal:g} (serve.goals_vs_mlflow in params.yaml)"
        for c in comparisons
        if not c.met
    ]
    assert not missed, "; ".join(missed)


def _measures(measured: Measured, ending: str) -> list[Comparison]:
    return [c for name, c in measured.comparisons.items() if name.endswith(ending)]


def test_no_request_to_either_server_fails(measured: Measured) -> None:
    runs = (measured.run.ours, measured.run.theirs)
    assert {run.server: run.failed for run in runs} == {run.server: 0 for run in runs}
    assert measured.run.one_client is not None
    assert measured.run.one_client.failed == 0


def test_it_is_ready_in_a_fraction_of_mlflow_serves_start_up(measured: Measured) -> None:
    _assert_met([measured.comparisons["start-up to ready (s)"]])


def test_it_holds_a_fraction_of_mlflow_serves_memory(measured: Measured) -> None:
    _assert_met([measured.comparisons["resident memory (MiB)"]])


def test_one_record_takes_a_fraction_of_mlflow_serves_median_time(measured: Measured) -> None:
    _assert_met([measured.comparisons[f"{loading.SINGLE}: p50 (ms)"]])


def test_one_record_keeps_its_p95_under_concurrent_clients_to_a_fraction_of_mlflow_serves(measured: Measured) -> None:
    _assert_met([measured.comparisons[f"{loading.SINGLE}: p95 (ms)"]])


def test_every_batch_load_keeps_its_p95_under_concurrent_clients_to_a_fraction_of_mlflow_serves(
    measured: Measured,
) -> None:
    """Held since the trees run as machine code and the heap is frozen (docs/serving.md): with
    Treelite's inference and full garbage collections, the 1,000-row ratio read 0.49-0.71 beside
    two CPU-bound processes, and a budget a busy runner breaks is a false alarm."""
    _assert_met([c for c in _measures(measured, "p95 (ms)") if c.measure != f"{loading.SINGLE}: p95 (ms)"])


def test_every_batch_load_scores_a_multiple_of_mlflow_serves_rows_per_second(measured: Measured) -> None:
    _assert_met(_measures(measured, "rows/s"))


def test_one_record_from_one_client_stays_close_to_the_raw_in_process_prediction(measured: Measured) -> None:
    _assert_met([measured.comparisons[ONE_CLIENT]])
