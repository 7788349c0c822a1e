"""The ML Test Score (Breck et al., *The ML Test Score: A Rubric for ML Production Readiness and
Technical Debt Reduction*, IEEE Big Data 2017) of this project, computed from its test results.

The rubric: 28 tests in four sections of seven (data, model, infrastructure, monitoring). Each
item scores 1 when an automated test covers it (and passed), 0.5 when it is done by hand and
the result documented, 0 otherwise. A section's score is the sum of its items; the final score
is the weakest section's, because a system is as ready as its least tested part.

Where the points come from:
- a test declares the items it covers with `@pytest.mark.ml_test_score("data-1", ...)`; the
  plugin in tests/plugins writes them into the JUnit XML as a property, so the score reads the
  results of one run or of every CI job's files alike;
- `docs/ml-test-score.yaml` names, for items no test covers, the evidence of work done by hand
  (0.5, only while the file it names exists) or what an automated test would take (0).
An item whose tests failed scores 0 and names the failing test: a red test is not coverage.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from adclick.markdown import markdown_table
from tools.junit import TestCase

PROPERTY = "ml_test_score"  # the JUnit property naming a test's items, comma-separated
SECTIONS = {"data": "Data", "model": "Model", "infra": "Infrastructure", "monitor": "Monitoring"}
RUBRIC: dict[str, str] = {
    "data-1": "Feature expectations are captured in a schema",
    "data-2": "All features are beneficial",
    "data-3": "No feature's cost is too much",
    "data-4": "Features adhere to meta-level requirements",
    "data-5": "The data pipeline has appropriate privacy controls",
    "data-6": "New features can be added quickly",
    "data-7": "All input feature code is tested",
    "model-1": "Model specs are reviewed and submitted",
    "model-2": "Offline and online metrics correlate",
    "model-3": "All hyperparameters have been tuned",
    "model-4": "The impact of model staleness is known",
    "model-5": "A simpler model is not better",
    "model-6": "Model quality is sufficient on important data slices",
    "model-7": "The model is tested for considerations of inclusion",
    "infra-1": "Training is reproducible",
    "infra-2": "Model specs are unit tested",
    "infra-3": "The ML pipeline is integration tested",
    "infra-4": "Model quality is validated before serving",
    "infra-5": "The model is debuggable",
    "infra-6": "Models are canaried before serving",
    "infra-7": "Serving models can be rolled back",
    "monitor-1": "Dependency changes result in notification",
    "monitor-2": "Data invariants hold for inputs",
    "monitor-3": "Training and serving are not skewed",
    "monitor-4": "Models are not too stale",
    "monitor-5": "Models are numerically stable",
    "monitor-6": "Computing performance has not regressed",
    "monitor-7": "Prediction quality has not regressed",
}
# The paper's interpretation of the final score (Table V): the upper bound and what it means.
BANDS = (
    (0.0, "More of a research project than a productionized system"),
    (1.0, "Not totally untested, but it is worth considering the possibility of serious holes in reliability"),
    (2.0, "There's been first pass at basic productionization, but additional investment may be needed"),
    (3.0, "Reasonably tested, but it's possible that more of those tests and procedures may be automated"),
    (5.0, "Strong levels of automated testing and monitoring, appropriate for mission-critical systems"),
    (float("inf"), "Exceptional levels of automated testing and monitoring"),
)
MANUAL_FILE = Path("docs/ml-test-score.yaml")


def band(score: float) -> str:
    return next(meaning for bound, meaning in BANDS if score <= bound)


def unknown_items(items: list[str]) -> list[str]:
    return [item for item in items if item not in RUBRIC]


@dataclass(frozen=True)
class Item:
    """One rubric item: its points and why (the tests, the evidence, or what it would take)."""

    id: str
    title: str
    points: float
    how: str  # "automated", "failing", "manual", "not covered"
    detail: str


@dataclass(frozen=True)
class Scorecard:
    items: list[Item]

    def section(self, prefix: str) -> float:
        return sum(i.points for i in self.items if i.id.startswith(f"{prefix}-"))

    @property
    def sections(self) -> dict[str, float]:
        return {name: self.section(prefix) for prefix, name in SECTIONS.items()}

    @property
    def final(self) -> float:
        return min(self.sections.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "final": self.final,
            "band": band(self.final),
            "sections": self.sections,
            "items": [asdict(i) for i in self.items],
        }


def load_manual(path: Path) -> dict[str, dict[str, str]]:
    """`docs/ml-test-score.yaml`: {"manual": {item: {evidence, how}}, "not_yet": {item: what it takes}}."""
    if not path.is_file():
        return {"manual": {}, "not_yet": {}}
    values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {"manual": values.get("manual") or {}, "not_yet": values.get("not_yet") or {}}


def score(cases: list[TestCase], manual: dict[str, dict[str, Any]], root: Path = Path(".")) -> Scorecard:
    """The scorecard of the test results `cases` (their `ml_test_score` property), completed by
    the manual file's evidence (paths relative to `root`)."""
    by_item: dict[str, list[TestCase]] = {item: [] for item in RUBRIC}
    for case in cases:
        for item in filter(None, case.properties.get(PROPERTY, "").split(",")):
            by_item.setdefault(item.strip(), []).append(case)
    items = []
    for item, title in RUBRIC.items():
        ran = [c for c in by_item[item] if c.outcome != "skipped"]
        broken = [c for c in ran if c.outcome in ("failed", "error")]
        done_by_hand = manual["manual"].get(item)
        if broken:
            items.append(Item(item, title, 0.0, "failing", f"failing: {broken[0].name}"))
        elif ran:
            items.append(Item(item, title, 1.0, "automated", f"{len(ran)} tests, e.g. {ran[0].name}"))
        elif done_by_hand and (root / str(done_by_hand["evidence"])).exists():
            detail = f"{done_by_hand['how']} (evidence: {done_by_hand['evidence']})"
            items.append(Item(item, title, 0.5, "manual", detail))
        else:
            items.append(Item(item, title, 0.0, "not covered", str(manual["not_yet"].get(item, "no test yet"))))
    return Scorecard(items)


