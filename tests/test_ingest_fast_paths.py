"""The CSV fast path (pandas' C parser) gives exactly the table the exact path (the csv module) gives.

A simple file is read in one go by pandas; any other file record by record. Whichever way a
file goes, the table must be the same: cells, source lines, header and problems.
"""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.catalogue import FileLevelError
from ingest.limits import MAX_FIELD_CHARS as MAX_CELL
from ingest.rawtable import RawTable, simple_csv_table
from ingest.readers import read_csv_table

HEADER = "resident_id,neighbourhood,name,birth_year\n"

# name -> (file text, encoding, whether the fast path takes it)
FILES = {
    "plain": (HEADER + "R1,Stedenwijk,Piqué,1933\nR2,Filmwijk,Jansen,1940\n", "utf-8", True),
    "bom": (HEADER + "R1,Stedenwijk,Piqué,1933\n", "utf-8-sig", True),
    "cp1252 and decimal comma": (
        "clientnummer;wijk;naam;uren\r\nR1;Stedenwijk;Mevrouw Piqué;2,5\r\nR2;Filmwijk;Dhr. Ëlbers;3\r\n",
        "cp1252",
        True,
    ),
    "tabs": (HEADER.replace(",", "\t") + "R1\tStedenwijk\t\t1933\n", "utf-8", True),
    "old mac line ends": (HEADER.replace("\n", "\r") + "R1,Stedenwijk,,1933\rR2,Filmwijk,,\r", "utf-8", True),
    "no final line end": (HEADER + "R1,Stedenwijk,,1933", "utf-8", True),
    "blank lines": (
        "\n\r\n" + HEADER + "R1,Stedenwijk,,1933\n\n  \n,,,\n \t, ,\nR2,Filmwijk,,\n\n",
        "utf-8",
        True,
    ),
    "missing trailing cells": (HEADER + "R1,Stedenwijk\nR2\n", "utf-8", True),
    "white space around cells": (HEADER + "  R1 ,\tStedenwijk\t,\u00a0Piqué\u00a0, 1933 \n", "utf-8", True),
    "too many cells": (HEADER + "R1,Stedenwijk,,1933,extra\nR2,Filmwijk,,1940\n", "utf-8", False),
    "too many empty cells": (HEADER + "R1,Stedenwijk,,1933,, \nR2,Filmwijk,,1940\n", "utf-8", False),
    "quoted separators": (HEADER + 'R1,Stedenwijk,"Piqué, mevrouw",1933\n', "utf-8", False),
    "quoted line breaks": (
        HEADER + 'R1,Stedenwijk,"Jansen\nmeneer",1940\n\nR3,Filmwijk,"a\r\n\r\nb",19x1\n',
        "utf-8",
        False,
    ),
    "a second byte order mark": ("\ufeff" + HEADER + "R1,Stedenwijk,,1933\n", "utf-8-sig", False),
}


def _write(tmp_path, name: str) -> tuple:
    text, encoding, simple = FILES[name]
    path = tmp_path / "residents.csv"
    path.write_bytes(text.encode(encoding))
    return path, text, simple


def assert_same_table(fast: RawTable, exact: RawTable) -> None:
    """Equal in every respect: header, problems, cells, their dtypes, and the line index."""
    assert (fast.name, fast.header, fast.decimal_comma) == (exact.name, exact.header, exact.decimal_comma)
    assert fast.problems == exact.problems
    assert (fast.warnings, fast.header_line) == (exact.warnings, exact.header_line)
    assert fast.longest == exact.longest
    pd.testing.assert_frame_equal(fast.cells, exact.cells, check_index_type=True, check_column_type=True)
    assert list(fast.cells.dtypes) == list(exact.cells.dtypes)
    assert type(fast.cells.index) is type(exact.cells.index)
    assert fast.cells.index.name == exact.cells.index.name == "line"
    for column in fast.cells:
        assert all(type(cell) is str for cell in fast.cells[column])


@pytest.mark.parametrize("name", list(FILES))
def test_both_ways_give_the_same_table(tmp_path, name):
    path, _, _ = _write(tmp_path, name)
    assert_same_table(read_csv_table(path, fast=True), read_csv_table(path, fast=False))


@pytest.mark.parametrize("name", list(FILES))
def test_only_simple_files_take_the_fast_path(tmp_path, name):
    _, text, simple = _write(tmp_path, name)  # `text` is what decoding leaves: without the encoding's BOM
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    separator = max((",", ";", "\t"), key=header_line.count)
    assert (simple_csv_table("residents.csv", text, separator) is not None) == simple


def test_blank_lines_keep_the_line_numbers_of_what_follows(tmp_path):
    path, _, _ = _write(tmp_path, "blank lines")
    table = read_csv_table(path)
    assert table.header == ["resident_id", "neighbourhood", "name", "birth_year"]
    assert list(table.cells.index) == [4, 9]
    assert table.cells.loc[9].tolist() == ["R2", "Filmwijk", "", ""]


def test_too_many_cells_is_a_problem_only_when_the_extra_cells_hold_something(tmp_path):
    for name, problem_lines in (("too many cells", [2]), ("too many empty cells", [])):
        path, _, _ = _write(tmp_path, name)
        table = read_csv_table(path)
        assert [p.line for p in table.problems] == problem_lines
        assert [p.code for p in table.problems] == ["wrong_cell_count"] * len(problem_lines)
        assert list(table.cells.index) == [2, 3]  # a rejected row keeps the cells under the header


def test_decimal_comma_follows_the_semicolon_either_way(tmp_path):
    path, _, _ = _write(tmp_path, "cp1252 and decimal comma")
    for fast in (True, False):
        table = read_csv_table(path, fast=fast)
        assert table.decimal_comma
        assert table.cells.loc[2].tolist() == ["R1", "Stedenwijk", "Mevrouw Piqué", "2,5"]


def test_a_file_of_blank_records_has_no_header_either_way(tmp_path):
    path = tmp_path / "residents.csv"
    path.write_text(",,\n , \n\t,\n")
    for fast in (True, False):
        with pytest.raises(FileLevelError, match="no header row"):
            read_csv_table(path, fast=fast)


def test_a_cell_too_long_for_the_csv_module_breaks_the_file_either_way(tmp_path):
    path = tmp_path / "residents.csv"
    path.write_text(HEADER + "R1,Stedenwijk," + "x" * (MAX_CELL + 1) + ",1933\n")
    for fast in (True, False):
        with pytest.raises(FileLevelError, match="broken CSV near line 2"):
            read_csv_table(path, fast=fast)


cells = st.one_of(
    st.text(alphabet="ab é€\u00a0\t;,|", max_size=6),
    st.text(alphabet='ab ,;"\r\n', max_size=6),
    st.sampled_from(["", " ", "R1", "2,5", "01-06-2017", "\ufeff", "\x0c", "\x1c"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    rows=st.lists(st.lists(cells, max_size=6), min_size=1, max_size=10),
    separator=st.sampled_from([",", ";", "\t"]),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
    final=st.sampled_from(["", "\n", "\r\n\r\n", " "]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_table_reads_the_same_both_ways(tmp_path_factory, rows, separator, line_end, final, encoding):
    text = line_end.join(separator.join(row) for row in rows) + final
    path = tmp_path_factory.mktemp("table") / "residents.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    outcomes = []
    for fast in (True, False):
        try:
            outcomes.append(read_csv_table(path, fast=fast))
        except FileLevelError as error:
            outcomes.append(error.problem)
    fast, exact = outcomes
    if isinstance(exact, RawTable):
        assert isinstance(fast, RawTable)
        assert_same_table(fast, exact)
    else:
        assert fast == exact
