"""Stores behind one small interface: the embedded SQLite file by default (SPEC §7)."""

from pathlib import Path

from carecircle.errors import StoreError
from graph.stores.base import SnapshotInfo, Store
from graph.stores.sqlite import SqliteStore

__all__ = ["SnapshotInfo", "SqliteStore", "Store", "open_store"]

_SERVER_SCHEMES = ("bolt://", "neo4j://", "bolt+s://", "neo4j+s://", "bolt+ssc://", "neo4j+ssc://")


def open_store(uri: str) -> Store:
    """Return the store a URI names: a file path or ``sqlite:///PATH`` for the embedded store.

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
        raise StoreError(
            f"{uri}: Neo4j stores are not supported by this version of carecircle yet;"
            " use a file path for the embedded store"
        )
    if "://" in uri:
        raise StoreError(f"{uri}: unknown store URI; use a file path or sqlite:///PATH")
    return SqliteStore(Path(uri))
