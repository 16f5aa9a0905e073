"""Random valid datasets survive CSV -> ingest -> store -> graph unchanged."""

import networkx as nx
from hypothesis import given, settings

from graph.build import build_graph
from graph.model import TABLES
from graph.stores import SqliteStore
from ingest.pipeline import ingest_dataset
from ingest.pseudonym import Pseudonymiser
from tests.canonical import write_canonical
from tests.strategies import snapshots


@settings(max_examples=60)
@given(snapshot=snapshots())
def test_valid_dataset_survives_csv_ingest_store_and_graph(snapshot, tmp_path_factory):
    folder = write_canonical(snapshot, tmp_path_factory.mktemp("dataset"))
    result = ingest_dataset(folder, pseudonymiser=Pseudonymiser(b"k"))

    assert result.report.rejected == []
    # a table the snapshot leaves empty is written as a header without rows: only that is warned of
    assert sorted((w.file, w.code) for w in result.report.warnings) == sorted(
        (f"{table}.csv", "no_rows") for table in TABLES if not snapshot.records(table)
    )
    for table in TABLES:
        assert result.snapshot.records(table) == snapshot.records(table), table

    store_file = tmp_path_factory.mktemp("store") / "store.db"
    with SqliteStore(store_file) as store:
        store.save(result.snapshot, result.report.as_dict())
    with SqliteStore(store_file) as store:
        loaded = store.load()

    assert (loaded.name, loaded.as_of) == (snapshot.name, snapshot.as_of)
    for table in TABLES:
        assert loaded.records(table) == snapshot.records(table), table
    expected, actual = build_graph(snapshot), build_graph(loaded)
    assert nx.utils.graphs_equal(expected, actual)
    assert sorted(expected.edges(keys=True, data=True), key=repr) == sorted(
        actual.edges(keys=True, data=True), key=repr
    )
