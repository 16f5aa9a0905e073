"""Stores behind one small interface: the embedded SQLite file by default (SPEC §7)."""

import os
from collections.abc import Mapping
from pathlib import Path

from carecircle.errors import StoreError
from graph.stores.base import SnapshotInfo, Store
from graph.stores.sqlite import SqliteStore

__all__ = ["SnapshotInfo", "SqliteStore", "Store", "open_store"]

_SERVER_SCHEMES = ("bolt://", "neo4j://", "bolt+s://", "neo4j+s://", "bolt+ssc://", "neo4j+ssc://")


def open_store(uri: str, *, database: str | None = None, environ: Mapping[str, str] | None = None) -> Store:
    """Return the store a URI names: a file path or ``sqlite:///PATH`` for the embedded store,
    ``bolt://``, ``neo4j://``, ``bolt+s://`` or ``neo4j+s://`` for a Neo4j server.

    For a server, the user and password come from ``NEO4J_USERNAME`` (default ``neo4j``) and
    ``NEO4J_PASSWORD``, and ``database`` names the database (the server's default when None).
    Nothing is connected until the store is first used.

    Raises
    ------
    StoreError
        For a URI this version cannot use.

    Examples
    --------
    >>> open_store("sqlite:///tmp/carecircle.db").path
    PosixPath('/tmp/carecircle.db')
    >>> open_store("data/carecircle.db").path
    PosixPath('data/carecircle.db')
    """
    if uri.startswith("sqlite://"):
        path = uri.removeprefix("sqlite://")
        if not path.startswith("/"):
            raise StoreError(f"{uri}: write sqlite:///PATH (three slashes, then the path)")
        return SqliteStore(Path(path[1:] if path.startswith("//") else path))
    if uri.startswith(_SERVER_SCHEMES):
        from graph.stores.neo4j import Neo4jStore

        variables = os.environ if environ is None else environ
        password = variables.get("NEO4J_PASSWORD")
        if not password:
            raise StoreError(f"{uri}: set NEO4J_PASSWORD (and NEO4J_USERNAME) to reach the Neo4j server")
        return Neo4jStore(
            uri, user=variables.get("NEO4J_USERNAME", "neo4j"), password=password, database=database
        )
    if "://" in uri:
        raise StoreError(f"{uri}: unknown store URI; use a file path or sqlite:///PATH")
    return SqliteStore(Path(uri))
