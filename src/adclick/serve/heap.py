"""Long-lived objects out of the garbage collector's way, so that no request waits for it to
walk them.

Once the service is up, its heap is mostly objects that live as long as the process: the
imported modules, the model, the training rows of the drift gauge (about 120,000 objects
tracked by the collector). Every so often CPython's collector walks all of them, its oldest
generation, while every request waits: that pause is what set the batch loads' p95
(docs/serving.md). `gc.freeze()` moves the objects alive at that moment to a permanent
generation that no collection walks (CPython's documented tool for this); full collections
then walk only what requests left behind.

The price: a frozen object that later becomes part of unreachable cycles is never collected.
Objects freed by reference counting (almost all, including a replaced model) are freed as
before. Only a process of its own should freeze its heap: `adclick serve` does; the tests,
whose process holds everything else, do not.
"""

from __future__ import annotations

import gc


def freeze_long_lived(*, collect: bool) -> None:
    """Move every object alive now out of the collector's walks; `collect` first frees the
    garbage there is (a full collection, paid at start-up before the service is ready)."""
    if collect:
        gc.collect()
    gc.freeze()
