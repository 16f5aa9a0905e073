"""The data schema, declared once: each table's columns, key and file names (SPEC §3).

A column is declared with its name, cell type, whether it is required, its Dutch header names,
the code vocabulary it takes, the table it refers to, and how private it is. Everything else
derives from :data:`SCHEMA`: ingest validation (``ingest.schemas``), the snapshot model
(``graph.model``), the SQLite and Neo4j stores, the graph build and its exports, and the
synthetic generator. Adding a column is one edit here (plus its tests).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph.vocabulary import (
    DOMAINS,
    FUNDING,
    LEVELS,
    ORGANISATION_TYPES,
    RELATIONS,
    ROLES,
    Vocabulary,
    normalise_token,
)

__all__ = ["CELL_TYPES", "SCHEMA", "Column", "Form", "Table", "reading_order"]


@dataclass(frozen=True)
class Form:
    """How a column's values are held: as Python values in a snapshot, and as one flat cell.

    ``flat`` turns a snapshot value into what a flat store holds (SQLite: text for lists and
    dates, numbers as numbers); ``restore`` turns a stored value back, from its flat form or
    from a database driver's own type (a list, a date with ``to_native()``).

    Examples
    --------
    >>> CELL_TYPES["codes"].flat(("meals", "nursing")), CELL_TYPES["codes"].restore("meals|nursing")
    ('meals|nursing', ('meals', 'nursing'))
    >>> CELL_TYPES["date"].restore("2017-06-01"), CELL_TYPES["boolean"].flat(True)
    (datetime.date(2017, 6, 1), 1)
    """

    name: str
    flat: Callable[[Any], object]
    restore: Callable[[Any], object]

    def restored(self, value: object) -> object:
        """:attr:`restore` for a stored value; a missing one (None, NaN) is None."""
        if value is None or (isinstance(value, float) and value != value):
            return None
        return self.restore(value)


def _same(value: object) -> object:
    return value


def _as_tuple(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split("|")) if value else ()
    return tuple(value)


def _as_date(value: object) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value.to_native() if hasattr(value, "to_native") else value


_FORMS = {
    form.name: form
    for form in (
        Form("text", _same, _same),
        Form("integer", int, int),
        Form("decimal", float, float),
        Form("boolean", int, bool),
        Form("date", date.isoformat, _as_date),
        Form("list", "|".join, _as_tuple),
    )
}

#: cell type -> the form its values take. ``id``: text naming a row, never altered; ``text``: free
#: text; ``code``/``codes``: one code, or a ``|``-separated list of codes, of the column's
#: vocabulary; ``bsn``: a citizen service number, read and pseudonymised, never stored.
CELL_TYPES: dict[str, Form] = {
    "id": _FORMS["text"],
    "text": _FORMS["text"],
    "code": _FORMS["text"],
    "codes": _FORMS["list"],
    "integer": _FORMS["integer"],
    "decimal": _FORMS["decimal"],
    "boolean": _FORMS["boolean"],
    "date": _FORMS["date"],
    "bsn": _FORMS["text"],
}

# how private a column can be (see Column)
_PRIVACY = ("open", "personal", "linking", "secret")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name : str
        The canonical name (SPEC §3).
    type : str
        Its cell type, a key of :data:`CELL_TYPES`.
    required : bool
        Whether the input file must have the column and every row a value in it.
    aliases : tuple of str
        Other header names accepted for it (Dutch), matched as :func:`normalise_token` does.
    vocabulary : Vocabulary, optional
        The codes a ``code`` or ``codes`` column takes.
    references : str, optional
        The table whose key this column names; a row naming an unknown row is rejected.
    default : object, optional
        The snapshot value of an empty cell.
    derived_from : str, optional
        The column an ingest computes this one from; such a column is in no input file.
    privacy : {"open", "personal", "linking", "secret"}
        ``open``: anyone may see it; ``personal``: it singles a person out, so policy exports
        leave it out; ``linking``: it links a person across datasets, so no export holds it;
        ``secret``: read from the input only to be pseudonymised, never stored.
    """

    name: str
    type: str = "text"
    required: bool = False
    aliases: tuple[str, ...] = ()
    vocabulary: Vocabulary | None = None
    references: str | None = None
    default: object = None
    derived_from: str | None = None
    privacy: str = "open"
    _names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.type not in CELL_TYPES:
            raise ValueError(f"column {self.name}: unknown cell type {self.type!r}")
        if self.privacy not in _PRIVACY:
            raise ValueError(f"column {self.name}: unknown privacy {self.privacy!r}")
        if self.type in ("code", "codes") and self.vocabulary is None and self.derived_from is None:
            raise ValueError(f"column {self.name}: a {self.type} column read from a file needs a vocabulary")
        names = frozenset({self.name, *(normalise_token(alias) for alias in self.aliases)})
        object.__setattr__(self, "_names", names)

    @property
    def form(self) -> Form:
        """How the column's values are held (see :class:`Form`)."""
        return CELL_TYPES[self.type]

    @property
    def in_file(self) -> bool:
        """Whether the column is read from the input file (it is not derived)."""
        return self.derived_from is None

    @property
    def stored(self) -> bool:
        """Whether the column is in the snapshot, and so in stores (a ``secret`` one is not)."""
        return self.privacy != "secret"

    def matches(self, header: str) -> bool:
        """Return whether a header as written names this column.

        Examples
        --------
        >>> column = Column("birth_year", "integer", aliases=("geboortejaar",))
        >>> [column.matches(header) for header in ("Birth Year", "GEBOORTEJAAR", "jaar")]
        [True, True, False]
        """
        return normalise_token(header) in self._names


