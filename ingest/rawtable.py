"""Raw tables: one file or sheet as stripped text cells, indexed by source line.

Two ways lead to a :class:`RawTable`. A :class:`TableBuilder` takes records one at a time,
as the ``csv`` module or a workbook yields them, each with its line number: the exact way,
for any file, applying the shape limits of :mod:`ingest.limits` as the records come.
:func:`simple_csv_table` lets pandas' C parser read CSV text in one go, but only when the
text is simple enough that both ways are sure to give the same table.
"""

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from graph.language import number
from ingest.catalogue import FileLevelError, Problem, phrase, render
from ingest.limits import MAX_COLUMNS, MAX_FIELD_CHARS, MAX_ROWS

__all__ = ["RawTable", "TableBuilder", "simple_csv_table", "too_many_rows"]

csv.field_size_limit(MAX_FIELD_CHARS)  # the csv module's own limit is 128 KiB


@dataclass
class RawTable:
    """One file or sheet as text.

    ``cells`` has one column per header position (0, 1, ...) and is indexed by the 1-based
    source line (the header is line 1; for a workbook, the sheet row). ``problems`` reject
    rows that could not be read whole; ``cells`` holds of such a row what could be read
    (say its id, so that what refers to it learns where it was rejected). ``warnings`` keep
    their rows. ``longest`` holds, per header position, the length of the longest cell.
    """

    name: str
    header: list[str]
    cells: pd.DataFrame
    decimal_comma: bool
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    header_line: int = 1
    longest: list[int] = field(default_factory=list)


class TableBuilder:
    """Build the :class:`RawTable` of one file or sheet from its records, one at a time.

    The first filled record is the header; blank records (every cell empty or white space)
    are skipped. A record longer than the header with a filled cell past it is rejected with
    a ``wrong_cell_count`` problem (its cells under the header are kept); missing trailing
    cells count as empty. A header wider than :data:`~ingest.limits.MAX_COLUMNS`, a filled
    cell beyond that column, or more than :data:`~ingest.limits.MAX_ROWS` rows raise a
    :class:`FileLevelError` at once, so the rest of an absurd file is never read.

    Examples
    --------
    >>> builder = TableBuilder("residents.csv", decimal_comma=False)
    >>> for line, record in enumerate([["id", "wijk"], ["R1", "Haven"], ["R2", "Haven", "x"]], 1):
    ...     builder.add(line, record)
    >>> table = builder.finish()
    >>> table.cells.loc[3].tolist(), [(p.line, p.code) for p in table.problems]
    (['R2', 'Haven'], [(3, 'wrong_cell_count')])
    """

    def __init__(self, name: str, *, decimal_comma: bool, lang: str = "en") -> None:
        self.name = name
        self.decimal_comma = decimal_comma
        self.lang = lang
        self.header: list[str] | None = None
        self.header_line = 0
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self._records: list[list[str]] = []
        self._lines: list[int] = []
        self._rows = 0

    @property
    def width(self) -> int | None:
        """The number of header cells, once the header has been read."""
        return None if self.header is None else len(self.header)

    def add(self, line: int, record: list[str]) -> None:
        """Add the record that starts on source line ``line``."""
        if self.header is None:
            if _filled(record):
                self._set_header(line, record)
            return
        self._count_row()
        width = len(self.header)
        if len(record) > width:
            last = _last_filled(record)
            if last > width:
                self._check_width(line, last)
                self.problems.append(self._wrong_cell_count(line, len(record)))
            record = record[:width]
        elif len(record) < width:
            record = record + [""] * (width - len(record))
        self._records.append(record)
        self._lines.append(line)

    def add_sparse(self, line: int, cells: list[tuple[int, str]]) -> None:
        """Add a row given as its filled cells only: (column, text), columns from 1 and ascending.

        Only the cells under the header are kept, so a row is never built wider than the
        header, whatever column its last cell sits in.
        """
        if not cells:
            return
        last = cells[-1][0]
        if self.header is None:
            self._check_width(line, last)
            record = [""] * last
            for column, text in cells:
                record[column - 1] = text
            self._set_header(line, record)
            return
        self._count_row()
        width = len(self.header)
        if last > width:
            self._check_width(line, last)
            self.problems.append(self._wrong_cell_count(line, last))
        record = [""] * width
        for column, text in cells:
            if column <= width:
                record[column - 1] = text
        self._records.append(record)
        self._lines.append(line)

    def reject(self, line: int, cells: list[str], problem: Problem) -> None:
        """Add a row that could not be read whole, rejected for ``problem``, with the ``cells`` read."""
        self._count_row()
        self.problems.append(problem)
        width = len(self.header)
        self._records.append((cells + [""] * width)[:width])
        self._lines.append(line)

    def finish(self) -> RawTable:
        """Return the table.

        Raises
        ------
        FileLevelError
            When no record was filled, so there is no header.
        """
        if self.header is None:
            found = phrase("no_header", self.lang)
            raise FileLevelError(render("not_a_table", file=self.name, found=found, lang=self.lang))
        width = len(self.header)
        frame = pd.DataFrame(self._records, columns=range(width), dtype=object) if self._records else None
        table = _finish(
            RawTable(
                self.name, self.header, frame, self.decimal_comma, self.problems, header_line=self.header_line
            ),
            np.asarray(self._lines, dtype=np.int64),
            self.lang,
        )
        table.warnings[:0] = self.warnings
        return table

    def _set_header(self, line: int, record: list[str]) -> None:
        _check_header(self.name, line, len(record), self.lang)
        self.header = [str(cell).strip() for cell in record]
        self.header_line = line

    def _check_width(self, line: int, columns: int) -> None:
        if columns > MAX_COLUMNS:
            raise FileLevelError(_too_wide(self.name, line, columns, self.lang))

    def _count_row(self) -> None:
        self._rows += 1
        if self._rows > MAX_ROWS:
            raise FileLevelError(too_many_rows(self.name, self.lang))

    def _wrong_cell_count(self, line: int, cells: int) -> Problem:
        return render(
            "wrong_cell_count",
            file=self.name,
            line=line,
            found=cells,
            expected=len(self.header),
            lang=self.lang,
        )