def markdown(card: Scorecard, title_level: str = "###") -> str:
    """The score, its band, the sections, and every item not fully automated with its reason."""
    sections = markdown_table(("section", "score (of 7)"), [(n, f"{s:g}") for n, s in card.sections.items()])
    text = (
        f"{title_level} ML Test Score: {card.final:g} (the weakest section)\n\n"
        f"*{band(card.final)}* (Breck et al., 2017: 1 point per item automated, 0.5 done by hand).\n\n{sections}"
    )
    short = [i for i in card.items if i.how != "automated"]
    if short:
        rows = [(i.id, i.title, f"{i.points:g}", i.how, i.detail) for i in short]
        text += "\nNot automated:\n\n" + markdown_table(("item", "test", "points", "how", "detail"), rows)
    return text


def summary_lines(card: Scorecard, *, every_item: bool = True) -> list[str]:
    """A few lines for the terminal: the score, the sections, and the items not automated (or,
    for a run of part of the suite, only the failing ones and a count of the rest)."""
    sections = ", ".join(f"{name} {points:g}/7" for name, points in card.sections.items())
    lines = [f"ML Test Score {card.final:g}: {band(card.final)}", f"  sections: {sections}"]
    shown = [i for i in card.items if i.how != "automated" and (every_item or i.how == "failing")]
    lines += [f"  {i.id} {i.title}: {i.how} ({i.detail})" for i in shown]
    unrun = sum(i.how in ("manual", "not covered") for i in card.items)
    if not every_item and unrun:
        lines.append(f"  {unrun} items have no passing test in this run (`make test` runs every layer)")
    return lines
