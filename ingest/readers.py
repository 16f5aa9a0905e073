"""Readers: a dataset's files or sheets found by name, read into tables of stripped text cells."""

import errno
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from graph.language import number
from ingest.catalogue import PHRASES, FileLevelError, Problem, phrase, render
from ingest.csvrecords import read_records
from ingest.encoding import decode
from ingest.limits import MAX_FILE_BYTES, MAX_ROWS
from ingest.rawtable import RawTable, simple_csv_table, too_many_rows
from ingest.schemas import FILES, table_named
from ingest.workbook import read_sheet, sheet_names

__all__ = ["DatasetSource", "RawTable", "file_too_large", "open_dataset", "read_csv_bytes", "read_csv_table"]

_SEPARATORS = (",", ";", "\t")
_CSV_SUFFIXES = (".csv", ".txt", ".tsv")
_MIB = 1024 * 1024


@dataclass
class DatasetSource:
    """Where a dataset comes from and how to get each of its tables.

    ``name_file`` is where the dataset's name comes from: its .toml file, or else the folder
    or workbook itself.
    """

    path: Path
    name: str
    as_of: date | None
    tables: dict[str, "_TableRef"]
    available: list[str]
    is_workbook: bool
    name_file: str = ""
    lang: str = field(default="en", repr=False)

    def read(self, stem: str) -> RawTable | None:
        """Return the table ``stem`` (e.g. ``"support"``), or None when the source lacks it."""
        ref = self.tables.get(stem)
        return ref.read() if ref is not None else None

    def missing_problem(self, stem: str) -> Problem:
        """Return the file-level problem for a required table that is not there."""
        code = "missing_sheet" if self.is_workbook else "missing_file"
        wanted = stem if self.is_workbook else FILES[stem].file_name
        found = ", ".join(self.available) or phrase("nothing", self.lang)
        return render(code, file=wanted, found=found, lang=self.lang)


@dataclass
class _TableRef:
    read_table: Callable[[], RawTable]
    label: str

    def read(self) -> RawTable:
        return self.read_table()


def open_dataset(path: Path, *, lang: str = "en") -> DatasetSource:
    """Open a dataset folder or ``.xlsx`` workbook without reading its tables yet.

    A file (CSV, by its extension) or sheet is a table when its name is the table's, in
    English or Dutch (SPEC §3), matched as headers are.

    Raises
    ------
    FileLevelError
        When ``path`` is neither, the workbook cannot be opened, dataset.toml is bad, or two
        files or sheets name the same table (``ambiguous_file``).
    """
    if path.is_dir():
        # not only regular files: a link or folder named like a table is read, and said to be unreadable
        files = sorted(p for p in path.iterdir() if p.is_file() or p.suffix.lower() in _CSV_SUFFIXES)
        tables = _match_tables(
            [(p.stem, p.name) for p in files if p.suffix.lower() in _CSV_SUFFIXES],
            lambda label: lambda: read_csv_table(path / label, lang=lang),
            lang,
        )
        name, as_of, name_file = _read_dataset_toml(path / "dataset.toml", default_name=path.name, lang=lang)
        return DatasetSource(path, name, as_of, tables, [p.name for p in files], False, name_file, lang)
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = sheet_names(path, lang)
        tables = _match_tables(
            [(sheet, sheet) for sheet in sheets], lambda label: lambda: read_sheet(path, label, lang), lang
        )
        name, as_of, name_file = _read_dataset_toml(
            path.with_suffix(".toml"), default_name=path.stem, lang=lang
        )
        return DatasetSource(path, name, as_of, tables, sheets, True, name_file, lang)
    found = phrase("other_kind" if path.exists() else "nothing_there", lang)
    raise FileLevelError(render("not_a_dataset", file=str(path), found=found, lang=lang))


def _match_tables(
    candidates: list[tuple[str, str]], reader: Callable[[str], Callable[[], RawTable]], lang: str
) -> dict[str, _TableRef]:
    """Map each table to the one candidate (name to match, label as given) that names it."""
    named: dict[str, list[str]] = {}
    for name, label in candidates:
        stem = table_named(name)
        if stem is not None:
            named.setdefault(stem, []).append(label)
    for stem, labels in named.items():
        if len(labels) > 1:
            spec = FILES[stem]
            problem = render(
                "ambiguous_file",
                file=labels[0],
                expected=" / ".join((spec.name, *spec.aliases)),
                found=", ".join(f"'{label}'" for label in labels),
                lang=lang,
            )
            raise FileLevelError(problem)
    return {stem: _TableRef(reader(labels[0]), labels[0]) for stem, labels in named.items()}


