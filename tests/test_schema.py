"""The schema is declared once (graph.schema): every consumer follows it, also for a new column.

Two kinds of tests. The first look at what each consumer derived from the declaration as it is:
every declared column must be read, typed, stored, loaded, drawn, exported and generated.
The second declare extra columns, of every cell type, in a fresh interpreter, and push a
dataset with them through ingest, the SQLite store (a new one and one made before the columns
existed), the graph, its team and policy exports, the analysis and the generator
(tests/extended_schema.py; the Neo4j store is added in tests/test_store_neo4j.py).
"""

import ast
import csv
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from graph.analysis import analyse, to_json
from graph.build import build_graph
from graph.export import export_graph, policy_graph
from graph.model import TABLES, Snapshot
from graph.schema import CELL_TYPES, SCHEMA, reading_order
from graph.stores import SqliteStore
from graph.vocabulary import KINDS, ROLE_KINDS
from ingest.catalogue import render
from ingest.schemas import FILES, ROW_RULES
from tests.datasets import ingest, write_dataset
from tests.extended_schema import CELLS, EXTRA, run_extended

# --- the declaration itself ----------------------------------------------------------------------


def test_references_name_keys_and_derived_columns_name_their_source():
    for table in SCHEMA.values():
        names = [column.name for column in table.columns]
        for column in table.columns:
            if column.references is not None:
                assert SCHEMA[column.references].key is not None, column.name
            if column.derived_from is not None:
                assert column.derived_from in names, column.name
            if column.type in ("code", "codes") and column.in_file:
                assert column.vocabulary is not None, column.name


def test_every_closed_vocabulary_has_a_message_for_a_value_outside_it():
    closed = {
        c.vocabulary.name for t in SCHEMA.values() for c in t.columns if c.vocabulary and c.vocabulary.closed
    }
    assert closed == {"role", "level"}
    for name in closed:
        assert render(f"unknown_{name}", file="x.csv", value="iets").message


def _literal_sequences(path: Path) -> list[list]:
    """Every tuple, list or set of constants written out in a module."""
    return [
        [item.value for item in node.elts]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Tuple | ast.List | ast.Set)
        and all(isinstance(item, ast.Constant) for item in node.elts)
    ]


def test_kinds_are_declared_once_and_every_role_has_one():
    assert set(ROLE_KINDS.values()) == set(KINDS)
    root = Path(__file__).parents[1]
    spelled_out = [
        str(path.relative_to(root))
        for package in ("graph", "ingest", "carecircle", "dashboards")
        for path in sorted((root / package).rglob("*.py"))
        for sequence in _literal_sequences(path)
        if len(sequence) == len(KINDS) and set(sequence) == set(KINDS)
    ]
    assert spelled_out == ["graph/vocabulary.py"]


def test_the_reading_order_puts_each_table_after_the_tables_it_refers_to():
    order = reading_order()
    assert sorted(order) == sorted(SCHEMA) and tuple(FILES) == order
    for table in SCHEMA.values():
        for column in table.columns:
            if column.references is not None:
                assert order.index(column.references) < order.index(table.name), column.name


def test_no_secret_column_reaches_the_snapshot():
    secret = {(t.name, c.name) for t in SCHEMA.values() for c in t.columns if c.privacy == "secret"}
    assert secret == {("residents", "bsn")}
    assert all(column not in TABLES[table] for table, column in secret)


# --- each consumer covers every declared column ------------------------------------------------


def test_ingest_reads_every_file_column_and_the_snapshot_has_every_stored_one(tmp_path):
    for name, table in FILES.items():
        assert table.column_names == tuple(c.name for c in SCHEMA[name].columns if c.derived_from is None)
        schema, reported = ROW_RULES[name]
        assert list(schema.columns) == list(table.column_names)
        assert {column for column, _ in reported.values()} <= set(table.column_names)
    snapshot = ingest(write_dataset(tmp_path)).snapshot
    for name in SCHEMA:
        assert TABLES[name] == tuple(c.name for c in SCHEMA[name].columns if c.privacy != "secret")
        assert tuple(snapshot.table(name).columns) == TABLES[name], name


