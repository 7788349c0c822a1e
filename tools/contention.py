"""Run a command on a busy machine: one CPU-bound process per core, started and stopped here.

`make test-perf-contended` runs the performance layer this way three times. A budget that a
busy neighbour can break is a false alarm on a shared CI runner; this is how we show ours are
not. The busy processes are bounded: they stop when the runs end, on error, or at a deadline.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def _spin(deadline: float) -> None:
    while time.monotonic() < deadline:
        pass


@contextmanager
def busy_cores(count: int, seconds: float) -> Iterator[None]:
    """`count` processes spinning on the CPU until the block ends (or `seconds` pass)."""
    deadline = time.monotonic() + seconds
    spinners = [multiprocessing.Process(target=_spin, args=(deadline,), daemon=True) for _ in range(count)]
    for spinner in spinners:
        spinner.start()
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.terminate()
        for spinner in spinners:
            spinner.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--busy", type=int, default=os.cpu_count() or 1, help="CPU-bound processes (default: one a core)"
    )
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds each run may take")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    outcomes = []
    with busy_cores(args.busy, args.runs * args.timeout):
        for run in range(1, args.runs + 1):
            started = time.monotonic()
            try:
                code = subprocess.run(command, timeout=args.timeout, check=False).returncode
            except subprocess.TimeoutExpired:
                code = -1
            outcomes.append((run, code, time.monotonic() - started))
    print(f"\n{' '.join(command)} with {args.busy} CPU-bound processes beside it:")
    for run, code, seconds in outcomes:
        print(f"  run {run}: {'green' if code == 0 else f'FAILED (exit {code})'} in {seconds:.0f} s")
    return 0 if all(code == 0 for _, code, _ in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
