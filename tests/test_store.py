"""The embedded SQLite store: snapshots, replacement, errors, and all-or-nothing saves."""

import os
import sqlite3
from datetime import date

import pandas as pd
import pytest

from graph.errors import StoreError
from graph.model import Snapshot
from graph.stores import SqliteStore, open_store
from graph.stores import sqlite as sqlite_module
from graph.stores.sqlite_faults import store_error


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


def _many_rows(count: int) -> Snapshot:
    snapshot = Snapshot("Stedenwijk", date(2017, 6, 1))
    snapshot.residents = pd.DataFrame(
        [
            {
                "resident_id": f"R{i:03}",
                "neighbourhood": ("Stedenwijk", "Filmwijk", "Haven")[i % 3],
                "name": f"Naam {i}" if i % 5 == 0 else None,
                "bsn_pseudonym": None,
                "birth_year": None if i % 7 == 0 else 1900 + i % 90,
                "lives_alone": (True, False, None)[i % 3],
                "needs": None if i % 4 == 0 else ("household", "nursing", "meals")[: 1 + i % 3],
            }
            for i in range(count)
        ],
        dtype=object,
    )
    snapshot.support = pd.DataFrame(
        [
            {
                "helper_id": f"H{i % 40}",
                "resident_id": f"R{i:03}",
                "domains": ("household",) if i % 2 else ("meals", "nursing"),
                "hours_per_week": None if i % 6 == 0 else (i % 9) / 2,
                "start_date": date(2017, 1, 1 + i % 28) if i % 4 else None,
                "end_date": None,
                "funding": "wmo" if i % 3 else None,
                "delegated_by": None,
            }
            for i in range(count)
        ],
        dtype=object,
    )
    return snapshot


def test_more_rows_than_one_insert_takes_are_all_stored_in_order_in_their_sql_form(tmp_path):
    snapshot = _many_rows(250)  # 124 resident rows or 111 support rows fit in one INSERT
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(snapshot, {})
    connection = sqlite3.connect(path)
    residents = connection.execute(
        "SELECT resident_id, name, birth_year, typeof(birth_year), lives_alone, needs FROM residents"
        " ORDER BY rowid"
    ).fetchall()
    assert residents == [
        (
            row["resident_id"],
            row["name"],
            row["birth_year"],
            "null" if row["birth_year"] is None else "integer",
            None if row["lives_alone"] is None else int(row["lives_alone"]),
            None if row["needs"] is None else "|".join(row["needs"]),
        )
        for row in snapshot.records("residents")
    ]
    support = connection.execute(
        "SELECT domains, hours_per_week, typeof(hours_per_week), start_date FROM support ORDER BY rowid"
    ).fetchall()
    assert support == [
        (
            "|".join(row["domains"]),
            row["hours_per_week"],
            "null" if row["hours_per_week"] is None else "real",
            None if row["start_date"] is None else row["start_date"].isoformat(),
        )
        for row in snapshot.records("support")
    ]
    with SqliteStore(path) as store:
        loaded = store.load()
    for table in ("residents", "support"):
        assert loaded.records(table) == snapshot.records(table)


def test_lists_and_nan_in_a_hand_made_frame_are_stored_like_tuples_and_none(tmp_path):
    snapshot = _many_rows(3)
    snapshot.residents["needs"] = [["household", "meals"], None, ("nursing",)]
    snapshot.support["hours_per_week"] = pd.Series([2.5, float("nan"), 4.0])  # as pandas makes them
    with SqliteStore(tmp_path / "store.db") as store:
        store.save(snapshot, {})
        loaded = store.load()
    assert loaded.residents["needs"].tolist() == [("household", "meals"), None, ("nursing",)]
    assert loaded.support["hours_per_week"].tolist() == [2.5, None, 4.0]


def test_a_neighbourhood_part_is_what_the_whole_snapshot_holds_of_it_with_or_without_the_indexes(tmp_path):
    snapshot = _many_rows(240)
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(snapshot, {})
        whole = store.load()

    def parts() -> dict[str, dict]:
        with SqliteStore(path) as store:
            return {area: _tables(store.load(None, area)) for area in store.neighbourhoods()}

    areas = whole.residents.groupby("neighbourhood")["resident_id"]
    expected = {area: _tables(whole.part(set(residents))) for area, residents in areas}
    assert sorted(expected) == ["Filmwijk", "Haven", "Stedenwijk"]
    assert parts() == expected
    with sqlite3.connect(path) as connection:  # a store saved before the by-resident indexes existed
        connection.execute("DROP INDEX support_by_resident")
    assert parts() == expected


