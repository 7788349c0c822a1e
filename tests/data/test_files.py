"""Data files are written atomically and read back unchanged; a bad file is named in the error."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from adclick.atomic import write_atomic
from adclick.data import contract
from adclick.data.files import read_frame, write_frame
from adclick.errors import DataFileError
from tests.helpers.cases import CATEGORICAL, NO_CATEGORY
from tests.helpers.judged import each


@pytest.fixture(scope="module")
def frame(small_data: pd.DataFrame) -> pd.DataFrame:
    return small_data.head(50)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_frame_round_trips_through_the_file_format(frame: pd.DataFrame, tmp_path: Path, suffix: str) -> None:
    path = write_frame(frame, tmp_path / f"data{suffix}")
    pd.testing.assert_frame_equal(read_frame(path), frame, check_dtype=False, check_categorical=False)


def test_failed_write_keeps_the_previous_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("previous")

    def crash_half_way(tmp: Path) -> None:
        tmp.write_text("half of the new")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, crash_half_way)

    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_unsupported_file_type_is_named(frame: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"data\.xlsx.*'\.xlsx'"):
        write_frame(frame, tmp_path / "data.xlsx")


def test_unreadable_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_text("not parquet")
    with pytest.raises(DataFileError, match=r"broken\.parquet: cannot be read"):
        read_frame(path)


@pytest.mark.parametrize("spec", each(CATEGORICAL[:1], NO_CATEGORY, ids=lambda s: s.name))
def test_category_codes_with_a_gap_come_back_from_csv_as_text(
    spec: contract.FieldSpec, frame: pd.DataFrame, tmp_path: Path
) -> None:
    codes = frame.head(3).assign(**{spec.name: ["7", None, "12"]})
    read = read_frame(write_frame(codes, tmp_path / "codes.csv"))[spec.name]
    assert read.iloc[[0, 2]].tolist() == ["7", "12"], "not 7.0: a code is text"
    assert read.isna().iloc[1]
