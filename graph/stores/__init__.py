"""Stores behind one small interface: the embedded SQLite file by default (SPEC §7)."""

import os
from collections.abc import Mapping
from pathlib import Path

from graph.errors import StoreError
from graph.stores.base import BeforeCommit, SnapshotInfo, Store
from graph.stores.sqlite import BUSY_TIMEOUT, SqliteStore

__all__ = ["BUSY_TIMEOUT", "BeforeCommit", "SnapshotInfo", "SqliteStore", "Store", "open_store"]

_SERVER_SCHEMES = ("bolt://", "neo4j://", "bolt+s://", "neo4j+s://", "bolt+ssc://", "neo4j+ssc://")


def open_store(uri: str, *, database: str | None = None, environ: Mapping[str, str] | None = None) -> Store:
    """Return the store a URI names: a file path or ``sqlite:///PATH`` for the embedded store,
    ``bolt://``, ``neo4j://``, ``bolt+s://`` or ``neo4j+s://`` for a Neo4j server.

    For a server, the user and password come from ``NEO4J_USERNAME`` (default ``neo4j``) and
    ``NEO4J_PASSWORD``, and ``database`` names the database (the server's default when None).
    For the embedded store, ``CARECIRCLE_BUSY_TIMEOUT`` sets how many seconds it waits while
    another program writes to the file (default :data:`BUSY_TIMEOUT`, 30).
    Nothing is connected until the store is first used.

    Raises
    ------
    StoreError
        For a URI this version cannot use, or a busy timeout that is not a number of seconds.

    Examples
    --------
    >>> open_store("sqlite:///tmp/carecircle.db").path
    PosixPath('/tmp/carecircle.db')
    >>> open_store("data/carecircle.db").path
    PosixPath('data/carecircle.db')
    >>> open_store("data/carecircle.db", environ={"CARECIRCLE_BUSY_TIMEOUT": "2.5"}).busy_timeout
    2.5
    """
    variables = os.environ if environ is None else environ
    if uri.startswith("sqlite://"):
        path = uri.removeprefix("sqlite://")
        if not path.startswith("/"):
            raise StoreError(code="sqlite_uri", path=uri)
        return SqliteStore(
            Path(path[1:] if path.startswith("//") else path), busy_timeout=_busy_timeout(variables)
        )
    if uri.startswith(_SERVER_SCHEMES):
        from graph.stores.neo4j import Neo4jStore

        password = variables.get("NEO4J_PASSWORD")
        if not password:
            raise StoreError(code="no_password", path=uri)
        return Neo4jStore(
            uri, user=variables.get("NEO4J_USERNAME", "neo4j"), password=password, database=database
        )
    if "://" in uri:
        raise StoreError(code="unknown_uri", path=uri)
    return SqliteStore(Path(uri), busy_timeout=_busy_timeout(variables))


def _busy_timeout(variables: Mapping[str, str]) -> float:
    """Seconds from ``CARECIRCLE_BUSY_TIMEOUT``, else :data:`BUSY_TIMEOUT`."""
    text = variables.get("CARECIRCLE_BUSY_TIMEOUT", "").strip()
    if not text:
        return BUSY_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise StoreError(code="busy_timeout", found=text)
    return seconds