def test_a_store_made_before_a_column_was_declared_reads_it_as_empty_and_gains_it_when_saved_to(tmp_path):
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(_many_rows(9), {})
    with sqlite3.connect(path) as connection:  # as if lives_alone was declared after the store was made
        connection.execute("ALTER TABLE residents DROP COLUMN lives_alone")
    newer = _many_rows(9)
    newer.as_of = date(2017, 7, 1)
    with SqliteStore(path) as store:
        assert store.load().residents["lives_alone"].tolist() == [None] * 9
        store.save(newer, {})
    with SqliteStore(path) as store:
        assert store.load(date(2017, 6, 1)).residents["lives_alone"].tolist() == [None] * 9
        assert store.load(date(2017, 7, 1)).records("residents") == newer.records("residents")


def _tables(snapshot: Snapshot) -> dict[str, list[dict]]:
    return {table: snapshot.records(table) for table in ("residents", "helpers", "support", "awareness")}


# --- the store's own troubles (SPEC §4) -------------------------------------------------------------


def test_the_hook_sees_what_is_replaced_a_failing_one_changes_no_byte_and_the_report_is_stored_as_it_left_it(
    tmp_path,
):
    path = tmp_path / "store.db"
    seen = []
    with SqliteStore(path) as store:
        assert store.save(_snapshot(date(2017, 6, 1), 4), {"n": 1}, before_commit=seen.append) is None
        [first] = store.snapshots()
    before = path.read_bytes()

    def refuse(replaced):
        seen.append(replaced)
        raise OSError(28, "No space left on device")

    with SqliteStore(path) as store, pytest.raises(OSError, match="No space left"):
        store.save(_snapshot(date(2017, 6, 1), 9), {"n": 2}, before_commit=refuse)
    assert path.read_bytes() == before

    report = {"n": 3}
    with SqliteStore(path) as store:
        replaced = store.save(
            _snapshot(date(2017, 6, 1), 2), report, before_commit=lambda old: report.update(replaced=old.name)
        )
        assert [(i.as_of, i.counts["residents"]) for i in store.snapshots()] == [(date(2017, 6, 1), 2)]
        assert store.report() == {"n": 3, "replaced": "Stedenwijk"}
    assert seen == [None, first] and replaced == first


def _overwrite_page(path, number: int) -> None:
    """Fill page ``number`` (1-based) of a store file with 0xFF, as a failing disk might."""
    with path.open("r+b") as handle:
        handle.seek((number - 1) * 4096)
        handle.write(b"\xff" * 4096)


def test_the_first_read_of_a_file_finds_damage_where_that_read_would_not_look(tmp_path):
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(_many_rows(600), {})
    with sqlite3.connect(path) as connection:
        [root] = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'support'").fetchone()
    _overwrite_page(path, root)  # snapshots() counts the rows through an index, not this table
    with SqliteStore(path) as store, pytest.raises(StoreError) as raised:
        store.snapshots()
    assert raised.value.code == "damaged"
    assert str(raised.value).startswith(f"the store {path} is damaged (quick_check: ")


def test_damage_is_looked_for_once_per_version_of_the_file_and_a_read_that_meets_it_says_damaged(tmp_path):
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(_many_rows(600), {})
    with SqliteStore(path) as store:
        store.check()
    found = path.stat()
    with path.open("r+b") as handle:  # damage every page but the schema's, keeping size and time
        handle.seek(4096)
        handle.write(b"\xff" * (found.st_size - 4096))
    os.utime(path, ns=(found.st_atime_ns, found.st_mtime_ns))

    with SqliteStore(path) as store:
        store.check()  # this version of the file was found undamaged: not read again
        with pytest.raises(StoreError) as raised:
            store.load()
    assert (raised.value.code, raised.value.params["detail"]) == ("damaged", "SQLITE_CORRUPT")
    os.utime(path)  # a new version of the file
    with SqliteStore(path) as store, pytest.raises(StoreError, match="is damaged"):
        store.check()