@dataclass(frozen=True)
class Table:
    """One table: a file (or sheet) of a dataset, and a table of the snapshot.

    Parameters
    ----------
    name : str
        The canonical name, which is also the file name without ``.csv`` (SPEC §3).
    columns : tuple of Column
        In the order a canonical file, and the snapshot, has them.
    key : str, optional
        The id column: unique per snapshot, what other tables' ``references`` name.
    node : str, optional
        For a table with a key: the graph's node type of its rows (``resident``).
    ends : tuple of str, optional
        For a table of links: the columns of the two nodes a row links (graph edge, Neo4j
        relationship); its other columns are the link's properties.
    required : bool
        Whether every dataset has this file.
    aliases : tuple of str
        Other names of the file or sheet (Dutch), matched as headers are.
    people : bool
        Whether a row is a person: policy exports hide its id and its personal columns.
    """

    name: str
    columns: tuple[Column, ...]
    key: str | None = None
    node: str | None = None
    ends: tuple[str, str] | None = None
    required: bool = True
    aliases: tuple[str, ...] = ()
    people: bool = False

    def __post_init__(self) -> None:
        names = [column.name for column in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"table {self.name}: a column is declared twice")
        for name in (self.key, *(self.ends or ())):
            if name is not None and name not in names:
                raise ValueError(f"table {self.name}: no column {name}")

    def matches(self, name: str) -> bool:
        """Return whether a file name without its extension, or a sheet name, names this table.

        Examples
        --------
        >>> [SCHEMA["residents"].matches(name) for name in ("Residents ", "BEWONERS", "bewoner")]
        [True, True, False]
        """
        key = normalise_token(name)
        return key == self.name or key in {normalise_token(alias) for alias in self.aliases}

    @property
    def file_name(self) -> str:
        """The canonical CSV name, e.g. ``support.csv``."""
        return f"{self.name}.csv"

    @property
    def file_columns(self) -> tuple[Column, ...]:
        """The columns of the input file, in canonical order."""
        return tuple(column for column in self.columns if column.in_file)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the input file's columns, in the order a canonical file has them."""
        return tuple(column.name for column in self.file_columns)

    @property
    def stored_columns(self) -> tuple[Column, ...]:
        """The columns of the snapshot table (and of stores), in order."""
        return tuple(column for column in self.columns if column.stored)


_RESIDENT_ID = ("client_id", "clientnummer", "bewoner_id")
_HELPER_ID = ("hulpverlener_id",)
_NAME = ("naam",)

