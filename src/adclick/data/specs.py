"""Your data contract: the columns of your data and what is known about them.

With params.yaml, this is the one module a team edits to bring its own data (docs/fork.md).
`adclick init-schema FILE --label COLUMN --positive VALUE` drafts it from a file. It declares:

- FEATURE_SPECS: every input column (kind, bounds, vocabulary, nullability), and LABEL, the
  label column, with POSITIVE, the label's value that counts as positive;
- optional: ID_COLUMN (None: ids are generated), TIME_COLUMN (an out-of-time split),
  PROTECTED (columns that must not move a prediction), ROW_RULES (rules across columns),
  DIRECTIONS (known directions of effect), SLICES (groups the model is judged on) and
  MINIMUM_FUNCTIONALITY (pairs of records whose ranking is obvious).

`adclick.data.contract` checks these declarations and derives everything else from them.
"""

from adclick.data.demo import *  # noqa: F403  (the built-in demo: synthetic ad impressions)