def _sqlite_error(code: int, name: str) -> sqlite3.Error:
    error = sqlite3.OperationalError(name.lower())
    error.sqlite_errorcode, error.sqlite_errorname = code, name
    return error


@pytest.mark.parametrize(
    ("code", "name", "writing", "expected"),
    [
        (sqlite3.SQLITE_CORRUPT, "SQLITE_CORRUPT", False, "damaged"),
        (779, "SQLITE_CORRUPT_INDEX", True, "damaged"),
        (sqlite3.SQLITE_NOTADB, "SQLITE_NOTADB", False, "damaged"),  # the file starts like a database
        (sqlite3.SQLITE_BUSY, "SQLITE_BUSY", True, "locked"),
        (517, "SQLITE_BUSY_SNAPSHOT", False, "locked"),
        (sqlite3.SQLITE_LOCKED, "SQLITE_LOCKED", True, "locked"),
        (sqlite3.SQLITE_READONLY, "SQLITE_READONLY", True, "read_only"),
        (sqlite3.SQLITE_READONLY_DIRECTORY, "SQLITE_READONLY_DIRECTORY", True, "read_only"),
        (sqlite3.SQLITE_PERM, "SQLITE_PERM", True, "read_only"),
        (sqlite3.SQLITE_CANTOPEN, "SQLITE_CANTOPEN", True, "read_only"),
        (sqlite3.SQLITE_CANTOPEN, "SQLITE_CANTOPEN", False, "cannot_open"),
        (sqlite3.SQLITE_FULL, "SQLITE_FULL", True, "disk_full"),
        (778, "SQLITE_IOERR_WRITE", True, "disk_error"),
        (1, "SQLITE_ERROR", False, "failed"),
    ],
)
def test_every_failure_of_sqlite_becomes_a_store_error_by_its_result_code(
    tmp_path, code, name, writing, expected
):
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(_snapshot(date(2017, 6, 1)), {})
    error = store_error(_sqlite_error(code, name), path, writing=writing, busy_timeout=2.5)
    assert error.code == expected
    assert str(path) in str(error) and str(path) in error.message("nl")
    if expected == "locked":
        assert "for 2.5 s" in str(error) and "al 2,5 s" in error.message("nl")  # Dutch decimal comma


def test_a_file_that_does_not_start_like_a_database_is_not_a_store_rather_than_damaged(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("resident_id,neighbourhood\n")
    error = store_error(
        _sqlite_error(sqlite3.SQLITE_NOTADB, "SQLITE_NOTADB"), path, writing=False, busy_timeout=30
    )
    assert error.code == "not_a_store"
    assert str(error) == (
        f"{path}: not a carecircle store (SQLITE_NOTADB); if it was one, it is damaged:"
        " restore it from a backup"
    )


def test_the_busy_timeout_is_30_seconds_unless_carecircle_busy_timeout_says_otherwise(tmp_path):
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(_snapshot(date(2017, 6, 1)), {})

    def waits(environ: dict) -> int:
        with open_store(str(path), environ=environ) as store:
            store.snapshots()
            return store._connection.execute("PRAGMA busy_timeout").fetchone()[0]

    assert waits({}) == 30_000
    assert waits({"CARECIRCLE_BUSY_TIMEOUT": "0.25"}) == 250
    for unusable in ("soon", "-1", "nan", "inf"):
        with pytest.raises(StoreError) as raised:
            open_store(str(path), environ={"CARECIRCLE_BUSY_TIMEOUT": unusable})
        assert raised.value.code == "busy_timeout"


def test_a_snapshots_table_sizes_are_counted_once_and_anew_when_it_is_replaced(tmp_path):
    path = tmp_path / "store.db"
    with SqliteStore(path) as store:
        store.save(_snapshot(date(2024, 6, 1), residents=3), {})
    counted: list[str] = []
    for residents in (None, None, 5):
        if residents is not None:  # the same date again: a new snapshot
            with SqliteStore(path) as store:
                store.save(_snapshot(date(2024, 6, 1), residents=residents), {})
        with SqliteStore(path) as store:
            store._connect(create=False).set_trace_callback(counted.append)
            (info,) = store.snapshots()
        assert info.counts["residents"] == (residents or 3)
    counts = [statement for statement in counted if "COUNT(*)" in statement]
    # five tables counted for the first snapshot, not again on the second read, and anew after replacing
    assert len(counts) == 2 * 5
