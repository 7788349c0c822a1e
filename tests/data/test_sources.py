"""A team's file as the data source: what `adclick prepare` makes of it, and the errors that
teach when the file and the schema module disagree. The files are written from the configured
source's own rows, so the tests hold for any schema module."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from adclick.config import Settings, load_settings
from adclick.data import contract, sources
from adclick.errors import DataValidationError
from tests.helpers.cases import CATEGORICAL, NO_CATEGORY
from tests.helpers.judged import each

NEGATIVE = f"not-{contract.POSITIVE}"


def _as_file_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as a team's file holds them: the label as its positive value or another value."""
    label = frame[contract.LABEL].map({1: str(contract.POSITIVE), 0: NEGATIVE})
    return frame.assign(**{contract.LABEL: label})


@pytest.fixture
def file_source(make_project: Callable[..., Path], tmp_path: Path) -> Callable[[pd.DataFrame], Settings]:
    """`file_source(rows)`: settings of a project whose data source is a CSV of `rows`."""

    def make(rows: pd.DataFrame) -> Settings:
        path = tmp_path / "team.csv"
        rows.to_csv(path, index=False)
        return load_settings(make_project("file-source", data={"source": str(path)}) / "params.yaml", environ={})

    return make


@pytest.fixture(scope="module")
def rows(small_data: pd.DataFrame) -> pd.DataFrame:
    return _as_file_rows(small_data.head(400))


def test_a_file_source_gives_its_rows_with_the_positive_label_as_1(
    file_source: Callable[..., Settings], rows: pd.DataFrame, small_data: pd.DataFrame
) -> None:
    prepared = sources.prepare(file_source(rows))
    expected = small_data.head(400).set_index(contract.ID_COLUMN)[contract.LABEL]
    got = prepared.labelled.set_index(contract.ID_COLUMN)[contract.LABEL]
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_dtype=False)


def test_a_label_with_three_values_names_them_and_the_fix(
    file_source: Callable[..., Settings], rows: pd.DataFrame
) -> None:
    three = rows.copy()
    three.loc[three.index[:5], contract.LABEL] = "maybe"
    with pytest.raises(DataValidationError, match=r"holds 3 values .*maybe.*a binary classifier needs two"):
        sources.prepare(file_source(three))


def test_a_positive_value_missing_from_the_label_lists_the_values_found(
    file_source: Callable[..., Settings], rows: pd.DataFrame
) -> None:
    without = rows.assign(**{contract.LABEL: rows[contract.LABEL].replace(str(contract.POSITIVE), "yes")})
    with pytest.raises(DataValidationError, match=r"POSITIVE=.* is not among its values .*yes.*set POSITIVE"):
        sources.prepare(file_source(without))


def test_rows_without_a_label_go_to_the_batch_to_score_not_to_training(
    file_source: Callable[..., Settings], rows: pd.DataFrame
) -> None:
    gaps = rows.copy()
    gaps.loc[gaps.index[:7], contract.LABEL] = None
    prepared = sources.prepare(file_source(gaps))
    unlabelled = set(gaps[contract.ID_COLUMN].head(7))
    assert unlabelled.isdisjoint(prepared.labelled[contract.ID_COLUMN])
    assert unlabelled <= set(prepared.to_score[contract.ID_COLUMN])
    assert any("7 rows have no label" in note for note in prepared.notes), prepared.notes


def test_repeated_rows_are_kept_once_and_said_so(file_source: Callable[..., Settings], rows: pd.DataFrame) -> None:
    copies = rows.head(3).assign(**{contract.ID_COLUMN: lambda f: "copy-" + f[contract.ID_COLUMN]})
    prepared = sources.prepare(file_source(pd.concat([rows, copies], ignore_index=True)))
    assert len(prepared.labelled) == len(rows)
    assert any("3 rows repeat an earlier row" in note for note in prepared.notes), prepared.notes


def test_a_declared_column_missing_from_the_file_is_named_with_the_fix(
    file_source: Callable[..., Settings], rows: pd.DataFrame
) -> None:
    missing = contract.FEATURES[-1]
    with pytest.raises(DataValidationError, match=rf"missing: {missing}.*rename them in the file or in specs\.py"):
        sources.prepare(file_source(rows.drop(columns=[missing])))


def test_without_an_id_column_ids_are_the_file_line_numbers(
    monkeypatch: pytest.MonkeyPatch, rows: pd.DataFrame
) -> None:
    monkeypatch.setattr(contract, "ID_GENERATED", True)
    canonical = sources.canonical(rows.drop(columns=[contract.ID_COLUMN]), source="team.csv")
    assert canonical[contract.ID_COLUMN].head(2).tolist() == ["row-2", "row-3"]  # line 1 is the header


@pytest.mark.parametrize("spec", each(CATEGORICAL[:1], NO_CATEGORY, ids=lambda s: s.name))
def test_category_codes_written_as_numbers_are_read_as_text(spec: Any, rows: pd.DataFrame) -> None:
    codes = rows.head(3).assign(**{spec.name: [7, 7.0, None]})
    read = sources.canonical(codes, source="team.csv", labelled=False)[spec.name]
    assert read.head(2).tolist() == ["7", "7"]
    assert read.isna().iloc[2], "a gap stays a gap, not the text 'nan'"
