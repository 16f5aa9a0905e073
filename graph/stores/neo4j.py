"""The Neo4j store: snapshots in a Neo4j 5 graph over Bolt, for a whole municipality (SPEC §7).

The graph
    ``(:Snapshot)`` one per stored version of a snapshot date, with its state, report and counts;
    ``(:Resident)-[:LIVES_IN]->(:Neighbourhood)``, ``(:Helper)-[:WORKS_FOR]->(:Organisation)``,
    ``(:Helper)-[:SUPPORTS]->(:Resident)`` one per support row, and
    ``(:Helper)-[:KNOWS_ABOUT {resident_id}]->(:Helper)`` one per awareness row.
    Every node, and every SUPPORTS and KNOWS_ABOUT relationship, carries the ``version`` of its
    snapshot: snapshots stay apart (LIVES_IN and WORKS_FOR join nodes of one version).

Loading
    A version is the snapshot date plus a digest of its content. Its rows go in with batched
    ``UNWIND … MERGE`` (uniqueness constraints make each MERGE a lookup), each batch in its own
    transaction, while the version's state is ``loading``; readers see only ``complete``
    versions. One last transaction marks it complete and any other version of the same date
    superseded; superseded versions are then deleted in batches. So an interrupted load leaves
    what readers see as it was, and running the same ingest again completes it without
    duplicates (the same content gives the same version and the same keys).

Queries take parameters only: no data is ever written into Cypher text.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

import pandas as pd

from graph.errors import StoreError
from graph.model import TABLES, Snapshot
from graph.schema import SCHEMA
from graph.stores.base import BeforeCommit, OneConnection, SnapshotInfo

__all__ = ["Neo4jStore", "snapshot_version"]

BATCH_SIZE = 2000
#: the report is stored in parts of this many characters (Bolt servers cap one message, e.g. at 16 MiB)
REPORT_PART = 1_000_000
#: the labels of the tables whose rows are nodes (each keyed by its id column)
_ENTITIES = tuple(table.node.capitalize() for table in SCHEMA.values() if table.node is not None)
_SCHEMA = [
    "CREATE CONSTRAINT carecircle_snapshot IF NOT EXISTS FOR (n:Snapshot) REQUIRE n.version IS UNIQUE",
    *(
        f"CREATE CONSTRAINT carecircle_{label.lower()} IF NOT EXISTS FOR (n:{label}) REQUIRE n.uid IS UNIQUE"
        for label in (*_ENTITIES, "Neighbourhood", "ReportPart")
    ),
    *(
        f"CREATE INDEX carecircle_{label.lower()}_version IF NOT EXISTS FOR (n:{label}) ON (n.version)"
        for label in (*_ENTITIES, "Neighbourhood", "ReportPart")
    ),
    "CREATE INDEX carecircle_resident_area IF NOT EXISTS FOR (n:Resident) ON (n.area)",
    "CREATE INDEX carecircle_snapshot_as_of IF NOT EXISTS FOR (n:Snapshot) ON (n.as_of)",
    "CREATE INDEX carecircle_knows_area IF NOT EXISTS FOR ()-[k:KNOWS_ABOUT]-() ON (k.area)",
]


def snapshot_version(snapshot: Snapshot) -> str:
    """The version of a snapshot: its date and a digest of everything in it.

    Examples
    --------
    >>> snapshot_version(Snapshot("demo", date(2017, 6, 1)))[:11]
    '2017-06-01/'
    """
    digest = hashlib.sha256(snapshot.name.encode())
    for table in TABLES:
        frame = snapshot.table(table)
        digest.update(table.encode())
        for row in frame.itertuples(index=False, name=None):
            digest.update(json.dumps(row, default=str, ensure_ascii=False).encode())
    return f"{snapshot.as_of.isoformat()}/{digest.hexdigest()[:20]}"


class Neo4jStore(OneConnection):
    """Snapshots in a Neo4j 5 database, reached with the official driver over Bolt.

    Nothing connects until the store is first used.

    Parameters
    ----------
    uri : str
        ``bolt://``, ``neo4j://``, ``bolt+s://`` or ``neo4j+s://`` address of the server.
    user, password : str
        Credentials (``NEO4J_USERNAME``, ``NEO4J_PASSWORD`` on the command line).
    database : str, optional
        The database to use; the server's default when None.
    batch_size : int
        Rows per ``UNWIND`` transaction.
    on_batch : callable, optional
        Called after each committed batch with (what, rows so far); for progress display.
    retry_seconds : float
        How long a write is retried while the server is briefly unavailable.
    """

    def __init__(
        self,
        uri: str,
        *,
        user: str,
        password: str,
        database: str | None = None,
        batch_size: int = BATCH_SIZE,
        on_batch: Callable[[str, int], None] | None = None,
        retry_seconds: float = 30.0,
    ) -> None:
        self.uri, self.user, self.database = uri, user, database
        self._password = password
        self.batch_size = batch_size
        self.on_batch = on_batch
        self.retry_seconds = retry_seconds
        self._connection = None

    # --- connection ------------------------------------------------------------------------

    def _driver(self):
        if self._connection is None:
            import neo4j

            try:
                driver = neo4j.GraphDatabase.driver(
                    self.uri, auth=(self.user, self._password), max_transaction_retry_time=self.retry_seconds
                )
            except (ValueError, neo4j.exceptions.ConfigurationError) as error:
                raise StoreError(code="neo4j_address", path=self.uri, detail=str(error)) from error
            with self._translated_errors():
                driver.verify_connectivity()
            self._connection = driver
        return self._connection

    def _run(self, query: str, **parameters) -> list[dict]:
        """Run one read query in a session of the store's database; return its records as dicts."""
        with self._translated_errors():
            records, _, _ = self._driver().execute_query(query, parameters, database_=self.database)
        return [record.data() for record in records]

    def _write(self, query: str, **parameters) -> list[dict]:
        """Run one query in its own write transaction."""
        import neo4j

        with self._translated_errors():
            records, _, _ = self._driver().execute_query(
                query, parameters, database_=self.database, routing_=neo4j.RoutingControl.WRITE
            )
        return [record.data() for record in records]

    def _translated_errors(self):
        return _DriverErrors(self)

    # --- writing ---------------------------------------------------------------------------

    def save(
        self, snapshot: Snapshot, report: dict, before_commit: BeforeCommit | None = None
    ) -> SnapshotInfo | None:
        """Store ``snapshot`` as a new version of its date; readers see it once it is complete.

        ``before_commit`` is called when every row is in, before the report is written and the
        last transaction makes the version visible, with the complete snapshot of the same date
        that it will replace (or None); ``report`` is stored as it leaves it. If it raises, the
        new version stays hidden, as after an interrupted load. Returns the replaced snapshot.
        """
        version = snapshot_version(snapshot)
        for statement in _SCHEMA:
            self._write(statement)
        self._remove_superseded()
        self._write(
            "MERGE (s:Snapshot {version: $version}) ON CREATE SET s.state = 'loading'"
            " SET s.as_of = $as_of, s.name = $name",
            version=version,
            as_of=snapshot.as_of,
            name=snapshot.name,
        )
        for statement, rows, what in _load_plan(snapshot, version):
            self._in_batches(statement, rows, what)
        replaced = self._complete(snapshot.as_of)
        if before_commit is not None:
            before_commit(replaced)
        text = json.dumps(report, ensure_ascii=False, default=str)
        starts = range(0, max(len(text), 1), REPORT_PART)
        for index, start in enumerate(starts):
            self._write(
                "MERGE (p:ReportPart {uid: $uid}) SET p.version = $version, p.index = $index, p.text = $text",
                uid=f"{version}|{index}",
                version=version,
                index=index,
                text=text[start : start + REPORT_PART],
            )
        counts = {table: len(snapshot.table(table)) for table in TABLES}
        self._write(
            "MATCH (s:Snapshot {version: $version})"
            " SET s.state = 'complete', s.ingested_at = $now, s.counts = $counts, s.report_parts = $parts"
            " WITH s"
            " MATCH (other:Snapshot {as_of: $as_of}) WHERE other.version <> $version"
            " SET other.state = 'superseded'",
            version=version,
            as_of=snapshot.as_of,
            now=datetime.now(UTC).isoformat(timespec="microseconds"),
            counts=json.dumps(counts),
            parts=len(starts),
        )
        self._remove_superseded()
        return replaced

    def _complete(self, as_of: date) -> SnapshotInfo | None:
        """The complete snapshot of ``as_of`` that readers see now (the latest, should a load of
        the same date have completed meanwhile), or None."""
        infos = self._infos(as_of)
        return infos[-1] if infos else None

    def _in_batches(self, statement: str, rows: list[dict], what: str) -> None:
        for start in range(0, len(rows), self.batch_size):
            self._write(statement, rows=rows[start : start + self.batch_size])
            if self.on_batch is not None:
                self.on_batch(what, min(start + self.batch_size, len(rows)))

    def _remove_superseded(self) -> None:
        """Delete superseded versions, batch by batch (safe to interrupt and run again)."""
        for record in self._run("MATCH (s:Snapshot {state: 'superseded'}) RETURN s.version AS version"):
            for label in (*_ENTITIES, "Neighbourhood", "ReportPart"):
                while self._write(
                    f"MATCH (n:{label} {{version: $version}}) WITH n LIMIT $limit"
                    " DETACH DELETE n RETURN count(*) AS deleted",
                    version=record["version"],
                    limit=self.batch_size,
                )[0]["deleted"]:
                    pass
            self._write("MATCH (s:Snapshot {version: $version}) DELETE s", version=record["version"])

    # --- reading ---------------------------------------------------------------------------

    def snapshots(self) -> list[SnapshotInfo]:
        """Every complete snapshot, oldest first."""
        return self._infos(None)

    def _infos(self, as_of: date | None) -> list[SnapshotInfo]:
        """The complete snapshots (of ``as_of`` only, unless None), oldest first."""
        records = self._run(
            "MATCH (s:Snapshot {state: 'complete'}) WHERE $as_of IS NULL OR s.as_of = $as_of"
            " RETURN s.as_of AS as_of, s.name AS name, s.ingested_at AS ingested_at, s.counts AS counts"
            " ORDER BY s.as_of, s.ingested_at",
            as_of=as_of,
        )
        return [
            SnapshotInfo(_native(r["as_of"]), r["name"], r["ingested_at"], json.loads(r["counts"]))
            for r in records
        ]

    def _find(self, as_of: date | None) -> dict:
        records = self._run(
            "MATCH (s:Snapshot {state: 'complete'})"
            " WHERE $as_of IS NULL OR s.as_of = $as_of"
            " RETURN s.version AS version, s.as_of AS as_of, s.name AS name, s.report_parts AS report_parts"
            " ORDER BY s.as_of DESC LIMIT 1",
            as_of=as_of,
        )
        if records:
            return records[0]
        stored = [info.as_of.isoformat() for info in self.snapshots()]
        if not stored:
            raise StoreError(code="empty", path=self.uri)
        raise StoreError(code="no_snapshot", path=self.uri, as_of=as_of.isoformat(), stored=", ".join(stored))

    def report(self, as_of: date | None = None) -> dict:
        """The ingest report stored with the snapshot of ``as_of`` (the newest when None)."""
        found = self._find(as_of)
        parts = self._run(
            "MATCH (p:ReportPart {version: $version}) RETURN p.text AS text ORDER BY p.index",
            version=found["version"],
        )
        if len(parts) != found["report_parts"]:
            raise StoreError(code="report_incomplete", path=self.uri, version=found["version"])
        return json.loads("".join(part["text"] for part in parts))

    def neighbourhoods(self, as_of: date | None = None) -> list[str]:
        """The neighbourhoods of the snapshot of ``as_of`` (the newest when None), sorted."""
        version = self._find(as_of)["version"]
        records = self._run(
            "MATCH (n:Neighbourhood {version: $version}) RETURN n.id AS name ORDER BY name", version=version
        )
        return [r["name"] for r in records]

    def load(self, as_of: date | None = None, neighbourhood: str | None = None) -> Snapshot:
        """The snapshot of ``as_of`` (the newest when None); with ``neighbourhood``, the part of it
        that neighbourhood's analysis needs (see :meth:`Snapshot.part`)."""
        found = self._find(as_of)
        version = found["version"]
        area = None if neighbourhood is None else f"{version}|{neighbourhood}"
        snapshot = Snapshot(found["name"], _native(found["as_of"]))
        for table in ("residents", "support", "awareness"):
            records = self._run(_READ[table][area is not None], version=version, area=area)
            setattr(snapshot, table, _frame(table, records))
        if area is None:
            helpers = self._run(_READ["helpers"], version=version)
            organisations = self._run(_READ["organisations"], version=version)
        else:
            named = snapshot.named_helpers()
            helpers = self._run(_READ["helpers_by_uid"], uids=[f"{version}|{h}" for h in sorted(named)])
            wanted = {h["organisation_id"] for h in helpers if h["organisation_id"] is not None}
            organisations = self._run(
                _READ["organisations_by_uid"], uids=[f"{version}|{o}" for o in sorted(wanted)]
            )
        snapshot.helpers = _frame("helpers", helpers)
        snapshot.organisations = _frame("organisations", organisations)
        return snapshot


