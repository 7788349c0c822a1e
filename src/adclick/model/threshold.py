"""The decision threshold: a probability a team fixes, or one chosen by a declared rule on
validation rows the model was not fitted on.

`model.decision_threshold` in params.yaml is either a number (P(positive) at or above it is a
positive decision) or a rule:

- `max_f1`, `max_f2`, `max_f0.5`: the threshold of the best F-beta score (beta above 1 weighs
  recall more, below 1 precision more);
- `precision>=0.8`: the lowest threshold whose precision reaches 0.8 (the most positives found
  at that precision);
- `recall>=0.6`: the highest threshold whose recall reaches 0.6 (the fewest false alarms at
  that recall).

With a rare positive class no fixed probability suits every data set: a threshold of 0.3 on a
6 % positive rate predicts almost nothing positive. The chosen threshold belongs to the model
version (it is logged with its training run) and is what evaluation, batch scoring and the
service decide with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from adclick.config.model_settings import parse_threshold


@dataclass(frozen=True)
class Threshold:
    """A decision threshold and how it came about, in words for the reports."""

    value: float
    how: str


def choose(setting: float | str, labels: np.ndarray, proba: np.ndarray) -> Threshold:
    """The threshold `setting` names: itself when fixed, else the rule applied to `proba` of
    labelled validation rows (scikit-learn's precision-recall curve: every distinct probability
    is a candidate threshold)."""
    rule = parse_threshold(setting)
    if isinstance(rule, float):
        return Threshold(rule, "fixed in params.yaml")
    from sklearn.metrics import precision_recall_curve

    labels = np.asarray(labels).astype(int)
    rows, positives = len(labels), int(labels.sum())
    on = f"{rows} validation rows, {positives} positive"
    if positives == 0 or positives == rows:
        return Threshold(0.5, f"{setting}: not applicable on {on}, so 0.5")
    precision, recall, thresholds = precision_recall_curve(labels, proba)
    precision, recall = precision[:-1], recall[:-1]  # the last point has no threshold
    kind, parameter = rule
    if kind == "f":
        beta2 = parameter**2
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.nan_to_num((1 + beta2) * precision * recall / (beta2 * precision + recall))
        best = int(np.argmax(score))
        return Threshold(float(thresholds[best]), f"{setting} on {on} (F {score[best]:.3f})")
    reached = np.flatnonzero((precision if kind == "precision" else recall) >= parameter)
    if not len(reached):
        return Threshold(float(thresholds[-1]), f"{setting} out of reach on {on}: the highest threshold")
    pick = int(reached[0]) if kind == "precision" else int(reached[-1])
    return Threshold(
        float(thresholds[pick]), f"{setting} on {on} (precision {precision[pick]:.3f}, recall {recall[pick]:.3f})"
    )