def test_the_sqlite_tables_have_every_stored_column_with_its_type(tmp_path):
    sql_types = {"integer": "INTEGER", "decimal": "REAL", "boolean": "INTEGER"}
    with SqliteStore(tmp_path / "store.db") as store:
        store.save(Snapshot("empty", date(2017, 6, 1)), {})
    connection = sqlite3.connect(tmp_path / "store.db")
    for name, table in SCHEMA.items():
        found = [(row[1], row[2]) for row in connection.execute(f"PRAGMA table_info({name})")]
        expected = [(c.name, sql_types.get(c.form.name, "TEXT")) for c in table.stored_columns]
        assert found == [("snapshot_id", "INTEGER"), *expected], name
    connection.close()


def test_the_neo4j_store_reads_back_every_stored_column():
    from graph.stores.neo4j import _READ

    queries = {"helpers_by_uid": "helpers", "organisations_by_uid": "organisations"}
    for key, query in _READ.items():
        table = queries.get(key, key)
        for text in (query,) if isinstance(query, str) else query:
            returned = re.findall(r" AS (\w+)", text.partition("RETURN")[2])
            assert sorted(returned) == sorted(TABLES[table]), key


def test_the_graph_and_its_exports_carry_every_column(tmp_path):
    snapshot = ingest(write_dataset(tmp_path)).snapshot  # BASE has a value in every column
    for name in SCHEMA:
        assert all(snapshot.table(name)[column].notna().any() for column in TABLES[name]), name
    graph = build_graph(snapshot)
    for table in SCHEMA.values():
        if table.node is not None:
            data = graph.nodes[f"{table.node}:{snapshot.records(table.name)[0][table.key]}"]
            assert set(TABLES[table.name]) - {table.key} <= set(data), table.name
    edges = [data for *_, data in graph.edges(data=True)]
    for name in ("support", "awareness"):
        assert any(set(TABLES[name]) - set(SCHEMA[name].ends) <= set(data) for data in edges), name

    def header(graph_to_export, role) -> set[str]:
        found = set()
        for path in export_graph(graph_to_export, tmp_path / role, "csv"):
            with path.open(encoding="utf-8") as handle:
                found |= set(next(csv.reader(handle)))
        return found

    columns = {column for table in TABLES.values() for column in table}
    # helpers are node ids and link ends, not attributes; the pseudonym is never exported
    assert columns - header(graph, "team") == {"helper_id", "about_helper_id", "bsn_pseudonym"}
    assert columns - header(policy_graph(graph), "policy") == {
        "helper_id",
        "about_helper_id",
        "bsn_pseudonym",
        "birth_year",
        "relation",
    }


