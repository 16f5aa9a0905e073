"""The snapshot model: the tables one ingest produces, as :data:`graph.schema.SCHEMA` declares them."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from graph.schema import SCHEMA

__all__ = [
    "TABLES",
    "Snapshot",
    "empty_table",
    "node_key",
]

#: Columns of each snapshot table, in order (the stored columns of :data:`~graph.schema.SCHEMA`).
#: Missing values are ``None``; dates are :class:`datetime.date`; lists (``needs``, ``domains``)
#: are sorted tuples of codes.
TABLES: dict[str, tuple[str, ...]] = {
    name: tuple(column.name for column in table.stored_columns) for name, table in SCHEMA.items()
}
#: per table, the columns that name a helper (performers, delegators, both ends of awareness)
_HELPER_COLUMNS = {
    name: columns
    for name, table in SCHEMA.items()
    if (columns := tuple(column.name for column in table.stored_columns if column.references == "helpers"))
}


def empty_table(table: str) -> pd.DataFrame:
    """Return an empty frame with the columns of ``table``.

    Examples
    --------
    >>> list(empty_table("organisations").columns)
    ['organisation_id', 'name', 'type']
    """
    return pd.DataFrame({column: pd.Series([], dtype=object) for column in TABLES[table]})


def node_key(node_type: str, identifier: str) -> str:
    """Return the graph node key of an entity: its type and id, so ids of types never clash.

    Examples
    --------
    >>> node_key("helper", "H1")
    'helper:H1'
    """
    return f"{node_type}:{identifier}"


@dataclass
class Snapshot:
    """One validated, pseudonymised dataset at one date: what a store saves and loads.

    Every table holds exactly the columns of :data:`TABLES` (object dtype).
    """

    name: str
    as_of: date
    residents: pd.DataFrame = field(default_factory=lambda: empty_table("residents"))
    helpers: pd.DataFrame = field(default_factory=lambda: empty_table("helpers"))
    organisations: pd.DataFrame = field(default_factory=lambda: empty_table("organisations"))
    support: pd.DataFrame = field(default_factory=lambda: empty_table("support"))
    awareness: pd.DataFrame = field(default_factory=lambda: empty_table("awareness"))

    def table(self, name: str) -> pd.DataFrame:
        """Return the table called ``name`` (a key of :data:`TABLES`)."""
        if name not in TABLES:
            raise KeyError(name)
        return getattr(self, name)

    def part(self, residents: set[str]) -> "Snapshot":
        """The snapshot of some residents only: their support and awareness rows, and the helpers
        and organisations those rows name (what one neighbourhood's analysis needs)."""
        support = self.support[self.support["resident_id"].isin(residents)]
        awareness = self.awareness[self.awareness["resident_id"].isin(residents)]
        named = Snapshot(self.name, self.as_of, support=support, awareness=awareness).named_helpers()
        helpers = self.helpers[self.helpers["helper_id"].isin(named)]
        organisations = self.organisations[
            self.organisations["organisation_id"].isin(set(helpers["organisation_id"].dropna()))
        ]
        return Snapshot(
            self.name,
            self.as_of,
            self.residents[self.residents["resident_id"].isin(residents)].reset_index(drop=True),
            helpers.reset_index(drop=True),
            organisations.reset_index(drop=True),
            support.reset_index(drop=True),
            awareness.reset_index(drop=True),
        )

    def named_helpers(self) -> set[str]:
        """The helpers the support and awareness rows name (performers, delegators, both ends)."""
        return set().union(
            *(
                set(self.table(table)[column].dropna())
                for table, columns in _HELPER_COLUMNS.items()
                for column in columns
            )
        )

    def neighbourhood_parts(self) -> Iterator["Snapshot"]:
        """One :meth:`part` per neighbourhood, in name order."""
        areas = self.residents.groupby("neighbourhood", sort=True)["resident_id"]
        for _, residents in areas:
            yield self.part(set(residents))

    def records(self, name: str) -> list[dict]:
        """Return the rows of table ``name`` as plain dicts with ``None`` for missing values."""
        frame = self.table(name)
        columns = list(frame.columns)  # pandas' own Index is slow to walk once per row
        return [
            {column: _plain(value) for column, value in zip(columns, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)
        ]


def _plain(value: object) -> object:
    """Turn pandas' missing markers into None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value