class _DriverErrors:
    """Turns the driver's exceptions into one-line store errors (never with the password)."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _traceback) -> bool:
        if error is None:
            return False
        import neo4j.exceptions as errors

        uri, user = self.store.uri, self.store.user
        if isinstance(error, errors.AuthError):
            raise StoreError(code="refused_user", path=uri, user=user) from error
        if isinstance(error, errors.ServiceUnavailable | errors.SessionExpired):
            raise StoreError(code="unreachable", path=uri, detail=_first_line(error)) from error
        if isinstance(error, errors.Neo4jError):
            if "DatabaseNotFound" in (error.code or ""):
                raise StoreError(code="no_database", path=uri, database=self.store.database) from error
            raise StoreError(
                code="server_said", path=uri, detail=f"{error.code}: {_first_line(error)}"
            ) from error
        if isinstance(error, errors.DriverError):
            raise StoreError(f"{uri}: {type(error).__name__}: {_first_line(error)}") from error
        return False


def _first_line(error: Exception) -> str:
    text = getattr(error, "message", None) or str(error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


# --- what is written ---------------------------------------------------------------------------


def _load_plan(snapshot: Snapshot, version: str) -> Iterable[tuple[str, list[dict], str]]:
    """(statement, rows, what) for every batch kind, nodes before the relationships between them."""
    key = f"{version}|"
    residents, helpers = snapshot.records("residents"), snapshot.records("helpers")
    area_of = {row["resident_id"]: row["neighbourhood"] for row in residents}
    yield (
        "UNWIND $rows AS row MERGE (n:Organisation {uid: row.uid}) SET n += row.props",
        [
            _node(key, i, row, "organisation_id", version)
            for i, row in enumerate(snapshot.records("organisations"))
        ],
        "organisations",
    )
    yield (
        "UNWIND $rows AS row MERGE (n:Neighbourhood {uid: row.uid})"
        " SET n.id = row.id, n.version = row.version",
        [{"uid": key + area, "id": area, "version": version} for area in sorted(set(area_of.values()))],
        "neighbourhoods",
    )
    yield (
        "UNWIND $rows AS row MERGE (n:Resident {uid: row.uid}) SET n += row.props",
        [
            _node(key, i, row, "resident_id", version, area=key + row["neighbourhood"])
            for i, row in enumerate(residents)
        ],
        "residents",
    )
    yield (
        "UNWIND $rows AS row MERGE (n:Helper {uid: row.uid}) SET n += row.props",
        [_node(key, i, row, "helper_id", version) for i, row in enumerate(helpers)],
        "helpers",
    )
    yield (
        "UNWIND $rows AS row MATCH (r:Resident {uid: row.resident}) MATCH (n:Neighbourhood {uid: row.area})"
        " MERGE (r)-[:LIVES_IN]->(n)",
        [{"resident": key + row["resident_id"], "area": key + row["neighbourhood"]} for row in residents],
        "lives_in",
    )
    yield (
        "UNWIND $rows AS row MATCH (h:Helper {uid: row.helper})"
        " MATCH (o:Organisation {uid: row.organisation}) MERGE (h)-[:WORKS_FOR]->(o)",
        [
            {"helper": key + row["helper_id"], "organisation": key + row["organisation_id"]}
            for row in helpers
            if row["organisation_id"] is not None
        ],
        "works_for",
    )
    yield (
        "UNWIND $rows AS row MATCH (h:Helper {uid: row.source}) MATCH (r:Resident {uid: row.target})"
        " MERGE (h)-[s:SUPPORTS {uid: row.uid}]->(r) SET s += row.props",
        _row_relationships(snapshot, "support", version, area_of),
        "support",
    )
    yield (
        "UNWIND $rows AS row MATCH (a:Helper {uid: row.source}) MATCH (b:Helper {uid: row.target})"
        " MERGE (a)-[k:KNOWS_ABOUT {uid: row.uid}]->(b) SET k += row.props",
        _row_relationships(snapshot, "awareness", version, area_of),
        "awareness",
    )


def _row_relationships(snapshot: Snapshot, table: str, version: str, area_of: dict[str, str]) -> list[dict]:
    """One relationship per row of ``table`` (support, awareness) between the nodes of its two
    ends, carrying the row's other values, its position, and its resident's neighbourhood."""
    ends = SCHEMA[table].ends
    source, target = ends
    key = f"{version}|"
    return [
        {
            "source": key + row[source],
            "target": key + row[target],
            "uid": f"{key}{table}:{i}",
            "props": {
                **_properties(row, ends),
                "row": i,
                "version": version,
                "area": key + area_of[row["resident_id"]],
            },
        }
        for i, row in enumerate(snapshot.records(table))
    ]


def _node(key: str, index: int, row: dict, id_column: str, version: str, **extra) -> dict:
    return {
        "uid": key + row[id_column],
        "props": {
            **_properties(row, (id_column,)),
            "id": row[id_column],
            "row": index,
            "version": version,
            **extra,
        },
    }


def _properties(row: dict, leave_out: tuple[str, ...]) -> dict:
    """A row's values as Neo4j properties: lists (a snapshot's tuples) as lists, dates as dates,
    missing left out."""
    properties = {}
    for column, value in row.items():
        if column in leave_out or value is None:
            continue
        properties[column] = list(value) if isinstance(value, tuple) else value
    return properties


# --- what is read ------------------------------------------------------------------------------


def _returned(variable: str, table: str) -> str:
    """The RETURN items of a table's columns kept as properties of ``variable`` (not its key or ends)."""
    given = {SCHEMA[table].key, *(SCHEMA[table].ends or ())}
    return ", ".join(f"{variable}.{c} AS {c}" for c in TABLES[table] if c not in given)


