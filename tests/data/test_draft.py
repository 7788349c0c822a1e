"""`adclick init-schema` drafts a schema module that validates the file it came from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from adclick.data import contract
from adclick.data.draft import MAX_LEVELS, draft
from adclick.data.files import read_frame
from adclick.data.sources import canonical
from adclick.data.validation import validate
from adclick.errors import DataValidationError
from tests.helpers.data import declarations, example_file
from tests.helpers.project import REPO_ROOT
from tools.forks import examples

EXAMPLES = examples(REPO_ROOT)


def _draft_validates(frame: pd.DataFrame, source: str, label: str, positive: str) -> pd.DataFrame:
    drafted = declarations(draft(frame, source, label=label, positive=positive).schema_module)
    return validate(canonical(frame, source=source, of=drafted), source=source, of=drafted)


def test_the_draft_of_the_data_under_test_validates_it(small_data: pd.DataFrame) -> None:
    validated = _draft_validates(small_data, "data.csv", contract.LABEL, "1")
    assert len(validated) == len(small_data)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_the_draft_of_each_fork_example_validates_its_file(example: Path, tmp_path: Path) -> None:
    path, source = example_file(example, tmp_path)
    frame = read_frame(path)
    labelled = frame[frame[source["LABEL"]].notna()]
    validated = _draft_validates(labelled, str(path), source["LABEL"], source["POSITIVE"])
    assert len(validated) == len(labelled)


@pytest.fixture
def odd_columns(small_data: pd.DataFrame) -> pd.DataFrame:
    """The data under test with what real files carry added: free text, a small integer code, a
    constant, a count, a price and their product, a recoded copy of the code, a running number."""
    rows = small_data.head(MAX_LEVELS * 3).reset_index(drop=True)
    n, rng = len(rows), np.random.default_rng(3)
    units, price = rng.integers(1, 9, n), rng.integers(100, 999, n) / 100
    return rows.assign(
        note=[f"free text {i}" for i in range(n)], store=np.arange(n) % 3 + 1, channel="web",
        units=units, unit_price=price, amount=units * price, store_name=[f"store {i % 3 + 1}" for i in range(n)],
        invoice=np.arange(10_000, 10_000 + n),
    )  # fmt: skip


def _line(drafted, column: str) -> str:
    return next(line for line in drafted.schema_module.splitlines() if f'"{column}"' in line)


def test_free_text_is_left_out_of_the_draft_with_a_note(odd_columns: pd.DataFrame) -> None:
    drafted = draft(odd_columns, "data.csv", label=contract.LABEL, positive="1")
    assert '"note"' not in drafted.schema_module
    assert any("'note'" in note and "free text" in note for note in drafted.notes), drafted.notes


def test_an_integer_with_few_values_is_flagged_as_a_possible_code(odd_columns: pd.DataFrame) -> None:
    drafted = draft(odd_columns, "data.csv", label=contract.LABEL, positive="1")
    line = next(line for line in drafted.schema_module.splitlines() if '"store"' in line)
    assert f"{odd_columns['store'].nunique()} values: a code? then category(" in line


def test_drafted_bounds_hold_the_observed_values_with_room_to_spare(small_data: pd.DataFrame) -> None:
    drafted = declarations(draft(small_data, "d.csv", label=contract.LABEL, positive="1").schema_module)
    for spec in (s for s in drafted.FEATURE_SPECS if s.bounds is not None):
        low, high = spec.bounds
        values = small_data[spec.name].dropna().astype(float)
        assert low <= values.min(), spec
        assert values.max() < high, spec


def test_a_positive_value_the_label_does_not_hold_is_refused_naming_the_values(small_data: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match=r"--positive 'certainly' is not a value of"):
        draft(small_data, "data.csv", label=contract.LABEL, positive="certainly")


def test_a_constant_column_is_left_out_of_the_draft_with_a_note(odd_columns: pd.DataFrame) -> None:
    drafted = draft(odd_columns, "data.csv", label=contract.LABEL, positive="1")
    assert '"channel"' not in drafted.schema_module
    assert any("'channel': always 'web'" in note for note in drafted.notes), drafted.notes


def test_a_column_computed_from_two_others_is_flagged_as_derived(odd_columns: pd.DataFrame) -> None:
    drafted = draft(odd_columns, "data.csv", label=contract.LABEL, positive="1")
    assert "equals 'units' * 'unit_price' on every row: derived" in _line(drafted, "amount")


def test_a_recoded_copy_of_a_column_is_flagged_as_derived(odd_columns: pd.DataFrame) -> None:
    drafted = draft(odd_columns, "data.csv", label=contract.LABEL, positive="1")
    assert any("'store_name' recodes 'store'" in note for note in drafted.notes), drafted.notes


def test_a_number_unique_in_every_row_is_flagged_as_an_id(odd_columns: pd.DataFrame) -> None:
    drafted = draft(odd_columns, "data.csv", label=contract.LABEL, positive="1")
    assert "unique in every row: an id" in _line(drafted, "invoice")


def test_repeated_rows_and_conflicting_labels_are_counted_in_the_notes(odd_columns: pd.DataFrame) -> None:
    repeated = pd.concat([odd_columns, odd_columns.head(3)], ignore_index=True)
    flipped = odd_columns.head(2).assign(**{contract.LABEL: 1 - odd_columns[contract.LABEL].head(2)})
    drafted = draft(pd.concat([repeated, flipped], ignore_index=True), "data.csv", label=contract.LABEL, positive="1")
    notes = " ".join(drafted.notes)
    assert "3 rows (" in notes, notes
    assert "repeat an earlier row exactly" in notes
    assert "2 rows repeat another row's features with the other label" in notes, notes


@pytest.mark.parametrize("rare", [True, False], ids=["rare positives: max_f2", "common positives: the default"])
def test_the_drafted_threshold_rule_follows_the_positive_rate(odd_columns: pd.DataFrame, rare: bool) -> None:
    frame = odd_columns.assign(**{contract.LABEL: (np.arange(len(odd_columns)) % (20 if rare else 3) == 0).astype(int)})
    block = draft(frame, "data.csv", label=contract.LABEL, positive="1").params_block
    assert ("decision_threshold: max_f2" in block) is rare, block


def test_the_notes_say_how_precisely_the_test_split_will_measure_an_auc(small_data: pd.DataFrame) -> None:
    notes = draft(small_data, "data.csv", label=contract.LABEL, positive="1").notes
    assert any("an AUC of 0.80 measured there is known to +-" in note for note in notes), notes
