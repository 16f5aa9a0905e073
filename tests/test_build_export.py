"""The graph built from a snapshot, and its GraphML, GEXF and CSV exports read back."""

import csv
from datetime import date

import networkx as nx
import pandas as pd
import pytest

from graph.build import build_graph
from graph.export import export_graph
from graph.model import TABLES, Snapshot


@pytest.fixture
def snapshot() -> Snapshot:
    snapshot = Snapshot("Stedenwijk", date(2017, 6, 1))
    tables = {
        "organisations": [{"organisation_id": "ORG1", "name": "Zorggroep", "type": "provider"}],
        "helpers": [
            {
                "helper_id": "H1",
                "role": "district_nurse",
                "kind": "formal",
                "name": "Anna",
                "organisation_id": "ORG1",
                "relation": None,
            },
            {
                "helper_id": "H2",
                "role": "informal_caregiver",
                "kind": "caregiver",
                "name": "=HYPERLINK()",
                "organisation_id": None,
                "relation": "child",
            },
        ],
        "residents": [
            {
                "resident_id": "R1",
                "neighbourhood": "Stedenwijk",
                "name": "Mevrouw Piqué",
                "bsn_pseudonym": "abc123",
                "birth_year": 1933,
                "lives_alone": True,
                "needs": ("household", "nursing"),
            },
        ],
        "support": [
            {
                "helper_id": "H1",
                "resident_id": "R1",
                "domains": ("nursing",),
                "hours_per_week": 2.5,
                "start_date": date(2017, 1, 1),
                "end_date": None,
                "funding": "zvw",
                "delegated_by": None,
            },
            {
                "helper_id": "H1",
                "resident_id": "R1",
                "domains": ("medication",),
                "hours_per_week": 1.0,
                "start_date": date(2016, 1, 1),
                "end_date": date(2016, 12, 31),
                "funding": "zvw",
                "delegated_by": None,
            },
            {
                "helper_id": "H2",
                "resident_id": "R1",
                "domains": ("household", "meals"),
                "hours_per_week": 10.0,
                "start_date": None,
                "end_date": None,
                "funding": "informal",
                "delegated_by": None,
            },
        ],
        "awareness": [
            {
                "helper_id": "H1",
                "about_helper_id": "H2",
                "resident_id": "R1",
                "level": "coordinating",
                "last_contact": date(2017, 5, 20),
                "contact_every_days": 14,
                "observed_on": None,
            },
        ],
    }
    for name, rows in tables.items():
        setattr(snapshot, name, pd.DataFrame(rows, columns=list(TABLES[name]), dtype=object))
    return snapshot


def test_graph_has_typed_nodes_and_edges_with_row_attributes(snapshot):
    graph = build_graph(snapshot)
    types = {n: d["node_type"] for n, d in graph.nodes(data=True)}
    assert types == {
        "organisation:ORG1": "organisation",
        "helper:H1": "helper",
        "helper:H2": "helper",
        "resident:R1": "resident",
        "neighbourhood:Stedenwijk": "neighbourhood",
    }
    assert graph.nodes["helper:H2"]["kind"] == "caregiver"
    supports = [d for _, _, d in graph.edges("helper:H1", data=True) if d["edge_type"] == "supports"]
    assert sorted(d["domains"] for d in supports) == [("medication",), ("nursing",)]
    knows = graph.get_edge_data("helper:H1", "helper:H2")["knows_about:R1"]
    assert (knows["level"], knows["contact_every_days"], knows["resident_id"]) == ("coordinating", 14, "R1")
    assert graph.has_edge("helper:H1", "organisation:ORG1", key="works_for")
    assert graph.has_edge("resident:R1", "neighbourhood:Stedenwijk", key="lives_in")
    assert graph.graph == {"name": "Stedenwijk", "as_of": date(2017, 6, 1)}


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_every_node_edge_and_attribute(snapshot, tmp_path, fmt):
    graph = build_graph(snapshot)
    (path,) = export_graph(graph, tmp_path / f"graph.{fmt}", fmt)
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)

    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges() == 6
    resident = back.nodes["resident:R1"]
    assert resident["needs"] == "household|nursing"
    assert int(resident["birth_year"]) == 1933
    assert "bsn_pseudonym" not in resident
    assert resident["label"] == "R1"
    edge_types = sorted(d["edge_type"] for *_, d in back.edges(data=True))
    assert edge_types == ["knows_about", "lives_in", "supports", "supports", "supports", "works_for"]
    knows = next(d for *_, d in back.edges(data=True) if d["edge_type"] == "knows_about")
    assert knows["last_contact"] == "2017-05-20"


def test_csv_export_writes_nodes_and_edges_and_neutralises_formulas(snapshot, tmp_path):
    nodes, edges = export_graph(build_graph(snapshot), tmp_path / "csv", "csv")
    with nodes.open(encoding="utf-8") as handle:
        node_rows = {row["node"]: row for row in csv.DictReader(handle)}
    with edges.open(encoding="utf-8") as handle:
        edge_rows = list(csv.DictReader(handle))
    assert node_rows["helper:H2"]["name"] == "'=HYPERLINK()"
    assert node_rows["resident:R1"]["name"] == "Mevrouw Piqué"
    assert "bsn_pseudonym" not in node_rows["resident:R1"]
    assert len(edge_rows) == 6
    nursing = next(r for r in edge_rows if r["domains"] == "nursing")
    assert (nursing["source"], nursing["target"], nursing["start_date"]) == (
        "helper:H1",
        "resident:R1",
        "2017-01-01",
    )


def test_unknown_export_format_is_refused(snapshot, tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'dot'"):
        export_graph(build_graph(snapshot), tmp_path / "g.dot", "dot")