_READ = {
    "residents": (
        f"MATCH (r:Resident {{version: $version}})"
        f" RETURN r.id AS resident_id, {_returned('r', 'residents')} ORDER BY r.row",
        f"MATCH (r:Resident {{area: $area}}) RETURN r.id AS resident_id, {_returned('r', 'residents')}"
        " ORDER BY r.row",
    ),
    "support": tuple(
        f"MATCH (h:Helper)-[s:SUPPORTS]->(r:Resident {{{anchor}}})"
        f" RETURN h.id AS helper_id, r.id AS resident_id, {_returned('s', 'support')} ORDER BY s.row"
        for anchor in ("version: $version", "area: $area")
    ),
    "awareness": (
        "MATCH (a:Helper {version: $version})-[k:KNOWS_ABOUT]->(b:Helper)"
        f" RETURN a.id AS helper_id, b.id AS about_helper_id, {_returned('k', 'awareness')} ORDER BY k.row",
        "MATCH (a:Helper)-[k:KNOWS_ABOUT {area: $area}]->(b:Helper)"
        f" RETURN a.id AS helper_id, b.id AS about_helper_id, {_returned('k', 'awareness')} ORDER BY k.row",
    ),
    "helpers": "MATCH (h:Helper {version: $version})"
    f" RETURN h.id AS helper_id, {_returned('h', 'helpers')} ORDER BY h.row",
    "helpers_by_uid": "UNWIND $uids AS uid MATCH (h:Helper {uid: uid})"
    f" RETURN h.id AS helper_id, {_returned('h', 'helpers')} ORDER BY h.row",
    "organisations": "MATCH (o:Organisation {version: $version})"
    f" RETURN o.id AS organisation_id, {_returned('o', 'organisations')} ORDER BY o.row",
    "organisations_by_uid": "UNWIND $uids AS uid MATCH (o:Organisation {uid: uid})"
    f" RETURN o.id AS organisation_id, {_returned('o', 'organisations')} ORDER BY o.row",
}


def _frame(table: str, records: list[dict]) -> pd.DataFrame:
    columns = SCHEMA[table].stored_columns
    rows = [[column.form.restored(record.get(column.name)) for column in columns] for record in records]
    return pd.DataFrame(rows, columns=[column.name for column in columns], dtype=object)


def _native(value: object) -> date:
    """A date from the driver (neo4j.time.Date) as a datetime.date."""
    return value.to_native() if hasattr(value, "to_native") else value
