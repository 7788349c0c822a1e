"""Where this example's file comes from: the Wisconsin breast cancer data set that scikit-learn
ships (569 tumours, 30 numeric measurements, diagnosis malignant or benign). A team brings its
own file instead; this one stands in for it and is not part of the fork's change."""

from __future__ import annotations

from pathlib import Path

FILE = "data/source/breast_cancer.csv"
LABEL, POSITIVE = "diagnosis", "malignant"


def export(path: Path) -> Path:
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer(as_frame=True)
    frame = bunch.frame.rename(columns={"target": LABEL})
    frame[LABEL] = frame[LABEL].map(dict(enumerate(bunch.target_names)))  # text labels, as files have them
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path
