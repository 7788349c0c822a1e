"""Before/after pictures of a column, as PNG bytes a self-contained HTML page can embed.

Numbers: both samples' histograms on the same bins, as shares, plus both ECDFs (where a
shift of location reads at a glance). Categories: side-by-side bars of each level's share
(the most frequent levels, the rest grouped). matplotlib's Agg backend: no display needed.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import numpy as np
import pandas as pd

MAX_LEVELS = 12
# An ECDF is drawn through this many quantiles: at the picture's width, the same line as one step
# per row, at a cost that does not grow with the file.
ECDF_POINTS = 400


def pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def png_bytes(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    pyplot().close(figure)
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _number_panels(axes: Any, reference: np.ndarray, current: np.ndarray) -> None:
    both = np.concatenate([reference, current])
    edges = np.histogram_bin_edges(both, bins=min(30, max(5, int(np.sqrt(len(both))))))
    for values, label in ((reference, "reference"), (current, "current")):
        weights = np.full(len(values), 1.0 / max(len(values), 1))
        axes[0].hist(values, bins=edges, weights=weights, alpha=0.5, label=label)
        shares = np.linspace(0.0, 1.0, min(ECDF_POINTS, max(len(values), 1)))
        quantiles = np.quantile(values, shares, method="inverted_cdf") if len(values) else shares
        axes[1].step(quantiles, shares, where="post", label=label)
    axes[0].set(ylabel="share of rows", title="histogram")
    axes[1].set(ylabel="share at or below", title="ECDF")
    axes[0].legend()


def _category_panel(axis: Any, reference: pd.Series, current: pd.Series) -> None:
    shares = pd.DataFrame(
        {"reference": reference.value_counts(normalize=True), "current": current.value_counts(normalize=True)}
    ).fillna(0.0)
    shares = shares.sort_values("reference", ascending=False)
    if len(shares) > MAX_LEVELS:
        shares = pd.concat([shares.iloc[: MAX_LEVELS - 1], shares.iloc[MAX_LEVELS - 1 :].sum().to_frame("other").T])
    positions = np.arange(len(shares))
    axis.bar(positions - 0.2, shares["reference"], width=0.4, label="reference")
    axis.bar(positions + 0.2, shares["current"], width=0.4, label="current")
    axis.set_xticks(positions, [str(level)[:14] for level in shares.index], rotation=30, ha="right")
    axis.set(ylabel="share of rows", title="levels")
    axis.legend()


def before_after(reference: pd.Series, current: pd.Series, compared: str, title: str) -> bytes:
    """One picture of a column before (reference) and after (current)."""
    plt = pyplot()
    ref, cur = reference.dropna(), current.dropna()
    if compared == "number":
        figure, axes = plt.subplots(1, 2, figsize=(8, 2.6))
        _number_panels(axes, ref.astype(float).to_numpy(), cur.astype(float).to_numpy())
    else:
        figure, axis = plt.subplots(figsize=(5, 2.6))
        _category_panel(axis, ref.astype(str), cur.astype(str))
    figure.suptitle(title, fontsize=10, y=1.06)
    return png_bytes(figure)
