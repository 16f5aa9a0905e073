"""The embedded SQLite store: snapshots, replacement, errors, and all-or-nothing saves."""

import sqlite3
from datetime import date

import pandas as pd
import pytest

from carecircle.errors import StoreError
from graph.model import Snapshot
from graph.stores import SqliteStore, open_store
from graph.stores import sqlite as sqlite_module


def _snapshot(as_of: date, residents: int = 3) -> Snapshot:
    snapshot = Snapshot("Stedenwijk", as_of)
    snapshot.residents = pd.DataFrame(
        [
            {
                "resident_id": f"R{i}",
                "neighbourhood": "Stedenwijk",
                "name": None,
                "bsn_pseudonym": None,
                "birth_year": 1930 + i,
                "lives_alone": i % 2 == 0,
                "needs": ("household", "nursing"),
            }
            for i in range(residents)
        ],
        dtype=object,
    )
    return snapshot


def test_several_snapshots_live_in_one_file_and_newest_is_default(tmp_path):
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(_snapshot(date(2017, 6, 1), 2), {"n": 1})
        store.save(_snapshot(date(2017, 1, 1), 3), {"n": 0})
    with SqliteStore(path) as store:
        infos = store.snapshots()
        assert [i.as_of for i in infos] == [date(2017, 1, 1), date(2017, 6, 1)]
        assert [i.counts["residents"] for i in infos] == [3, 2]
        assert store.load().as_of == date(2017, 6, 1)
        assert len(store.load(date(2017, 1, 1)).residents) == 3
        assert store.report(date(2017, 1, 1)) == {"n": 0}
        assert store.load().records("residents")[1]["needs"] == ("household", "nursing")


def test_saving_the_same_as_of_again_replaces_that_snapshot(tmp_path):
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(_snapshot(date(2017, 6, 1), 5), {})
        store.save(_snapshot(date(2017, 6, 1), 2), {})
        assert [i.counts["residents"] for i in store.snapshots()] == [2]
        assert len(store.load().residents) == 2


def test_missing_snapshot_names_what_is_stored(tmp_path):
    with SqliteStore(tmp_path / "store.db") as store:
        store.save(_snapshot(date(2017, 6, 1)), {})
        with pytest.raises(StoreError, match="no snapshot of 2018-01-01; stored: 2017-06-01"):
            store.load(date(2018, 1, 1))


def test_reading_a_missing_store_does_not_create_it(tmp_path):
    path = tmp_path / "absent.db"
    with pytest.raises(StoreError, match="no store here"), SqliteStore(path) as store:
        store.load()
    assert not path.exists()


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    path = tmp_path / "residents.csv"
    path.write_text("resident_id,neighbourhood\nR1,Stedenwijk\n" * 50)
    with pytest.raises(StoreError, match="not a carecircle store"), SqliteStore(path) as store:
        store.load()


def test_a_failed_save_leaves_the_previous_snapshot_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(_snapshot(date(2017, 6, 1), 4), {"first": True})
    original_rows = sqlite_module._rows

    def failing_rows(snapshot_id, frame, columns):
        for number, row in enumerate(original_rows(snapshot_id, frame, columns)):
            if number == 2:
                raise RuntimeError("disk full halfway")
            yield row

    monkeypatch.setattr(sqlite_module, "_rows", failing_rows)
    with SqliteStore(path) as store, pytest.raises(RuntimeError):
        # same as_of: the failed save must not even delete the old snapshot
        store.save(_snapshot(date(2017, 6, 1), 9), {"first": False})
    monkeypatch.undo()
    with SqliteStore(path) as store:
        assert [(i.as_of, i.counts["residents"]) for i in store.snapshots()] == [(date(2017, 6, 1), 4)]
        assert store.report() == {"first": True}
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("postgres://db/x", "unknown store URI"),
        ("sqlite://relative.db", "three slashes"),
        ("bolt://localhost:7687", "set NEO4J_PASSWORD"),
    ],
)
def test_store_uris_this_version_cannot_use_are_refused_clearly(uri, message):
    with pytest.raises(StoreError, match=message):
        open_store(uri, environ={})


@pytest.mark.parametrize("scheme", ["bolt", "neo4j", "bolt+s", "neo4j+s"])
def test_neo4j_uris_open_a_neo4j_store_without_connecting(scheme):
    from graph.stores.neo4j import Neo4jStore

    store = open_store(f"{scheme}://db.example.org:7687", database="wijk", environ={"NEO4J_PASSWORD": "x"})
    assert isinstance(store, Neo4jStore)
    assert (store.user, store.database, store._connection) == ("neo4j", "wijk", None)