def test_the_generator_writes_and_fills_every_file_column(tmp_path):
    from carecircle.synthetic import generate_dataset

    generate_dataset(tmp_path, residents=300, seed=2)
    for table in SCHEMA.values():
        with (tmp_path / table.file_name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert tuple(rows[0]) == table.column_names, table.name
        for column in table.column_names:
            assert any(row[column] for row in rows), (table.name, column)


# --- a new column, of every type, goes through every consumer ------------------------------------


@pytest.fixture(scope="module")
def extended(tmp_path_factory) -> dict:
    """What every consumer made of the extra columns; ``work`` is the folder it worked in."""
    work = tmp_path_factory.mktemp("extended")
    return {**run_extended(work), "work": work}


EXPECTED = {
    "residents": {"alarm": [True, None], "phone": ["06-12345678", None]},
    "helpers": {"registered_on": ["2016-02-01", "2016-03-04", None, None]},
    "organisations": {"staff": [120, None]},
    "support": {
        "travel_minutes": [12.5, None, 0.0, 3.0],
        "planned": [["meals", "nursing"], None, None, None],
    },
    "awareness": {"noted_by": ["H4", None], "channel": ["phone", "brief"]},
}


def test_extra_columns_cover_every_cell_type_read_from_a_file():
    declared = {column.type for first, last in EXTRA.values() for column in (*first, *last)}
    assert declared == set(CELL_TYPES) - {"bsn"}
    assert set(EXPECTED) == set(EXTRA) and all(CELLS[c] for values in EXPECTED.values() for c in values)


@pytest.mark.slow
def test_ingest_reads_new_columns_by_name_and_by_dutch_name(extended):
    assert extended["ingest"] == EXPECTED
    assert extended["dutch_equal"]
    # an unknown code of an open vocabulary is kept as written, with a warning
    assert [(p["file"], p["line"], p["column"], p["code"]) for p in extended["problems"]] == [
        ("awareness.csv", 3, "channel", "unknown_code")
    ]
    # a new column that names a helper brings that helper into a neighbourhood's part
    assert extended["named_helpers"] == ["H1", "H2", "H3", "H4"]
    # without organisations.csv, the organisations the helpers name have every column
    assert extended["implied_organisations"] == [
        {"staff": None, "organisation_id": "ORG1", "name": "ORG1", "type": None},
        {"staff": None, "organisation_id": "ORG2", "name": "ORG2", "type": None},
    ]


@pytest.mark.slow
def test_the_sqlite_store_keeps_new_columns_and_an_older_store_gains_them(extended):
    assert extended["sqlite"] == {"equal": True, "part_equal": True}
    empty = {
        table: {column: [None] * len(values) for column, values in columns.items()}
        for table, columns in EXPECTED.items()
    }
    assert extended["old_store"] == {"before": empty, "old": empty, "new_equal": True}


@pytest.mark.slow
def test_a_store_with_new_columns_still_opens_without_them(extended, tmp_path):
    """The columns added to the older store do not stop a version without them from reading it."""
    with SqliteStore(extended["work"] / "old.db") as store:
        assert [info.as_of for info in store.snapshots()] == [date(2017, 6, 1), date(2017, 7, 1)]
        newer = store.load(date(2017, 7, 1))
    plain = ingest(write_dataset(tmp_path)).snapshot
    for name in SCHEMA:
        assert newer.records(name) == plain.records(name), name


@pytest.mark.slow
def test_exports_carry_new_columns_and_the_policy_export_withholds_personal_ones(extended):
    exports = extended["exports"]
    nodes = {row["node"]: row for row in exports["team/nodes.csv"]}
    assert (nodes["resident:R1"]["phone"], nodes["resident:R1"]["alarm"]) == ("06-12345678", "True")
    assert nodes["helper:H1"]["registered_on"] == "2016-02-01"
    assert nodes["organisation:ORG1"]["staff"] == "120"
    knows = [row for row in exports["team/edges.csv"] if row["edge_type"] == "knows_about"]
    assert sorted((row["noted_by"], row["channel"]) for row in knows) == [("", "brief"), ("H4", "phone")]
    supports = [row for row in exports["team/edges.csv"] if row["edge_type"] == "supports"]
    assert sorted((row["travel_minutes"], row["planned"]) for row in supports) == [
        ("", ""),
        ("0.0", ""),
        ("12.5", "meals|nursing"),
        ("3.0", ""),
    ]
    policy_nodes, policy_edges = exports["policy/nodes.csv"], exports["policy/edges.csv"]
    assert "phone" not in policy_nodes[0] and "06-12345678" not in str(policy_nodes)
    assert "alarm" in policy_nodes[0]
    # a new column naming a helper is renamed with the helper in the policy export
    noted = {row["noted_by"] for row in policy_edges if row["edge_type"] == "knows_about"}
    assert len(noted) == 2 and "" in noted and "H4" not in noted


@pytest.mark.slow
def test_the_analysis_is_the_same_with_new_columns(extended, tmp_path):
    assert extended["analysis"] == to_json(analyse(ingest(write_dataset(tmp_path)).snapshot))


@pytest.mark.slow
def test_the_generator_writes_new_columns_and_its_dataset_ingests(extended):
    for name, table in SCHEMA.items():
        first, last = ([column.name for column in columns] for columns in EXTRA[name])
        assert extended["generated"]["headers"][name] == [*first, *table.column_names, *last]
    assert extended["generated"]["rejected"] == []
