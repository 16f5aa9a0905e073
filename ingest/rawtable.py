"""Raw tables: one file or sheet as stripped text cells, indexed by source line.

Two ways lead to a :class:`RawTable`. :func:`table_from_records` takes records as the
``csv`` module or a workbook yields them, each with its line number: the exact way, for
any file. :func:`simple_csv_table` lets pandas' C parser read CSV text in one go, but only
when the text is simple enough that both ways are sure to give the same table.
"""

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ingest.catalogue import FileLevelError, Problem, render

__all__ = ["MAX_CELL", "RawTable", "simple_csv_table", "table_from_records"]

#: the longest cell the csv module accepts (characters); a longer one makes a file "broken CSV"
MAX_CELL = 16 * 1024 * 1024


@dataclass
class RawTable:
    """One file or sheet as text.

    ``cells`` has one column per header position (0, 1, ...) and is indexed by the 1-based
    source line (the header is line 1; for a workbook, the sheet row).
    """

    name: str
    header: list[str]
    cells: pd.DataFrame
    decimal_comma: bool
    problems: list[Problem] = field(default_factory=list)


def table_from_records(
    name: str, lines: list[int], records: list[list[str]], *, decimal_comma: bool
) -> RawTable:
    """Build the table of ``records``, the first non-blank one being the header.

    ``lines[i]`` is the source line where ``records[i]`` starts. Blank records (every cell
    empty or white space) are skipped; a record longer than the header with a non-empty
    cell past it is left out with a ``wrong_cell_count`` problem; missing trailing cells
    count as empty.

    Raises
    ------
    FileLevelError
        When every record is blank.
    """
    start = next((i for i, record in enumerate(records) if _filled(record)), None)
    if start is None:
        raise FileLevelError(render("not_a_table", file=name, found="no header row"))
    header = [str(cell).strip() for cell in records[start]]
    width = len(header)
    body, body_lines = records[start + 1 :], lines[start + 1 :]
    problems, kept, kept_lines = [], [], []
    for line, record in zip(body_lines, body, strict=True):
        if len(record) != width:
            if len(record) > width and _filled(record[width:]):
                problems.append(
                    render("wrong_cell_count", file=name, line=line, found=len(record), expected=width)
                )
                continue
            record = (list(record) + [""] * width)[:width]
        kept.append(record)
        kept_lines.append(line)
    frame = pd.DataFrame(kept, columns=range(width), dtype=object) if kept else None
    return _finish(name, header, frame, np.asarray(kept_lines, dtype=np.int64), decimal_comma, problems)


def simple_csv_table(name: str, text: str, separator: str) -> RawTable | None:
    """Read decoded CSV ``text`` with pandas' C parser, or return None when it is not simple.

    Simple means: no quote character and no byte order mark anywhere, no record with more
    cells than the header, and no cell longer than :data:`MAX_CELL`. Then every physical
    line is one record (lines end in ``\\n``, ``\\r\\n`` or ``\\r``, as for the ``csv``
    module), so a row's source line follows from its position. The result equals
    ``table_from_records`` on what ``csv.reader`` yields; when it cannot be sure of that, it
    returns None and the caller takes that exact way.
    """
    # a quote starts quoting (a record may span lines); pandas drops a leading BOM, csv keeps it
    if '"' in text or "\ufeff" in text:
        return None
    stream = io.StringIO(text, newline="")
    found = _header(stream, separator)
    if found is None:
        return None
    header_line, header = found
    try:
        frame = pd.read_csv(
            stream,
            sep=separator,
            header=None,
            names=range(len(header)),
            index_col=False,
            dtype=object,
            na_filter=False,  # keep every cell as written: no NaN, missing trailing cells are ""
            skip_blank_lines=False,  # one row per physical line, so line = position + header line
            quoting=csv.QUOTE_NONE,
            engine="c",
        )
    except pd.errors.ParserError:  # a row with more cells than the header, among others
        return None
    if len(frame) != _line_count(text) - header_line + 1:
        return None
    if len(text) > MAX_CELL and max(frame[column].str.len().max() for column in frame) > MAX_CELL:
        return None
    lines = np.arange(header_line + 1, header_line + len(frame), dtype=np.int64)
    body = frame.iloc[1:] if len(frame) > 1 else None
    header = [cell.strip() for cell in header]
    return _finish(name, header, body, lines, separator == ";", [])


def _filled(cells: list) -> bool:
    return any(str(cell).strip() for cell in cells)


def _header(stream: io.StringIO, separator: str) -> tuple[int, list[str]] | None:
    """Leave ``stream`` at the start of the header line; return that line's number and cells."""
    reader = csv.reader(stream, delimiter=separator)
    start = 0
    try:
        for record in reader:
            if _filled(record):
                stream.seek(start)
                return reader.line_num, record
            start = stream.tell()
    except csv.Error:
        return None
    return None


def _line_count(text: str) -> int:
    """The number of lines ``csv.reader`` sees: a line ends in ``\\n``, ``\\r\\n`` or ``\\r``."""
    breaks = text.count("\n")
    if "\r" in text:
        breaks += text.count("\r") - text.count("\r\n")
    return breaks + (not text.endswith(("\n", "\r")))


def _finish(
    name: str,
    header: list[str],
    frame: pd.DataFrame | None,
    lines: np.ndarray,
    decimal_comma: bool,
    problems: list[Problem],
) -> RawTable:
    """Strip every cell, drop blank rows, and index the rows by source line."""
    width = len(header)
    if frame is not None:
        cells, filled = {}, np.zeros(len(frame), dtype=bool)
        for column in range(width):
            cells[column], nonempty = _stripped(frame[column].to_numpy())
            filled |= nonempty
        if filled.any():
            data = {column: values[filled] for column, values in cells.items()}
            index = pd.Index(lines[filled], name="line")
            table = pd.DataFrame(data, index=index, columns=range(width), dtype=object)
            return RawTable(name, header, table, decimal_comma, problems)
    empty = pd.DataFrame({column: pd.Series([], dtype=object) for column in range(width)})
    empty.index.name = "line"
    return RawTable(name, header, empty, decimal_comma, problems)


def _stripped(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the cells stripped of white space, and which are not empty then.

    Each distinct text is stripped once: a column holds few of them, or is quick anyway.
    """
    codes, distinct = pd.factorize(cells)
    stripped = np.array([text.strip() for text in distinct], dtype=object)
    return stripped[codes], (stripped != "")[codes]