def read_csv_table(path: Path, *, fast: bool = True, lang: str = "en") -> RawTable:
    """Read one CSV file: check its size, detect encoding and separator, keep source line numbers.

    The file is refused unread when larger than :data:`~ingest.limits.MAX_FILE_BYTES`; its
    bytes are read as :func:`read_csv_bytes` reads them.

    Raises
    ------
    FileLevelError
        When the file cannot be read, is too large or long (:mod:`ingest.limits`), cannot be
        decoded, or is not a table.
    """
    name = path.name
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_FILE_BYTES else b""
    except OSError as error:  # a link to nowhere or to itself, a folder, no permission to read
        found = phrase("unreadable_file", lang, reason=_why_unreadable(error, lang))
        raise FileLevelError(render("not_a_table", file=name, found=found, lang=lang)) from None
    if size > MAX_FILE_BYTES:
        raise FileLevelError(file_too_large(name, size, lang))
    return read_csv_bytes(data, name, fast=fast, lang=lang)


def read_csv_bytes(data: bytes, name: str, *, fast: bool = True, lang: str = "en") -> RawTable:
    """Read the bytes of one CSV file named ``name``: detect encoding and separator, keep line numbers.

    A simple file (see :func:`~ingest.rawtable.simple_csv_table`) is read by pandas' C
    parser; any other file, or every file with ``fast=False``, record by record with the
    ``csv`` module (see :func:`~ingest.csvrecords.read_records`). Both ways give the same
    table. The caller bounds ``data`` by :data:`~ingest.limits.MAX_FILE_BYTES` (see
    :func:`file_too_large`).

    Raises
    ------
    FileLevelError
        When the file has too many lines (:mod:`ingest.limits`), cannot be decoded, or is not
        a table.

    Examples
    --------
    >>> table = read_csv_bytes(b"id;wijk\\r\\nR1;Haven\\r\\n\\r\\nR2;Kern\\r\\n", "residents.csv")
    >>> table.header, table.cells.index.tolist(), table.decimal_comma
    (['id', 'wijk'], [2, 4], True)
    """
    if len(data) > MAX_ROWS and _line_count(data) > MAX_ROWS + 1:  # fewer bytes cannot make more lines
        raise FileLevelError(too_many_rows(name, lang))
    decoded = decode(data, name, lang)
    del data
    text = decoded.text
    if "\x00" in text:
        raise FileLevelError(render("not_a_table", file=name, found=phrase("binary", lang), lang=lang))
    if not text.strip():
        raise FileLevelError(render("not_a_table", file=name, found=phrase("empty_file", lang), lang=lang))
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    separator = max(_SEPARATORS, key=header_line.count)
    table = simple_csv_table(name, text, separator, lang=lang) if fast and not decoded.marked else None
    return table if table is not None else read_records(name, decoded, separator, lang=lang)


def file_too_large(name: str, size: int, lang: str = "en") -> Problem:
    """The file-level problem of a CSV file of ``size`` bytes, over :data:`~ingest.limits.MAX_FILE_BYTES`."""
    found, limit = number(-(-size // _MIB), lang), number(MAX_FILE_BYTES // _MIB, lang)
    return render("file_too_large", file=name, found=found, expected=limit, lang=lang)


def _why_unreadable(error: OSError, lang: str) -> str:
    """Why a file could not be read, in ``lang`` for the usual reasons, else the error's name."""
    name = errno.errorcode.get(error.errno or 0, type(error).__name__)
    name = "EACCES" if name == "EPERM" else name
    return phrase(name, lang) if name in PHRASES else name


def _line_count(data: bytes) -> int:
    """The number of lines in a file's bytes: a line ends in ``\\n``, ``\\r\\n`` or ``\\r``."""
    breaks = data.count(b"\n")
    if b"\r" in data:
        breaks += data.count(b"\r") - data.count(b"\r\n")
    return breaks + (not data.endswith((b"\n", b"\r")))


def _read_dataset_toml(path: Path, *, default_name: str, lang: str) -> tuple[str, date | None, str]:
    """Return the dataset's name, its snapshot date, and the file the name came from."""
    if not path.is_file():
        return default_name, None, default_name
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as error:
        raise FileLevelError(_bad_toml(path, _toml_problem(str(error), lang), lang)) from None
    except UnicodeDecodeError:
        raise FileLevelError(_bad_toml(path, phrase("not_utf8_toml", lang), lang)) from None
    as_of = settings.get("as_of")
    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of)
        except ValueError:
            as_of = False
    if as_of is not None and (not isinstance(as_of, date) or isinstance(as_of, datetime)):
        raise FileLevelError(_bad_toml(path, phrase("as_of_not_a_date", lang), lang))
    if "name" in settings:
        return str(settings["name"]), as_of, path.name
    return default_name, as_of, default_name


def _bad_toml(path: Path, found: str, lang: str) -> Problem:
    return render("bad_dataset_toml", file=path.name, found=found, lang=lang)


def _toml_problem(message: str, lang: str) -> str:
    """Say where TOML is broken, in ``lang``: tomllib's messages end in "(at line L, column C)"."""
    where = re.search(r"at line (\d+), column (\d+)", message)
    if where is None:
        return phrase("not_toml", lang)
    return phrase("not_toml_at", lang, line=where.group(1), column=where.group(2))