def simple_csv_table(name: str, text: str, separator: str, *, lang: str = "en") -> RawTable | None:
    """Read decoded CSV ``text`` with pandas' C parser, or return None when it is not simple.

    Simple means: no quote character and no byte order mark anywhere, no record with more
    cells than the header, and no cell longer than :data:`~ingest.limits.MAX_FIELD_CHARS`.
    Then every physical line is one record (lines end in ``\\n``, ``\\r\\n`` or ``\\r``, as for
    the ``csv`` module), so a row's source line follows from its position. The result equals
    what a :class:`TableBuilder` makes of the records ``csv.reader`` yields; when it cannot
    be sure of that, it returns None and the caller takes that exact way.

    Raises
    ------
    FileLevelError
        When the header is wider than :data:`~ingest.limits.MAX_COLUMNS` (decided before
        the rest is parsed) or the file has more than :data:`~ingest.limits.MAX_ROWS` rows.
    """
    # a quote starts quoting (a record may span lines); pandas drops a leading BOM, csv keeps it
    if '"' in text or "\ufeff" in text:
        return None
    stream = io.StringIO(text, newline="")
    found = _header(stream, separator)
    if found is None:
        return None
    header_line, header = found
    _check_header(name, header_line, len(header), lang)
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
    if len(frame) - 1 > MAX_ROWS:
        raise FileLevelError(too_many_rows(name, lang))
    if (
        len(text) > MAX_FIELD_CHARS
        and max(frame[column].str.len().max() for column in frame) > MAX_FIELD_CHARS
    ):
        return None
    lines = np.arange(header_line + 1, header_line + len(frame), dtype=np.int64)
    body = frame.iloc[1:] if len(frame) > 1 else None
    header = [cell.strip() for cell in header]
    return _finish(RawTable(name, header, body, separator == ";", header_line=header_line), lines, lang)


def too_many_rows(name: str, lang: str = "en") -> Problem:
    """The file-level problem of a table with more than :data:`~ingest.limits.MAX_ROWS` rows."""
    return render("too_many_rows", file=name, expected=number(MAX_ROWS, lang), lang=lang)


def _check_header(name: str, line: int, cells: int, lang: str = "en") -> None:
    """Refuse a header of more than :data:`~ingest.limits.MAX_COLUMNS` cells, before the rows are read.

    Raises
    ------
    FileLevelError
        ``too_many_columns``, naming the header's line.
    """
    if cells > MAX_COLUMNS:
        raise FileLevelError(_too_wide(name, line, cells, lang))


def _too_wide(name: str, line: int, columns: int, lang: str) -> Problem:
    return render(
        "too_many_columns",
        file=name,
        line=line,
        found=number(columns, lang),
        expected=number(MAX_COLUMNS, lang),
        lang=lang,
    )


def _filled(cells: list) -> bool:
    return any(str(cell).strip() for cell in cells)


def _last_filled(cells: list) -> int:
    """The 1-based position of the last filled cell; 0 when none is."""
    for position in range(len(cells), 0, -1):
        if str(cells[position - 1]).strip():
            return position
    return 0


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


def _finish(table: RawTable, lines: np.ndarray, lang: str) -> RawTable:
    """Strip every cell, drop blank rows, index the rows by source line, and measure the columns.

    ``table.cells`` comes in as the rows read (or None), one column per header position; a
    rejected row stays even when blank. A table left without rows gets a ``no_rows`` warning.
    """
    width = len(table.header)
    frame, table.longest = table.cells, [0] * width
    if frame is not None:
        cells = {}
        filled = np.isin(lines, [problem.line for problem in table.problems])
        for column in range(width):
            cells[column], nonempty, table.longest[column] = _stripped(frame[column].to_numpy())
            filled |= nonempty
        if filled.any():
            data = {column: values[filled] for column, values in cells.items()}
            index = pd.Index(lines[filled], name="line")
            table.cells = pd.DataFrame(data, index=index, columns=range(width), dtype=object)
            return table
    empty = pd.DataFrame({column: pd.Series([], dtype=object) for column in range(width)})
    empty.index.name = "line"
    table.cells = empty
    table.warnings.append(render("no_rows", file=table.name, line=table.header_line, lang=lang))
    return table


def _stripped(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Return the cells stripped of white space, which are not empty then, and the longest length.

    Each distinct text is stripped once: a column holds few of them, or is quick anyway.
    """
    codes, distinct = pd.factorize(cells)
    stripped = np.array([text.strip() for text in distinct], dtype=object)
    longest = max(map(len, stripped), default=0)
    return stripped[codes], (stripped != "")[codes], longest
