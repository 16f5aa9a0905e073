"""The Neo4j store against a real Bolt server (ArcadeDB on 127.0.0.1), driven by the official driver."""

import csv
import io
import json
from datetime import date

import pandas as pd
import pytest

from benchmarks.bolt_server import BoltServer
from carecircle.synthetic import generate_dataset
from graph.analysis import analyse, analyse_parts, to_json
from graph.errors import StoreError
from graph.model import TABLES
from graph.stores import open_store
from graph.stores.neo4j import Neo4jStore
from tests.datasets import BASE, ingest, run_cli, write_dataset
from tests.extended_schema import run_extended

pytestmark = pytest.mark.bolt


def store_of(server, database, **options) -> Neo4jStore:
    return Neo4jStore(server.uri, user="root", password=server.password, database=database, **options)


def graph_counts(store: Neo4jStore) -> dict[str, int]:
    """Nodes per label and relationships per type, everything in the database."""
    nodes = store._run("MATCH (n) RETURN labels(n)[0] AS kind, count(*) AS n")
    links = store._run("MATCH ()-[r]->() RETURN type(r) AS kind, count(*) AS n")
    return {row["kind"]: row["n"] for row in nodes + links}


def same_tables(a, b) -> bool:
    return all(a.table(t).reset_index(drop=True).equals(b.table(t).reset_index(drop=True)) for t in TABLES)


