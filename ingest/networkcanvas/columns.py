"""The columns of one Network Canvas export file: a variable's column, or a categorical variable's options."""

from dataclasses import dataclass, field

import pandas as pd

from ingest.catalogue import FileLevelError, Problem, phrase, render
from ingest.rawtable import RawTable

__all__ = ["EDGE_COLUMNS", "EGO_COLUMNS", "NODE_COLUMNS", "ExportTable"]

#: the leading columns of an ego file, an attribute list and an edge list, in Network Canvas's order
EGO_COLUMNS = (
    "networkCanvasEgoUUID",
    "networkCanvasCaseID",
    "networkCanvasSessionID",
    "networkCanvasProtocolName",
    "sessionStart",
    "sessionFinish",
    "sessionExported",
)
NODE_COLUMNS = ("nodeID", "networkCanvasEgoUUID", "networkCanvasUUID")
EDGE_COLUMNS = (
    "edgeID",
    "from",
    "to",
    "networkCanvasEgoUUID",
    "networkCanvasUUID",
    "networkCanvasSourceUUID",
    "networkCanvasTargetUUID",
)


@dataclass
class ExportTable:
    """One export file read (a :class:`~ingest.rawtable.RawTable`), its columns found by name.

    A plain variable is the column of its exact name. A categorical variable ``V`` is one
    true/false column per option, ``V_<option>``; an option may hold underscores and spaces.

    Examples
    --------
    >>> from ingest.readers import read_csv_bytes
    >>> table = ExportTable(read_csv_bytes(
    ...     b"nodeID,Role_Nurse,Role_Support_worker,Tasks_Personal care\\n1,false,true,true\\n", "a.csv"))
    >>> table.options("Role"), table.column("nodeID").tolist()
    ({'Nurse': 'Role_Nurse', 'Support_worker': 'Role_Support_worker'}, ['1'])
    """

    raw: RawTable
    positions: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.positions = {}
        for position, header in enumerate(self.raw.header):
            self.positions.setdefault(header, position)

    @property
    def name(self) -> str:
        """The file's name."""
        return self.raw.name

    @property
    def lines(self) -> list[int]:
        """The source line of each row (the header is line 1)."""
        return self.raw.cells.index.tolist()

    def has(self, column: str) -> bool:
        """Whether the file has the column ``column``."""
        return column in self.positions

    def column(self, column: str) -> pd.Series:
        """The stripped cells of ``column`` by line; all empty when the file lacks it."""
        if column not in self.positions:
            return pd.Series("", index=self.raw.cells.index, dtype=object)
        return self.raw.cells[self.positions[column]]

    def options(self, variable: str) -> dict[str, str]:
        """The options of the categorical ``variable``: option -> its column, in the file's order."""
        start = f"{variable}_"
        return {
            header[len(start) :]: header
            for header in self.positions
            if header.startswith(start) and len(header) > len(start)
        }

    def unread(self) -> dict[int, Problem]:
        """The rows that could not be read whole, by line, with their problem (already reported)."""
        return {problem.line: problem for problem in self.raw.problems if problem.line is not None}

    def require(self, variable: str, *, categorical: bool = False, lang: str = "en") -> None:
        """Fail when the mapped ``variable`` has no column here (a categorical one: no option column).

        Raises
        ------
        FileLevelError
            ``missing_options`` or ``missing_variable``, naming the file, the variable and the
            columns found.
        """
        if self.options(variable) if categorical else self.has(variable):
            return
        found = ", ".join(header for header in self.raw.header if header) or phrase("no_columns", lang)
        code = "missing_options" if categorical else "missing_variable"
        raise FileLevelError(
            render(code, file=self.name, line=self.raw.header_line, column=variable, found=found, lang=lang)
        )

    def require_column(self, column: str, lang: str = "en") -> None:
        """Fail when the file lacks a column Network Canvas always writes (``missing_column``)."""
        if self.has(column):
            return
        found = ", ".join(header for header in self.raw.header if header) or phrase("no_columns", lang)
        raise FileLevelError(
            render(
                "missing_column",
                file=self.name,
                line=self.raw.header_line,
                column=column,
                found=found,
                lang=lang,
            )
        )
