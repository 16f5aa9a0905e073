"""The exact way to read CSV text: record by record with the ``csv`` module, runaway quotes cut off.

A quoted cell may hold line breaks (a name written on two lines), so one record may span
several physical lines. A quote that is never closed would swallow every line after it
into one cell. So a record that goes on past its first line is watched: a physical line
that would be a row on its own (read alone, it has as many cells as the header) ends it.
That record is rejected (``unclosed_quote``, at the line where it starts, naming the column
whose quote opened; the cells before that one are kept, so that rows referring to its id
learn where it was rejected) and reading goes on from that line, so every later row is kept; a quote
still open at the end of the file rejects its row the same way. Every line is read once
more at most (alone, to see whether it looks like a row), so the cost stays linear.
"""

import csv
import io
import itertools
import re
from collections.abc import Iterator

from graph.language import number
from ingest.catalogue import FileLevelError, Problem, phrase, render
from ingest.encoding import Decoded, first_marked_byte, is_marked, unmark
from ingest.limits import MAX_FIELD_CHARS
from ingest.rawtable import RawTable, TableBuilder

__all__ = ["read_records"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_records(name: str, decoded: Decoded, separator: str, *, lang: str = "en") -> RawTable:
    """Read decoded CSV text record by record, each with the line it starts on.

    Raises
    ------
    FileLevelError
        When the text is not a table: no header, a header whose quote never closes, a cell
        longer than :data:`~ingest.limits.MAX_FIELD_CHARS`, or a shape beyond the limits.

    Examples
    --------
    >>> text = 'id,wijk,naam\\nR1,Haven,"Jan\\nJansen"\\nR2,Haven,"Piet\\nR3,Haven,Klaas\\n'
    >>> table = read_records("residents.csv", Decoded(text), ",")
    >>> table.cells[2].to_dict()  # line 4 is rejected: its cells before the open quote are kept
    {2: 'Jan\\nJansen', 4: '', 5: 'Klaas'}
    >>> [(p.line, p.column, p.code) for p in table.problems]
    [(4, 'naam', 'unclosed_quote')]
    """
    builder = TableBuilder(name, decimal_comma=separator == ";", lang=lang)
    feed = _Feed(decoded.text, separator, marked=decoded.marked)
    more = True
    while more:
        more = False
        reader = csv.reader(feed.lines(), delimiter=separator)
        try:
            for record in reader:
                start, marks = feed.start, feed.marks
                feed.start, feed.marks = 0, []
                if feed.cut:
                    builder.reject(start, record[:-1], _unclosed_quote(builder, start, record))
                    more = True
                    break
                if marks:
                    record = _read_marked(builder, start, record)
                builder.add(start, record)
                if builder.width is not None:
                    feed.width = builder.width
        except csv.Error as error:
            key = "field_too_long" if "field larger" in str(error) else "broken_csv"
            found = phrase(key, lang, line=feed.line, limit=number(MAX_FIELD_CHARS, lang))
            raise FileLevelError(render("not_a_table", file=name, found=found, lang=lang)) from None
    return builder.finish()


class _Feed:
    """The physical lines of the text for ``csv.reader``, ending a record that runs away.

    The reader of the records sets ``start`` back to 0 after each record, so a line handed
    out while ``start`` is set continues a record. Such a line that has ``width`` cells when
    read alone is held back and the lines end (``cut``); the next :meth:`lines` starts with it.
    """

    def __init__(self, text: str, separator: str, *, marked: bool) -> None:
        self._source = iter(io.StringIO(text, newline=""))
        self._separator = separator
        self._marked = marked
        self._held: str | None = None
        self.line = 0  # the last line handed out
        self.start = 0  # the line the record being read starts on; 0 between records
        self.cut = False  # the record being read was cut off
        self.width: int | None = None  # the header's cells, once known
        self.marks: list[int] = []  # lines of the record being read that hold undecodable bytes

    def lines(self) -> Iterator[str]:
        """Yield lines until a record runs away or the text ends."""
        self.cut = False
        held, self._held = self._held, None
        source = self._source if held is None else itertools.chain((held,), self._source)
        expected = 0
        for text in source:
            if self.start:
                if self._cells(text) == expected:
                    self._held, self.cut = text, True
                    return
            else:
                self.start = self.line + 1
                # until the header is known, the first line of the record (the header's) sets the width
                expected = self.width if self.width is not None else self._cells(text)
            self.line += 1
            if self._marked and is_marked(text):
                self.marks.append(self.line)
            yield text
        self.cut = self.start != 0  # the text ended inside a quoted cell

    def _cells(self, line: str) -> int:
        return len(next(csv.reader((line,), delimiter=self._separator), []))


def _unclosed_quote(builder: TableBuilder, start: int, record: list[str]) -> Problem:
    """The problem of a record cut off while its last cell was still quoted."""
    lang = builder.lang
    if builder.header is None:
        cell = _LINE_BREAK.split(record[-1], 1)[0].strip()[:40]
        found = phrase("header_quote", lang, cell=cell)
        raise FileLevelError(render("not_a_table", file=builder.name, line=start, found=found, lang=lang))
    position = len(record) - 1
    column = builder.header[position] if position < len(builder.header) else None
    return render("unclosed_quote", file=builder.name, line=start, column=column, lang=lang)


def _read_marked(builder: TableBuilder, start: int, record: list[str]) -> list[str]:
    """Warn once for each line of ``record`` holding undecodable bytes, and read them as Windows-1252."""
    header = builder.header
    warned: set[int] = set()
    line = start
    for position, cell in enumerate(record):
        parts = _LINE_BREAK.split(cell)
        for offset, part in enumerate(parts):
            byte = first_marked_byte(part)
            if byte is None or line + offset in warned:
                continue
            warned.add(line + offset)
            if header is None:
                column = unmark(cell).strip()
            else:
                column = header[position] if position < len(header) else None
            builder.warnings.append(
                render(
                    "invalid_utf8",
                    file=builder.name,
                    line=line + offset,
                    column=column,
                    found=f"0x{byte:02x}",
                    lang=builder.lang,
                )
            )
        line += len(parts) - 1
    return [unmark(cell) for cell in record]
