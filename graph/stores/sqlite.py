"""The embedded store: one SQLite file holding any number of snapshots (SPEC §7)."""

import contextlib
import itertools
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from graph.errors import StoreError
from graph.model import TABLES, Snapshot
from graph.schema import SCHEMA, Column, Form
from graph.stores.base import BeforeCommit, OneConnection, SnapshotInfo
from graph.stores.sqlite_faults import check_once, folder_error, raise_if_damaged, store_error, translating

__all__ = ["BUSY_TIMEOUT", "SqliteStore"]

#: seconds a store waits for another program (another ingest) to finish writing before giving up
BUSY_TIMEOUT = 30.0

#: the layout of the file: a table per table of :data:`~graph.schema.SCHEMA` with its stored columns
#: (a column declared after a store was made is added to it by the next save; until then it reads
#: as empty), plus ``snapshots``
_SCHEMA_VERSION = 1
#: the SQL type of a column, by the form of its values (anything else is TEXT)
_SQL_TYPES = {"integer": "INTEGER", "decimal": "REAL", "boolean": "INTEGER"}
#: parameters in one INSERT: every SQLite build takes 999 (newer ones more)
_MAX_PARAMETERS = 999


class SqliteStore(OneConnection):
    """Snapshots in one SQLite file; each save is one transaction.

    Every failure of SQLite (a damaged file, a lock held too long, a read-only file or folder,
    a full disk) is raised as a :class:`StoreError` with a code (see :func:`store_error`). The
    file is checked for damage (:meth:`check`) before each save and when it is first read.

    Parameters
    ----------
    path : Path
        The store file; created (with its folder) on the first save.
    busy_timeout : float
        Seconds to wait while another program writes to the file, before the ``locked`` error.

    Examples
    --------
    >>> import tempfile
    >>> from graph.model import Snapshot
    >>> folder = tempfile.mkdtemp()
    >>> with SqliteStore(Path(folder) / "store.db") as store:
    ...     store.save(Snapshot("demo", date(2017, 6, 1)), {"files": {}})
    ...     replaced = store.save(Snapshot("again", date(2017, 6, 1)), {"files": {}})
    ...     [info.as_of for info in store.snapshots()], replaced.name
    ([datetime.date(2017, 6, 1)], 'demo')
    """

    def __init__(self, path: Path, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._connection: sqlite3.Connection | None = None
        self._entity_cache: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}

    @translating(writing=True)
    def save(
        self, snapshot: Snapshot, report: dict, before_commit: BeforeCommit | None = None
    ) -> SnapshotInfo | None:
        """Write ``snapshot`` in one transaction, replacing a snapshot with the same ``as_of``.

        The file is checked for damage first, inside the transaction, before anything changes.
        ``before_commit`` is called right before COMMIT with the replaced snapshot (or None);
        ``report`` is stored as it leaves it. Any failure, of SQLite or of ``before_commit``,
        rolls everything back. Returns the replaced snapshot, or None.
        """
        connection = self._connect(create=True)
        self._entity_cache = {}
        try:
            connection.execute("BEGIN IMMEDIATE")
            raise_if_damaged(connection, self.path)
            _add_new_columns(connection)
            for statement in _PART_INDEXES:  # also for stores made before these indexes existed
                connection.execute(statement)
            replaced = _stored_info(connection, snapshot.as_of)
            connection.execute("DELETE FROM snapshots WHERE as_of = ?", (snapshot.as_of.isoformat(),))
            cursor = connection.execute(
                "INSERT INTO snapshots (as_of, name, ingested_at, report) VALUES (?, ?, ?, '{}')",
                (
                    snapshot.as_of.isoformat(),
                    snapshot.name,
                    datetime.now(UTC).isoformat(timespec="microseconds"),
                ),
            )
            snapshot_id = cursor.lastrowid
            for table, columns in TABLES.items():
                _insert(connection, table, columns, _rows(snapshot_id, snapshot.table(table), table))
            if before_commit is not None:
                before_commit(replaced)
            connection.execute(
                "UPDATE snapshots SET report = ? WHERE id = ?",
                (json.dumps(report, ensure_ascii=False, default=str), snapshot_id),
            )
            connection.execute("COMMIT")
        except BaseException:
            _abandon(connection)
            raise
        return replaced

    @translating(writing=False)
    def check(self) -> None:
        """Raise the ``damaged`` StoreError if SQLite's ``PRAGMA quick_check`` finds damage.

        Every store runs it when it first reads a file (60,000 residents, 47 MB: 0.07 s), at
        most once per version of the file (device, inode, size, modification time) in a
        process: a later call, from any store, on an unchanged file costs one ``stat``. A read
        that meets damage the check did not see raises the same error.
        """
        check_once(self._connect(create=False), self.path)

    @translating(writing=False)
    def snapshots(self) -> list[SnapshotInfo]:
        """Return every stored snapshot, oldest first."""
        connection = self._connect(create=False)
        return [
            _info(connection, *row)
            for row in connection.execute(
                "SELECT id, as_of, name, ingested_at FROM snapshots ORDER BY as_of"
            ).fetchall()
        ]

    @translating(writing=False)
    def load(self, as_of: date | None = None, neighbourhood: str | None = None) -> Snapshot:
        """Return the snapshot of ``as_of`` (the newest when None); with ``neighbourhood``, only
        that neighbourhood's residents, their support and awareness rows, and the helpers and
        organisations those rows name."""
        connection = self._connect(create=False)
        snapshot_id, found_as_of, name = self._find(as_of)[:3]
        snapshot = Snapshot(name, date.fromisoformat(found_as_of))
        indexed = neighbourhood is not None and self._indexed_parts()
        for table in ("residents", "support", "awareness"):
            where, parameters = _part_filter(table, snapshot_id, neighbourhood)
            source = _indexed_source(table) if indexed else table
            setattr(snapshot, table, _read_frame(connection, table, where, parameters, source))
        helpers, organisations = self._entities(snapshot_id)
        if neighbourhood is not None:
            helpers = helpers[helpers["helper_id"].isin(snapshot.named_helpers())]
            wanted = set(helpers["organisation_id"].dropna())
            organisations = organisations[organisations["organisation_id"].isin(wanted)]
        snapshot.helpers = helpers.reset_index(drop=True)
        snapshot.organisations = organisations.reset_index(drop=True)
        return snapshot

    def _indexed_parts(self) -> bool:
        """Whether the by-resident indexes exist (stores saved before they did lack them)."""
        names = list(_PART_INDEX_NAMES.values())
        placeholders = ", ".join("?" * len(names))
        found = self._connect(create=False).execute(
            f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ({placeholders})", names
        )
        return found.fetchone()[0] == len(names)

    def _entities(self, snapshot_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """A snapshot's helpers and organisations, read once: every neighbourhood's part needs them."""
        if snapshot_id not in self._entity_cache:
            connection = self._connect(create=False)
            where, parameters = "snapshot_id = ?", (snapshot_id,)
            self._entity_cache = {
                snapshot_id: (
                    _read_frame(connection, "helpers", where, parameters),
                    _read_frame(connection, "organisations", where, parameters),
                )
            }
        return self._entity_cache[snapshot_id]

    @translating(writing=False)
    def neighbourhoods(self, as_of: date | None = None) -> list[str]:
        """The neighbourhoods of the snapshot of ``as_of`` (the newest when None), sorted."""
        snapshot_id = self._find(as_of)[0]
        rows = self._connect(create=False).execute(
            "SELECT DISTINCT neighbourhood FROM residents WHERE snapshot_id = ? ORDER BY neighbourhood",
            (snapshot_id,),
        )
        return [row[0] for row in rows]

    @translating(writing=False)
    def report(self, as_of: date | None = None) -> dict:
        """Return the ingest report stored with the snapshot of ``as_of`` (the newest when None)."""
        return json.loads(self._find(as_of)[3])

    def _find(self, as_of: date | None) -> tuple:
        connection = self._connect(create=False)
        if as_of is None:
            row = connection.execute(
                "SELECT id, as_of, name, report FROM snapshots ORDER BY as_of DESC LIMIT 1"
            ).fetchone()
        else:
            row = connection.execute(
                "SELECT id, as_of, name, report FROM snapshots WHERE as_of = ?",
                (as_of.isoformat(),),
            ).fetchone()
        if row is None:
            available = [r[0] for r in connection.execute("SELECT as_of FROM snapshots ORDER BY as_of")]
            if not available:
                raise StoreError(code="empty", path=self.path)
            raise StoreError(
                code="no_snapshot", path=self.path, as_of=as_of.isoformat(), stored=", ".join(available)
            )
        return row

    def _connect(self, *, create: bool) -> sqlite3.Connection:
        """The store's connection, opened (and the file checked, or made) when first needed."""
        if self._connection is not None:
            return self._connection
        if not create and not self.path.exists():
            raise StoreError(code="missing", path=self.path)
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise folder_error(error, self.path) from error
        connection = None
        try:
            connection = sqlite3.connect(self.path, isolation_level=None, timeout=self.busy_timeout)
            connection.execute("PRAGMA foreign_keys = ON")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                _create_schema(connection)
            elif version != _SCHEMA_VERSION:
                raise StoreError(code="format", path=self.path, found=version, expected=_SCHEMA_VERSION)
            if not create:
                check_once(connection, self.path)
        except BaseException as error:
            if connection is not None:
                connection.close()
            if isinstance(error, sqlite3.Error):
                raise store_error(error, self.path, writing=create, busy_timeout=self.busy_timeout) from error
            raise
        self._connection = connection
        return connection


def _abandon(connection: sqlite3.Connection) -> None:
    """Undo a failed save. (After some failures, a full disk, SQLite has rolled back already and
    plays its journal back when the connection is closed or next read.) A failure of the rollback
    itself is not reported: the one that made the save fail is."""
    if connection.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")


def _stored_info(connection: sqlite3.Connection, as_of: date) -> SnapshotInfo | None:
    """The stored snapshot of ``as_of``, or None."""
    row = connection.execute(
        "SELECT id, as_of, name, ingested_at FROM snapshots WHERE as_of = ?", (as_of.isoformat(),)
    ).fetchone()
    return None if row is None else _info(connection, *row)


#: the table sizes of stored snapshots, by (database file, snapshot id, ingest time): a stored
#: snapshot never changes, and counting its rows on every request (the dashboard lists the
#: snapshots for each one) took 20 ms at 30,000 residents in three snapshots
_COUNTS: dict[tuple[str, int, str], dict[str, int]] = {}
_COUNTS_KEPT = 1_000


def _info(
    connection: sqlite3.Connection, snapshot_id: int, as_of: str, name: str, ingested_at: str
) -> SnapshotInfo:
    key = (_database_file(connection), snapshot_id, ingested_at)
    counts = _COUNTS.get(key)
    if counts is None:
        counts = {
            table: connection.execute(
                f"SELECT COUNT(*) FROM {table} WHERE snapshot_id = ?", (snapshot_id,)
            ).fetchone()[0]
            for table in TABLES
        }
        if len(_COUNTS) >= _COUNTS_KEPT:
            _COUNTS.pop(next(iter(_COUNTS)))
        _COUNTS[key] = counts
    return SnapshotInfo(date.fromisoformat(as_of), name, ingested_at, dict(counts))


def _database_file(connection: sqlite3.Connection) -> str:
    """The file of the connection's main database, as SQLite resolved it."""
    return connection.execute("PRAGMA database_list").fetchone()[2]


_RESIDENTS_OF_AREA = "SELECT resident_id FROM residents WHERE snapshot_id = ? AND neighbourhood = ?"


def _part_filter(table: str, snapshot_id: int, neighbourhood: str | None) -> tuple[str, tuple]:
    """The WHERE clause (and its parameters) that selects the rows of residents, support or
    awareness of one neighbourhood (of all without one)."""
    if neighbourhood is None:
        return "snapshot_id = ?", (snapshot_id,)
    area = (snapshot_id, neighbourhood)
    if table == "residents":
        return "snapshot_id = ? AND neighbourhood = ?", area
    return f"snapshot_id = ? AND resident_id IN ({_RESIDENTS_OF_AREA})", (snapshot_id, *area)


def _indexed_source(table: str) -> str:
    """The table to read one neighbourhood's rows from, told to use its by-resident index.

    SQLite's planner otherwise picks the by-snapshot index and scans every row of the snapshot
    once per neighbourhood (0.9 s instead of 0.5 s for 60,000 residents in nine neighbourhoods).
    """
    if table not in _PART_INDEX_NAMES:
        return table
    return f"{table} INDEXED BY {_PART_INDEX_NAMES[table]}"


def _read_frame(
    connection: sqlite3.Connection, table: str, where: str, parameters: tuple, source: str | None = None
) -> pd.DataFrame:
    """The rows of ``table`` (read from ``source``, the table by default) that ``where`` selects,
    in stored order, as a snapshot table. A column the file lacks (declared after the store was
    made, and no save since) reads as empty."""
    columns = SCHEMA[table].stored_columns
    present = _columns_in_file(connection, table)
    selected = ", ".join(c.name if c.name in present else f"NULL AS {c.name}" for c in columns)
    rows = connection.execute(
        f"SELECT {selected} FROM {source or table} WHERE {where} ORDER BY rowid", parameters
    ).fetchall()
    frame = pd.DataFrame(rows, columns=[column.name for column in columns], dtype=object)
    for column in columns:
        if column.form.name != "text":
            cells = _from_sql(frame[column.name].tolist(), column.form)
            frame[column.name] = pd.Series(cells, index=frame.index, dtype=object)
    return frame


def _columns_in_file(connection: sqlite3.Connection, table: str) -> set[str]:
    """The columns the store file's ``table`` has."""
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}


