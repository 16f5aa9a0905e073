"""Fuzzing the CSV and xlsx readers: whatever the bytes, never a traceback, never a lost row.

Every case ends in one of two ways: a file-level error (an :class:`IngestError` with a plain
message naming the file), or a report in which every row read was accepted or rejected.
"""

import functools
import io
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import IngestError
from tests.datasets import BASE, ingest, write_dataset, write_workbook

FUZZ = settings(max_examples=800, deadline=None, suppress_health_check=list(HealthCheck))
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-32", "ascii")
_HEADER = BASE["residents.csv"].splitlines()[0]


def ingest_or_refuse(dataset, name: str = "residents.csv") -> None:
    """The two allowed outcomes, checked."""
    try:
        result = ingest(dataset)
    except IngestError as error:
        message = str(error)
        assert message and "Traceback" not in message
        return
    counts = result.report.files[name]
    assert counts["read"] == counts["accepted"] + counts["rejected"]
    for problem in result.report.rejected + result.report.warnings:
        assert problem.message and problem.file and problem.code


@FUZZ
@given(content=st.binary(max_size=3000))
def test_random_bytes_as_a_csv_file(tmp_path_factory, content):
    folder = write_dataset(tmp_path_factory.mktemp("bytes"), {"residents.csv": content})
    ingest_or_refuse(folder)


cells = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=";,\t\"'|\r\n=+-@ ", max_size=20),
    st.sampled_from(["R1", "Stedenwijk", "1933", "true", "ja", "01-06-2017", "111222333", "", "nan", "NULL"]),
)


@FUZZ
@given(
    rows=st.lists(st.lists(cells, max_size=9), max_size=12),
    separator=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(ENCODINGS),
    cut=st.one_of(st.none(), st.integers(min_value=0)),
)
def test_odd_tables_in_odd_encodings_and_truncated(tmp_path_factory, rows, separator, encoding, cut):
    _ingest_table(tmp_path_factory, rows, separator, encoding, cut)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    rows=st.lists(st.lists(cells, max_size=9), max_size=4),
    huge=st.text(min_size=1, max_size=3),
    column=st.integers(0, 8),
    separator=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(ENCODINGS),
)
def test_huge_cells(tmp_path_factory, rows, huge, column, separator, encoding):
    row = ["R-HUGE", "Haven", "", "", "", "", ""]
    row.insert(column, huge * 200_000)  # half a megabyte or more in one cell
    _ingest_table(tmp_path_factory, [*rows, row], separator, encoding, None)


def _ingest_table(tmp_path_factory, rows, separator, encoding, cut) -> None:
    lines = [_HEADER.replace(",", separator)] + [separator.join(row) for row in rows]
    content = "\n".join(lines).encode(encoding, errors="replace")
    if cut is not None:
        content = content[: cut % (len(content) + 1)]
    folder = write_dataset(tmp_path_factory.mktemp("table"), {"residents.csv": content})
    ingest_or_refuse(folder)


values = st.one_of(
    st.none(),
    st.text(max_size=30).filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF or ord(c) < 32 for c in s)),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(["R1", "H1", "household|nursing", "=1+2", "x" * 40000]),
)


def _sheets(residents: list[list]) -> dict[str, list[list]]:
    sheets = {}
    for name in ("organisations", "helpers", "support", "awareness"):
        lines = BASE[f"{name}.csv"].splitlines()
        sheets[name] = [line.split(",") for line in lines]
    sheets["residents"] = [_HEADER.split(","), *residents]
    return sheets


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(residents=st.lists(st.lists(values, max_size=9), max_size=10))
def test_workbooks_with_any_cell_values(tmp_path_factory, residents):
    path = write_workbook(tmp_path_factory.mktemp("book") / "data.xlsx", _sheets(residents))
    ingest_or_refuse(path, "residents")


@functools.cache
def _good_workbook() -> bytes:
    """One valid workbook, made once (a workbook records when it was saved: its bytes differ)."""
    with tempfile.TemporaryDirectory(prefix="carecircle-fuzz-") as folder:
        return write_workbook(Path(folder) / "good.xlsx", _sheets([["R9", "Haven"]])).read_bytes()


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_damaged_workbooks(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("damaged")
    content = _good_workbook()
    damage = data.draw(st.sampled_from(["truncate", "flip", "member"]))
    if damage == "truncate":
        content = content[: data.draw(st.integers(0, len(content)))]
    elif damage == "flip":
        spots = data.draw(st.lists(st.integers(0, len(content) - 1), min_size=1, max_size=20))
        changed = bytearray(content)
        for spot in spots:
            changed[spot] ^= data.draw(st.integers(1, 255))
        content = bytes(changed)
    else:  # a well-formed zip whose sheet XML is garbage
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
            for item in source.infolist():
                body = source.read(item)
                if item.filename.startswith("xl/worksheets/"):
                    body = data.draw(st.binary(max_size=400))
                target.writestr(item, body)
        content = buffer.getvalue()
    path = folder / "data.xlsx"
    path.write_bytes(content)
    ingest_or_refuse(path, "residents")


def test_a_workbook_that_openpyxl_can_read_but_is_not_ours(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["nothing", "here"])
    workbook.save(tmp_path / "other.xlsx")
    try:
        ingest(tmp_path / "other.xlsx")
    except IngestError as error:
        assert "missing from the workbook" in str(error)
    else:
        raise AssertionError("a workbook without our sheets must be refused")
