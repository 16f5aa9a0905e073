"""Reading .xlsx workbooks by the cells they really hold, not by the size they declare.

openpyxl's read-only ``iter_rows`` pads every row to the sheet's declared dimension: one
cell at XFD1048576 makes it build a million rows of 16,384 cells. Here a sheet's XML is
parsed row by row and only the cells present are looked at, with their real row numbers,
so time and memory follow what the file holds (and :class:`~ingest.rawtable.TableBuilder`
refuses a filled cell beyond :data:`~ingest.limits.MAX_COLUMNS` at once). A workbook whose
parts would unpack to absurd sizes (a zip bomb) is refused before anything is unpacked.
"""

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO

from ingest.archives import ZIP_TROUBLE, beyond_limits
from ingest.catalogue import FileLevelError, phrase, render
from ingest.rawtable import RawTable, TableBuilder

__all__ = ["read_sheet", "sheet_names"]


def sheet_names(path: Path, lang: str = "en") -> list[str]:
    """Return the names of the workbook's sheets.

    Raises
    ------
    FileLevelError
        ``unreadable_workbook``, when the file is not a workbook openpyxl can open.
    """
    with _workbook(path, lang) as workbook:
        return list(workbook.sheetnames)


def read_sheet(path: Path, sheet: str, lang: str = "en") -> RawTable:
    """Read one sheet as text cells; a cell's line is its sheet row.

    Native values become the text a CSV of them would hold (see :func:`_cell_text`); the
    decimal mark may be a comma, as a Dutch spreadsheet writes it in text cells.

    Raises
    ------
    FileLevelError
        When the sheet cannot be parsed, or its shape is beyond :mod:`ingest.limits`.
    """
    builder = TableBuilder(sheet, decimal_comma=True, lang=lang)
    with _workbook(path, lang) as workbook:
        try:
            for line, cells in _filled_rows(workbook, sheet):
                builder.add_sparse(line, cells)
        except FileLevelError:
            raise
        except Exception as error:  # the sheet's XML is parsed only now, row by row
            raise _unreadable(path, error, lang) from None
    return builder.finish()


def _filled_rows(workbook, sheet: str) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """Yield (sheet row, [(column, text)]) for each row with a filled cell, columns ascending."""
    from openpyxl.worksheet._reader import WorkSheetParser

    worksheet = workbook[sheet]
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for line, row in parser.parse():
            parser.row_dimensions.clear()  # row heights and styles: not needed, and they would pile up
            cells = [(cell["column"], _cell_text(cell["value"])) for cell in row]
            cells = sorted((column, text) for column, text in cells if text)
            if cells:
                yield line, cells


@contextmanager
def _workbook(path: Path, lang: str):
    """The workbook at ``path``, read-only; the file is closed afterwards whatever happens."""
    import openpyxl

    try:
        handle = path.open("rb")
    except OSError as error:
        raise _unreadable(path, error, lang) from None
    try:
        _refuse_bombs(handle, path, lang)
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # a damaged file makes openpyxl's zip and XML parsers raise anything
            raise _unreadable(path, error, lang) from None
        try:
            yield workbook
        finally:
            workbook.close()
    finally:
        handle.close()


def _refuse_bombs(handle: BinaryIO, path: Path, lang: str) -> None:
    """Refuse a workbook whose parts unpack to more than :data:`~ingest.limits.MAX_FILE_BYTES`
    together, or one part to more than :data:`~ingest.limits.MAX_UNPACK_RATIO` times its packed
    size, from the sizes the archive declares (Python's zipfile never unpacks more than those).
    A file that is no zip archive is left to openpyxl, which says so."""
    try:
        parts = zipfile.ZipFile(handle).infolist()
    except ZIP_TROUBLE:
        handle.seek(0)
        return
    handle.seek(0)
    excess = beyond_limits(parts, lang)
    if excess is not None:
        found, limits = excess
        problem = render("workbook_too_large", file=path.name, found=found, expected=limits, lang=lang)
        raise FileLevelError(problem)


def _unreadable(path: Path, error: Exception, lang: str) -> FileLevelError:
    found = phrase("not_xlsx", lang, kind=type(error).__name__)
    return FileLevelError(render("unreadable_workbook", file=path.name, found=found, lang=lang))


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