def _column_definition(column: Column) -> str:
    return f"{column.name} {_SQL_TYPES.get(column.form.name, 'TEXT')}"


def _add_new_columns(connection: sqlite3.Connection) -> None:
    """Add to the file's tables the columns declared since it was made (inside a save's transaction)."""
    for table in TABLES:
        present = _columns_in_file(connection, table)
        for column in SCHEMA[table].stored_columns:
            if column.name not in present:
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {_column_definition(column)}")


#: rows of one resident (one neighbourhood's part) without scanning the whole snapshot
_PART_INDEX_NAMES = {table: f"{table}_by_resident" for table in ("support", "awareness")}
_PART_INDEXES = tuple(
    f"CREATE INDEX IF NOT EXISTS {index} ON {table} (snapshot_id, resident_id)"
    for table, index in _PART_INDEX_NAMES.items()
)


def _create_schema(connection: sqlite3.Connection) -> None:
    statements = [
        "CREATE TABLE IF NOT EXISTS snapshots (id INTEGER PRIMARY KEY, as_of TEXT NOT NULL UNIQUE,"
        " name TEXT NOT NULL, ingested_at TEXT NOT NULL, report TEXT NOT NULL)"
    ]
    for table in TABLES:
        definitions = ", ".join(_column_definition(column) for column in SCHEMA[table].stored_columns)
        key = SCHEMA[table].key
        primary = f", PRIMARY KEY (snapshot_id, {key})" if key else ""
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {table} (snapshot_id INTEGER NOT NULL"
            f" REFERENCES snapshots(id) ON DELETE CASCADE, {definitions}{primary})"
        )
        if not key:
            statements.append(f"CREATE INDEX IF NOT EXISTS {table}_by_snapshot ON {table} (snapshot_id)")
    connection.execute("BEGIN IMMEDIATE")
    for statement in statements:
        connection.execute(statement)
    connection.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
    connection.execute("COMMIT")