#: Every table, in the snapshot's order (which is also the order of stores).
SCHEMA: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            "residents",
            (
                Column("resident_id", "id", True, _RESIDENT_ID),
                Column("neighbourhood", "text", True, ("wijk", "buurt")),
                Column("name", "text", aliases=_NAME, privacy="personal"),
                Column("bsn", "bsn", aliases=("burgerservicenummer",), privacy="secret"),
                Column("bsn_pseudonym", "text", derived_from="bsn", privacy="linking"),
                Column("birth_year", "integer", aliases=("geboortejaar",), privacy="personal"),
                Column("lives_alone", "boolean", aliases=("woont_alleen",)),
                Column("needs", "codes", aliases=("behoeften",), vocabulary=DOMAINS),
            ),
            key="resident_id",
            node="resident",
            aliases=("bewoners",),
            people=True,
        ),
        Table(
            "helpers",
            (
                Column("helper_id", "id", True, _HELPER_ID),
                Column("role", "code", True, ("rol",), vocabulary=ROLES),
                Column("kind", "code", derived_from="role"),
                Column("name", "text", aliases=_NAME, privacy="personal"),
                Column("organisation_id", "id", aliases=("organisatie_id",), references="organisations"),
                Column("relation", "code", aliases=("relatie",), vocabulary=RELATIONS, privacy="personal"),
            ),
            key="helper_id",
            node="helper",
            aliases=("hulpverleners",),
            people=True,
        ),
        Table(
            "organisations",
            (
                Column("organisation_id", "id", True, ("organisatie_id",)),
                Column("name", "text", True, _NAME),
                Column("type", "code", aliases=("soort",), vocabulary=ORGANISATION_TYPES),
            ),
            key="organisation_id",
            node="organisation",
            required=False,
            aliases=("organisaties",),
        ),
        Table(
            "support",
            (
                Column("helper_id", "id", True, _HELPER_ID, references="helpers"),
                Column("resident_id", "id", True, _RESIDENT_ID, references="residents"),
                Column("domains", "codes", True, ("domein", "domeinen", "taken"), vocabulary=DOMAINS),
                Column("hours_per_week", "decimal", aliases=("uren_per_week",)),
                Column("start_date", "date", aliases=("startdatum",)),
                Column("end_date", "date", aliases=("einddatum",)),
                Column("funding", "code", aliases=("financiering",), vocabulary=FUNDING),
                Column("delegated_by", "id", aliases=("gedelegeerd_door",), references="helpers"),
            ),
            ends=("helper_id", "resident_id"),
            aliases=("ondersteuning",),
        ),
        Table(
            "awareness",
            (
                Column("helper_id", "id", True, _HELPER_ID, references="helpers"),
                Column(
                    "about_helper_id",
                    "id",
                    True,
                    ("over_helper_id", "over_hulpverlener_id"),
                    references="helpers",
                ),
                Column("resident_id", "id", True, _RESIDENT_ID, references="residents"),
                Column("level", "code", aliases=("niveau",), vocabulary=LEVELS, default="aware"),
                Column("last_contact", "date", aliases=("laatste_contact",)),
                Column("contact_every_days", "integer", aliases=("contact_elke_dagen",)),
                Column("observed_on", "date", aliases=("waargenomen_op",)),
            ),
            ends=("helper_id", "about_helper_id"),
            required=False,
            aliases=("bekendheid",),
        ),
    )
}


def reading_order() -> tuple[str, ...]:
    """The tables in the order an ingest reads them: each after the tables its columns refer to.

    Depth first from the tables nothing refers to, each table's references first, in the order
    of its columns; so an id is known before a row can point at it.

    Raises
    ------
    ValueError
        When tables refer to each other in a circle.

    Examples
    --------
    >>> reading_order()
    ('organisations', 'helpers', 'residents', 'support', 'awareness')
    """
    referred = {column.references for table in SCHEMA.values() for column in table.columns}
    order: dict[str, None] = {}
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            raise ValueError(f"tables refer to each other in a circle through {name}")
        visiting.add(name)
        for column in SCHEMA[name].columns:
            if column.references is not None and column.references != name:
                visit(column.references)
        order[name] = None

    for name in sorted(SCHEMA, key=lambda name: name in referred):  # stable: unreferenced ones first
        visit(name)
    return tuple(order)
