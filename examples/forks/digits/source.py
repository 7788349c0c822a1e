"""Where this example's file comes from: the handwritten digits that scikit-learn ships (1,797
images of 8 x 8 pixels, each pixel an integer grey level from 0 to 16), as one digit against the
rest: is this an eight? About a tenth of the rows are positive, every column is an integer, and
several border pixels are blank in every image. A team brings its own file instead; this one
stands in for it and is not part of the fork's change."""

from __future__ import annotations

from pathlib import Path

FILE = "data/source/digits.csv"
LABEL, POSITIVE = "digit", "eight"


def export(path: Path) -> Path:
    from sklearn.datasets import load_digits

    bunch = load_digits(as_frame=True)
    frame = bunch.frame.rename(columns={"target": LABEL})
    frame[LABEL] = frame[LABEL].map(lambda digit: POSITIVE if digit == 8 else "other")  # text labels, as files have
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    return path