def cli(*args, server, cwd, password=None):
    return run_cli(
        *args, cwd=cwd, env={"NEO4J_USERNAME": "root", "NEO4J_PASSWORD": password or server.password}
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bolt-data")
    generate_dataset(folder / "vignettes", residents=7, seed=1, as_of=date(2024, 6, 1))
    generate_dataset(folder / "municipality", residents=2000, seed=5, as_of=date(2024, 6, 1))
    return folder


# --- loading --------------------------------------------------------------------------------------


def test_a_snapshot_round_trips_and_loading_it_twice_changes_nothing(bolt_server, bolt_database, tmp_path):
    snapshot = ingest(write_dataset(tmp_path / "data")).snapshot
    with store_of(bolt_server, bolt_database) as store:
        store.save(snapshot, {"files": {}, "note": "first"})
        first = graph_counts(store)
        store.save(snapshot, {"files": {}, "note": "second"})
        assert graph_counts(store) == first
        assert first == {
            "Snapshot": 1,
            "ReportPart": 1,
            "Organisation": 2,
            "Neighbourhood": 2,
            "Resident": 2,
            "Helper": 4,
            "LIVES_IN": 2,
            "WORKS_FOR": 2,
            "SUPPORTS": 4,
            "KNOWS_ABOUT": 2,
        }
        assert same_tables(store.load(), snapshot)
        assert store.report() == {"files": {}, "note": "second"}
        [info] = store.snapshots()
        assert (info.as_of, info.name, info.counts["support"]) == (date(2017, 6, 1), "Test", 4)
        names = {row["name"] for row in store._run("SHOW CONSTRAINTS YIELD name RETURN name")}
        assert {"carecircle_resident", "carecircle_helper", "carecircle_snapshot"} <= names


def test_snapshots_stay_apart_and_a_new_ingest_of_a_date_replaces_it(bolt_server, bolt_database, tmp_path):
    june = ingest(write_dataset(tmp_path / "june")).snapshot
    july = ingest(write_dataset(tmp_path / "july"), as_of=date(2017, 7, 1)).snapshot
    changed = write_dataset(
        tmp_path / "changed", {"residents.csv": BASE["residents.csv"] + "R3,Haven,Meneer Nieuw,,1950,true,\n"}
    )
    with store_of(bolt_server, bolt_database) as store:
        store.save(june, {})
        store.save(july, {})
        assert [i.as_of for i in store.snapshots()] == [date(2017, 6, 1), date(2017, 7, 1)]
        store.save(ingest(changed).snapshot, {})
        assert store.neighbourhoods(date(2017, 6, 1)) == ["Filmwijk", "Haven", "Stedenwijk"]
        assert store.neighbourhoods(date(2017, 7, 1)) == ["Filmwijk", "Stedenwijk"]
        assert same_tables(store.load(date(2017, 7, 1)), july)
        # the replaced version is gone, not hidden
        assert graph_counts(store)["Snapshot"] == 2 and graph_counts(store)["Resident"] == 5
        with pytest.raises(StoreError, match="no snapshot of 2018-01-01; stored: 2017-06-01, 2017-07-01"):
            store.load(date(2018, 1, 1))


def test_the_hook_before_a_snapshot_becomes_visible_sees_what_it_replaces_and_a_failing_one_hides_it(
    bolt_server, bolt_database, tmp_path
):
    june = ingest(write_dataset(tmp_path / "june")).snapshot
    changed = ingest(
        write_dataset(
            tmp_path / "changed",
            {"residents.csv": BASE["residents.csv"] + "R3,Haven,Meneer Nieuw,,1950,true,\n"},
        )
    ).snapshot
    seen = []

    def refuse(replaced):
        seen.append(replaced)
        raise OSError(28, "No space left on device")

    with store_of(bolt_server, bolt_database) as store:
        assert store.save(june, {"note": "june"}, before_commit=seen.append) is None
        [first] = store.snapshots()
        with pytest.raises(OSError, match="No space left"):
            store.save(changed, {"note": "refused"}, before_commit=refuse)
        # what readers see is as it was: the refused version stays hidden, as after an interrupted load
        assert store.snapshots() == [first]
        assert store.report() == {"note": "june"} and same_tables(store.load(), june)

        report = {"note": "changed"}
        replaced = store.save(changed, report, before_commit=lambda old: report.update(replaced=old.name))
        assert replaced == first and seen == [None, first]
        assert store.report() == {"note": "changed", "replaced": "Test"}
        assert same_tables(store.load(), changed)
        assert graph_counts(store)["Snapshot"] == 1


def csv_text(header: str, rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return buffer.getvalue()


def test_ids_and_names_that_look_like_cypher_are_only_ever_parameters(bolt_server, bolt_database, tmp_path):
    hostile = "H'1\"}) DETACH DELETE n //"
    resident = "R\\1 {x} MATCH (n) RETURN n"
    area = "Stedenwijk'; DROP"
    dataset = write_dataset(
        tmp_path / "data",
        {
            "helpers.csv": csv_text(
                "helper_id,role,name,organisation_id,relation",
                [
                    [hostile, "district_nurse", 'O\'Brien "the nurse" {x}', "ORG1", ""],
                    ["H2", "household_help", "`MERGE` \\", "ORG2", ""],
                    ["H3", "informal_caregiver", "Carla", "", "child"],
                    ["H4", "volunteer", "Dirk", "", ""],
                ],
            ),
            "residents.csv": csv_text(
                "resident_id,neighbourhood,name,bsn,birth_year,lives_alone,needs",
                [
                    [resident, area, "} RETURN 1 //", "", "1933", "true", "household|nursing"],
                    ["R2", "Filmwijk", "Meneer Jansen", "", "1940", "false", ""],
                ],
            ),
            "support.csv": csv_text(
                "helper_id,resident_id,domains,hours_per_week,start_date,end_date,funding,delegated_by",
                [
                    [hostile, resident, "nursing", "2.5", "2017-01-01", "", "zvw", ""],
                    ["H2", resident, "household", "3", "2017-01-01", "", "wmo", ""],
                    ["H4", "R2", "administration", "1.5", "", "", "informal", ""],
                ],
            ),
            "awareness.csv": csv_text(
                "helper_id,about_helper_id,resident_id,level,last_contact,contact_every_days,observed_on",
                [["H2", hostile, resident, "coordinating", "2017-05-20", "14", ""]],
            ),
        },
    )
    result = ingest(dataset)
    assert result.report.rejected == []
    snapshot = result.snapshot
    assert hostile in set(snapshot.helpers["helper_id"]) and resident in set(
        snapshot.residents["resident_id"]
    )
    with store_of(bolt_server, bolt_database) as store:
        store.save(snapshot, {"files": {}})
        back = store.load()
        assert same_tables(back, snapshot)
        assert to_json(analyse(back)) == to_json(analyse(snapshot))
        part = store.load(None, area)
        assert list(part.residents["resident_id"]) == [resident]
        assert graph_counts(store)["Helper"] == 4


# --- the same analysis as the embedded store --------------------------------------------------------


@pytest.mark.parametrize("dataset", ["vignettes", "municipality"])
def test_analyze_gives_the_same_json_as_the_embedded_store(
    bolt_server, bolt_database, generated, tmp_path, dataset
):
    folder = generated / dataset
    uri = bolt_server.uri
    assert cli("ingest", str(folder), "--store", "local.db", server=bolt_server, cwd=tmp_path).returncode == 0
    loaded = cli(
        "ingest", str(folder), "--store", uri, "--database", bolt_database, server=bolt_server, cwd=tmp_path
    )
    assert loaded.returncode == 0, loaded.stderr
    embedded = cli("analyze", "--store", "local.db", server=bolt_server, cwd=tmp_path)
    server = cli("analyze", "--store", uri, "--database", bolt_database, server=bolt_server, cwd=tmp_path)
    assert server.returncode == 0, server.stderr
    assert json.loads(server.stdout) == json.loads(embedded.stdout)
    document = json.loads(server.stdout)
    assert {"R-PIQUE", "R-EMMEN-4"} <= {gap["resident_id"] for gap in document["gaps"]}
    policy = cli(
        "analyze",
        "--store",
        uri,
        "--database",
        bolt_database,
        "--role",
        "policy",
        server=bolt_server,
        cwd=tmp_path,
    )
    assert json.loads(policy.stdout) == json.loads(
        cli("analyze", "--store", "local.db", "--role", "policy", server=bolt_server, cwd=tmp_path).stdout
    )


def test_one_neighbourhood_at_a_time_equals_the_whole(bolt_server, bolt_database, generated):
    snapshot = ingest(generated / "municipality").snapshot
    with store_of(bolt_server, bolt_database) as store:
        store.save(snapshot, {})
        part = store.load(None, "Stedenwijk")
        expected = snapshot.part(
            set(snapshot.residents.query("neighbourhood == 'Stedenwijk'")["resident_id"])
        )
        for table in TABLES:
            ours, theirs = part.table(table), expected.table(table)
            key = list(TABLES[table][:2])
            assert (
                ours.sort_values(key)
                .reset_index(drop=True)
                .equals(theirs.sort_values(key).reset_index(drop=True))
            )
        parts = (store.load(None, area) for area in store.neighbourhoods())
        assert to_json(analyse_parts(parts, snapshot.as_of)) == to_json(analyse(snapshot))


def test_the_dashboard_reads_the_server_store(bolt_server, bolt_database, generated, monkeypatch):
    from dashboards import ids
    from dashboards.app import create_app
    from tests.dashboard_support import post_callback, response_text

    with store_of(bolt_server, bolt_database) as store:
        store.save(ingest(generated / "vignettes").snapshot, {"files": {}, "rejected": [], "warnings": []})
    monkeypatch.setenv("NEO4J_USERNAME", "root")
    monkeypatch.setenv("NEO4J_PASSWORD", bolt_server.password)
    app = create_app(bolt_server.uri, database=bolt_database)
    client = app.server.test_client()
    inputs = {"snapshot-select.value": "2024-06-01", "circle-resident-id.data": "R-PIQUE"}
    circle = post_callback(client, app, ids.CIRCLE_CONTENT, inputs)
    assert circle.status_code == 200 and "Mevrouw Piqué" in response_text(circle)


# --- faults ------------------------------------------------------------------------------------


def test_server_not_running_wrong_password_unknown_database_are_one_line_errors(bolt_server, tmp_path):
    from benchmarks.bolt_server import free_port

    closed = f"bolt://127.0.0.1:{free_port()}"
    down = cli("analyze", "--store", closed, server=bolt_server, cwd=tmp_path)
    assert down.returncode == 2
    assert down.stderr.startswith(f"error: {closed}: cannot reach the Neo4j server")
    assert len(down.stderr.strip().splitlines()) == 1 and "Traceback" not in down.stderr
    wrong = cli(
        "analyze", "--store", bolt_server.uri, server=bolt_server, cwd=tmp_path, password="not-the-password"
    )
    assert wrong.returncode == 2
    assert "the server refused user 'root': check NEO4J_USERNAME and NEO4J_PASSWORD" in wrong.stderr
    assert "not-the-password" not in wrong.stderr
    missing = cli(
        "analyze", "--store", bolt_server.uri, "--database", "nosuchdb", server=bolt_server, cwd=tmp_path
    )
    assert missing.returncode == 2 and "the server has no database 'nosuchdb'" in missing.stderr
    with pytest.raises(StoreError, match="set NEO4J_PASSWORD"):
        open_store("bolt://127.0.0.1:7687", environ={})


@pytest.mark.slow
def test_a_load_interrupted_by_the_server_stopping_completes_when_run_again(tmp_path):
    generate_dataset(tmp_path / "data", residents=500, seed=9, as_of=date(2024, 6, 1))
    generate_dataset(tmp_path / "vignettes", residents=7, seed=1, as_of=date(2024, 6, 1))
    snapshot = ingest(tmp_path / "data").snapshot
    earlier = ingest(tmp_path / "vignettes", as_of=date(2024, 3, 1)).snapshot
    server = BoltServer(tmp_path / "root").start()
    try:
        database = server.create_database("crash")
        with store_of(server, database) as store:
            store.save(earlier, {})
            before = graph_counts(store)
        batches = []

        def stop_the_server(what, rows):
            batches.append(what)
            if len(batches) == 6:
                server.kill()

        interrupted = store_of(server, database, batch_size=200, on_batch=stop_the_server, retry_seconds=1)
        with interrupted, pytest.raises(StoreError, match="cannot reach the Neo4j server"):
            interrupted.save(snapshot, {})
        assert len(batches) == 6
        server.start()
        with store_of(server, database) as store:
            # readers see what was there before the interrupted load
            assert [i.as_of for i in store.snapshots()] == [date(2024, 3, 1)]
            assert same_tables(store.load(), earlier)
            assert graph_counts(store) != before  # the interrupted version's rows are there, hidden
            store.save(snapshot, {})
            after = graph_counts(store)
            assert [i.as_of for i in store.snapshots()] == [date(2024, 3, 1), date(2024, 6, 1)]
            assert same_tables(store.load(date(2024, 6, 1)), snapshot)
        reference = server.create_database("reference")
        with store_of(server, reference) as store:
            store.save(earlier, {})
            store.save(snapshot, {})
            assert graph_counts(store) == after
    finally:
        server.stop()


def test_dates_lists_and_missing_values_come_back_as_they_went_in(bolt_server, bolt_database, tmp_path):
    snapshot = ingest(write_dataset(tmp_path / "data")).snapshot
    with store_of(bolt_server, bolt_database) as store:
        store.save(snapshot, {})
        back = store.load()
    support = back.support.set_index("helper_id")
    assert support.loc["H1", "start_date"] == date(2017, 1, 1) and support.loc["H1", "end_date"] is None
    assert support.loc["H3", "domains"] == ("meals", "social_contact")
    assert isinstance(support.loc["H4", "hours_per_week"], float)
    residents = back.residents.set_index("resident_id")
    assert residents.loc["R2", "needs"] is None and residents.loc["R1", "lives_alone"] is True
    assert isinstance(back.residents, pd.DataFrame) and back.residents["birth_year"].tolist() == [1933, 1940]


@pytest.mark.slow
def test_new_columns_of_every_type_round_trip_through_the_server(bolt_server, bolt_database, tmp_path):
    """Columns of every type added to the schema (tests/extended_schema.py) load and read back."""
    server = {
        "uri": bolt_server.uri,
        "user": "root",
        "password": bolt_server.password,
        "database": bolt_database,
    }
    result = run_extended(tmp_path, bolt=server)
    assert result["neo4j"]["extra"] == result["ingest"]
    assert result["neo4j"]["equal"] and result["neo4j"]["part_equal"]
