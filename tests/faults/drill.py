"""`make faults`: inject each fault of the catalogue and run the suite; did a test catch it?

For each fault, one pytest run over every layer in an order that fails early (cheap layers
first, the timed performance layer last), stopping at the first failure (`-x`), bounded in
time. The fault is applied in every Python process of the run, through `inject/sitecustomize.py`
on PYTHONPATH (the tests, the `adclick` commands DVC starts, the servers under test). A control
run without a fault comes first: a suite that is red on its own would "catch" everything.

Writes reports/faults.json and reports/faults.md (fault, caught or missed, first failing test,
time) and exits 1 when a fault is missed without a written reason (tests/faults/reasons.yaml):
every miss is either a new test or a reason.

    python -m tests.faults.drill                      # the control, then every fault
    python -m tests.faults.drill seed-lost gates-ignored --skip-control
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from adclick.atomic import write_text
from adclick.markdown import markdown_table
from tests.faults.catalogue import FAULTS
from tests.helpers.project import REPO_ROOT
from tools.junit import read_junit

INJECT = Path(__file__).parent / "inject"
REASONS = Path(__file__).parent / "reasons.yaml"
# Cheap layers first, so that most faults are caught in seconds; then, in a process of its own
# as `make test` runs it, the timed layer.
ORDER = ("tests/data", "tests/model", "tests/api", "tests/cli", "tests/ci", "tests/monitoring", "tests/versioning")
TIMED = ("tests/performance",)
CONTROL = "(no fault)"


@dataclass(frozen=True)
class Outcome:
    fault: str
    kind: str
    what: str
    result: str  # caught, missed, timeout; for the control: green or red
    first_failure: str
    message: str
    seconds: float


def run_suite(fault: str | None, folder: Path, timeout: float) -> tuple[str, str, str, float]:
    """The suite with `fault` injected, as `make test` runs it (the timed layer in a process of
    its own), stopping at the first failure: (result, first failing test, its message, seconds)."""
    environment = {**os.environ, "CI": "true", "PYTHONPATH": os.pathsep.join([str(INJECT), str(REPO_ROOT)])}
    environment.pop("ADCLICK_FAULT", None)
    if fault:
        environment["ADCLICK_FAULT"] = fault
    started = time.monotonic()
    for part, layers in enumerate((ORDER, TIMED)):
        junit = folder / f"{fault or 'control'}-{part}.xml"
        junit.unlink(missing_ok=True)
        command = [sys.executable, "-m", "pytest", *layers, "-x", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"]
        left = timeout - (time.monotonic() - started)
        try:
            done = subprocess.run(command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=left)
        except subprocess.TimeoutExpired:
            return "timeout", "", f"no test failed within {timeout:.0f} s", time.monotonic() - started
        failed = [c for c in (read_junit([junit]) if junit.is_file() else []) if c.outcome in ("failed", "error")]
        if failed:
            return "caught", failed[0].name, failed[0].message, time.monotonic() - started
        if done.returncode != 0:  # a collection error, say: the fault broke the run before any test
            last = (done.stdout + done.stderr).strip().splitlines()[-1:] or [""]
            return "caught", "(collection)", last[0][:200], time.monotonic() - started
    return "missed", "", "", time.monotonic() - started


def drill(names: list[str], folder: Path, timeout: float, control: bool) -> list[Outcome]:
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = []
    if control:
        result, first, message, seconds = run_suite(None, folder, timeout)
        outcomes.append(Outcome(CONTROL, "-", "the suite as it is", "green" if result == "missed" else "red",
                                first, message, seconds))  # fmt: skip
        print(f"control: {outcomes[-1].result} in {seconds:.0f} s {first}", flush=True)
        if outcomes[-1].result != "green":
            return outcomes
    for name in names:
        fault = FAULTS[name]
        result, first, message, seconds = run_suite(name, folder, timeout)
        outcomes.append(Outcome(name, fault.kind, fault.what, result, first, message, seconds))
        print(f"{name}: {result} in {seconds:.0f} s {first}", flush=True)
    return outcomes


def reasons() -> dict[str, str]:
    if not REASONS.is_file():
        return {}
    return yaml.safe_load(REASONS.read_text(encoding="utf-8")) or {}


def markdown(outcomes: list[Outcome], known: dict[str, str]) -> str:
    def result(o: Outcome) -> str:
        missed = o.result in ("missed", "timeout")
        return f"{o.result}: {known.get(o.fault, '**no reason written**')}" if missed else o.result

    rows = [(o.fault, o.kind, o.what, result(o), o.first_failure or "-", f"{o.seconds:.0f} s") for o in outcomes]
    faults = [o for o in outcomes if o.fault != CONTROL]
    caught = sum(o.result == "caught" for o in faults)
    return (
        f"## Fault drill (`make faults`): {caught} of {len(faults)} faults caught\n\n"
        "Each fault injected from outside the code (tests/faults/catalogue.py), then every layer run until a "
        "test fails.\n\n" + markdown_table(("fault", "kind", "what", "result", "first failing test", "time"), rows)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("faults", nargs="*", help=f"faults to inject (default: all): {', '.join(FAULTS)}")
    parser.add_argument("--skip-control", action="store_true", help="no run without a fault first")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds a fault's run may take")
    parser.add_argument("--reports", type=Path, default=REPO_ROOT / "reports")
    args = parser.parse_args(argv)
    unknown = [n for n in args.faults if n not in FAULTS]
    if unknown:
        parser.error(f"not in the catalogue: {unknown}; choose from {', '.join(FAULTS)}")
    outcomes = drill(args.faults or list(FAULTS), args.reports / "faults", args.timeout, not args.skip_control)
    known = reasons()
    write_text(args.reports / "faults.json", json.dumps([asdict(o) for o in outcomes], indent=2) + "\n")
    text = markdown(outcomes, known)
    write_text(args.reports / "faults.md", text)
    print("\n" + text)
    if outcomes and outcomes[0].fault == CONTROL and outcomes[0].result != "green":
        print(f"the suite fails without a fault ({outcomes[0].first_failure}): the drill means nothing", flush=True)
        return 2
    unexplained = [o.fault for o in outcomes if o.result in ("missed", "timeout") and o.fault not in known]
    return 1 if unexplained else 0


if __name__ == "__main__":
    raise SystemExit(main())
