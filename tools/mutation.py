"""`make mutation`: mutation testing of the core modules with mutmut, its score held to a floor.

mutmut changes the code one small way at a time (`<` for `<=`, a constant, a dropped argument)
and runs the tests that reach the changed function; a mutant no test notices survives, and each
survivor is a bug the suite would let through. Which modules and tests: `[tool.mutmut]` in
pyproject.toml; the floor: `mutation.min_score` in params.yaml.

Writes reports/mutation.json and reports/mutation.md (the score, the counts, each survivor with
its diff) and exits 1 when the score is under the floor. The score is mutmut's own: killed (or
timed out) over the mutants that were tested.

mutmut forks one child per mutant from a parent that has already run the tests. GNU OpenMP's
thread pool (scikit-learn's trees use it) does not survive a fork: the child's first parallel
region waits forever for workers that only exist in the parent, and mutmut counts that hang as
a timeout, that is, as a kill. One OpenMP thread for the run keeps the score honest.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from adclick.atomic import write_text
from adclick.config import DEFAULT_CONFIG, load_settings
from adclick.markdown import markdown_table

MUTMUT = Path(sys.executable).parent / "mutmut"
STATS = Path("mutants") / "mutmut-cicd-stats.json"
FORK_SAFE_THREADS = {"OMP_NUM_THREADS": "1"}  # see the module docstring: a forked OpenMP pool hangs
SHOWN_SURVIVORS = 40  # diffs in the report; the JSON lists every survivor's name


@dataclass(frozen=True)
class MutationResult:
    killed: int
    survived: int
    timeout: int
    no_tests: int
    skipped: int
    suspicious: int
    total: int
    min_score: float
    survivors: list[dict[str, str]]

    @property
    def tested(self) -> int:
        return self.total - self.skipped

    @property
    def score(self) -> float:
        return (self.killed + self.timeout) / self.tested if self.tested else 0.0

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "score": self.score, "tested": self.tested}


def _mutmut(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MUTMUT), *args], capture_output=True, text=True, check=False)


def survivors() -> list[str]:
    """The names of the mutants that survived (`mutmut results` lists them as `name: survived`)."""
    lines = _mutmut("results").stdout.splitlines()
    return [line.strip().rsplit(":", 1)[0] for line in lines if line.strip().endswith(": survived")]


def collect(min_score: float) -> MutationResult:
    """The last run's counts and survivors, from mutmut's own files."""
    _mutmut("export-cicd-stats")
    if not STATS.is_file():
        raise SystemExit("no mutation results: `mutmut run` found nothing to mutate or was stopped")
    stats = json.loads(STATS.read_text())
    names = survivors()
    shown = [{"mutant": name, "diff": _mutmut("show", name).stdout.strip()} for name in names[:SHOWN_SURVIVORS]]
    shown += [{"mutant": name, "diff": ""} for name in names[SHOWN_SURVIVORS:]]
    counts = {key: int(stats.get(key, 0)) for key in ("killed", "survived", "timeout", "no_tests", "skipped")}
    return MutationResult(**counts, suspicious=int(stats.get("suspicious", 0)), total=int(stats["total"]),
                          min_score=min_score, survivors=shown)  # fmt: skip


def markdown(result: MutationResult) -> str:
    verdict = "at or above" if result.score >= result.min_score else "**under**"
    counts = markdown_table(
        ("mutants", "tested", "killed", "timeout", "survived", "no tests", "score", "floor"),
        [(result.total, result.tested, result.killed, result.timeout, result.survived, result.no_tests,
          f"{result.score:.1%}", f"{result.min_score:.0%}")],
    )  # fmt: skip
    text = (
        f"## Mutation testing (`make mutation`): {result.score:.1%}, {verdict} the floor\n\n"
        "mutmut on the core modules (`[tool.mutmut]` in pyproject.toml); a survivor is a change no test "
        "noticed.\n\n" + counts
    )
    shown = [s for s in result.survivors if s["diff"]]
    if shown:
        text += "\n<details><summary>Survivors</summary>\n\n"
        text += "".join(f"`{s['mutant']}`\n\n```diff\n{s['diff']}\n```\n\n" for s in shown) + "</details>\n"
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    parser.add_argument("--collect-only", action="store_true", help="report the last run, do not run mutmut")
    args = parser.parse_args(argv)
    min_score = load_settings(DEFAULT_CONFIG, environ={}).mutation.min_score
    if not args.collect_only:
        command = [str(MUTMUT), "run", "--max-children", str(args.max_children)]
        done = subprocess.run(command, env={**os.environ, **FORK_SAFE_THREADS}, check=False)
        if done.returncode != 0:
            print(f"mutmut run exited {done.returncode}: no score (its output above says why)", file=sys.stderr)
            return 2
    result = collect(min_score)
    if result.killed + result.survived + result.timeout == 0:
        print("no mutant was tested: no score", file=sys.stderr)
        return 2
    write_text(args.reports / "mutation.json", json.dumps(result.as_dict(), indent=2) + "\n")
    text = markdown(result)
    write_text(args.reports / "mutation.md", text)
    print(text)
    return 0 if result.score >= min_score else 1


if __name__ == "__main__":
    raise SystemExit(main())
