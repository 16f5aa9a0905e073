"""Readers: CSV files and .xlsx sheets in, tables of stripped text cells with their source lines out."""

import csv
import io
import tomllib
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from ingest.catalogue import FileLevelError, Problem, render
from ingest.rawtable import MAX_CELL, RawTable, simple_csv_table, table_from_records

__all__ = ["DatasetSource", "RawTable", "open_dataset", "read_csv_table"]

_SEPARATORS = (",", ";", "\t")
csv.field_size_limit(MAX_CELL)


@dataclass
class DatasetSource:
    """Where a dataset comes from and how to get each of its tables."""

    path: Path
    name: str
    as_of: date | None
    tables: dict[str, "_TableRef"]
    available: list[str]
    is_workbook: bool

    def read(self, stem: str) -> RawTable | None:
        """Return the table ``stem`` (e.g. ``"support"``), or None when the source lacks it."""
        ref = self.tables.get(stem)
        return ref.read() if ref is not None else None

    def missing_problem(self, stem: str) -> Problem:
        """Return the file-level problem for a required table that is not there."""
        code = "missing_sheet" if self.is_workbook else "missing_file"
        wanted = stem if self.is_workbook else f"{stem}.csv"
        return render(code, file=wanted, found=", ".join(self.available) or "nothing")


@dataclass
class _TableRef:
    read_table: Callable[[], RawTable]
    label: str

    def read(self) -> RawTable:
        return self.read_table()


def open_dataset(path: Path) -> DatasetSource:
    """Open a dataset folder or ``.xlsx`` workbook without reading its tables yet.

    Raises
    ------
    FileLevelError
        When ``path`` is neither, the workbook cannot be opened, or dataset.toml is bad.
    """
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file())
        tables = {
            p.stem.lower(): _TableRef(lambda p=p: read_csv_table(p), p.name)
            for p in files
            if p.suffix.lower() in (".csv", ".txt", ".tsv")
        }
        name, as_of = _read_dataset_toml(path / "dataset.toml", default_name=path.name)
        return DatasetSource(path, name, as_of, tables, [p.name for p in files], False)
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = _workbook_sheets(path)
        tables = {
            sheet.strip().lower(): _TableRef(lambda s=sheet: _read_sheet(path, s), sheet) for sheet in sheets
        }
        name, as_of = _read_dataset_toml(path.with_suffix(".toml"), default_name=path.stem)
        return DatasetSource(path, name, as_of, tables, sheets, True)
    found = "a file of another kind" if path.exists() else "nothing at that path"
    raise FileLevelError(render("not_a_dataset", file=str(path), found=found))


def read_csv_table(path: Path, *, fast: bool = True) -> RawTable:
    """Read one CSV file: detect encoding and separator, keep source line numbers.

    A simple file (see :func:`~ingest.rawtable.simple_csv_table`) is read by pandas' C
    parser; any other file, or every file with ``fast=False``, record by record with the
    ``csv`` module. Both ways give the same table.

    Raises
    ------
    FileLevelError
        When the file cannot be decoded or is not a table.
    """
    data = path.read_bytes()
    name = path.name
    text = _decode(data, name)
    if "\x00" in text:
        raise FileLevelError(render("not_a_table", file=name, found="binary content (NUL bytes)"))
    if not text.strip():
        raise FileLevelError(render("not_a_table", file=name, found="the file is empty"))
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    separator = max(_SEPARATORS, key=header_line.count)
    table = simple_csv_table(name, text, separator) if fast else None
    return table if table is not None else _read_records(name, text, separator)


def _read_records(name: str, text: str, separator: str) -> RawTable:
    """The exact way: every record as ``csv.reader`` yields it, with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records, ends = [], []
    try:
        for record in reader:
            records.append(record)
            ends.append(reader.line_num)
    except csv.Error as error:
        found = f"broken CSV near line {reader.line_num} ({error})"
        raise FileLevelError(render("not_a_table", file=name, found=found)) from None
    starts = [end + 1 for end in [0, *ends][:-1]]  # a record starts on the line after the previous one
    return table_from_records(name, starts, records, decimal_comma=separator == ";")


def _decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        found = f"0x{data[error.start]:02x} at offset {error.start}"
        raise FileLevelError(render("undecodable", file=name, found=found)) from None


def _workbook_sheets(path: Path) -> list[str]:
    with _workbook(path) as workbook:
        return list(workbook.sheetnames)


@contextmanager
def _workbook(path: Path):
    """The workbook at ``path``, read-only; the file is closed afterwards whatever happens."""
    import openpyxl

    try:
        handle = path.open("rb")
    except OSError as error:
        raise _unreadable(path, error) from None
    try:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # a damaged file makes openpyxl's zip and XML parsers raise anything
            raise _unreadable(path, error) from None
        try:
            yield workbook
        finally:
            workbook.close()
    finally:
        handle.close()


def _unreadable(path: Path, error: Exception) -> FileLevelError:
    found = f"{type(error).__name__}: not a readable .xlsx file"
    return FileLevelError(render("unreadable_workbook", file=path.name, found=found))


def _read_sheet(path: Path, sheet: str) -> RawTable:
    with _workbook(path) as workbook:
        try:
            rows = workbook[sheet].iter_rows(values_only=True)
            records = [[_cell_text(value) for value in row] for row in rows]
        except Exception as error:  # the sheet's XML is parsed only now, row by row
            raise _unreadable(path, error) from None
    return table_from_records(sheet, list(range(1, len(records) + 1)), records, decimal_comma=True)


def _cell_text(value: object) -> str:
    """Turn a native Excel value into the text a CSV of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_dataset_toml(path: Path, *, default_name: str) -> tuple[str, date | None]:
    if not path.is_file():
        return default_name, None
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise FileLevelError(render("bad_dataset_toml", file=path.name, found=str(error))) from None
    as_of = settings.get("as_of")
    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of)
        except ValueError:
            as_of = False
    if as_of is not None and (not isinstance(as_of, date) or isinstance(as_of, datetime)):
        found = "as_of must be a date like 2017-06-01"
        raise FileLevelError(render("bad_dataset_toml", file=path.name, found=found))
    return str(settings.get("name", default_name)), as_of