def _rows(snapshot_id: int, frame: pd.DataFrame, table: str) -> Iterator[tuple]:
    """The rows to store, ``(snapshot_id, value, ...)``, converted a whole column at a time."""
    values = [_sql_values(frame[column.name], column.form) for column in SCHEMA[table].stored_columns]
    return zip(itertools.repeat(snapshot_id), *values)


def _sql_values(values: pd.Series, form: Form) -> list:
    """The SQL form of one column (its form's ``flat`` value); None stays None.

    Each distinct value is converted once: dates, lists and numbers repeat a lot. (Equal
    values convert alike; only -0.0 and 0.0 are equal yet differ, and SQLite stores both as 0.0.)
    """
    cells = values.tolist()
    if form.name == "text":
        return cells
    convert = form.flat
    try:
        codes, distinct = pd.factorize(values)
    except TypeError:  # unhashable cells (lists rather than tuples): one at a time
        return [None if cell is None else convert(cell) for cell in cells]
    converted = np.array([*map(convert, distinct), None], dtype=object)[codes]  # code -1: missing
    for position in np.flatnonzero(codes == -1):  # None, but also NaN or NaT, converted as they are
        if cells[position] is not None:
            converted[position] = convert(cells[position])
    return converted.tolist()


def _insert(
    connection: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: Iterator[tuple]
) -> None:
    """Insert ``rows`` (each ``snapshot_id`` and then ``columns``), many rows per statement.

    One INSERT of a hundred rows is much quicker than a hundred of one; the rows keep
    their order, and so their rowids.
    """
    width = len(columns) + 1
    batch = _MAX_PARAMETERS // width
    row = f"({', '.join('?' * width)})"
    head = f"INSERT INTO {table} (snapshot_id, {', '.join(columns)}) VALUES "
    full = head + ", ".join([row] * batch)
    while parameters := list(itertools.chain.from_iterable(itertools.islice(rows, batch))):
        count = len(parameters) // width
        connection.execute(full if count == batch else head + ", ".join([row] * count), parameters)


def _from_sql(values: list, form: Form) -> list:
    """Stored cells back to Python values; each distinct value is converted once."""
    converted = {value: form.restored(value) for value in set(values)}
    return [converted[value] for value in values]
