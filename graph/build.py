"""Build the carecircle graph from a snapshot: typed nodes and edges in a networkx MultiDiGraph."""

import networkx as nx

from graph.model import Snapshot, node_key
from graph.schema import SCHEMA

__all__ = ["build_graph"]


def build_graph(snapshot: Snapshot) -> nx.MultiDiGraph:
    """Return the graph of ``snapshot``.

    Nodes are keyed ``"<node_type>:<id>"`` and carry ``node_type`` (resident, helper,
    organisation, neighbourhood), ``id`` and the row's attributes. Edges carry
    ``edge_type``: ``supports`` (helper -> resident, one per support row),
    ``knows_about`` (helper -> helper, one per awareness row, keyed by resident),
    ``works_for`` (helper -> organisation) and ``lives_in`` (resident -> neighbourhood).

    Parameters
    ----------
    snapshot : Snapshot
        A validated snapshot.

    Returns
    -------
    networkx.MultiDiGraph
        With graph attributes ``name`` and ``as_of``.

    Examples
    --------
    >>> from datetime import date
    >>> import pandas as pd
    >>> snapshot = Snapshot("demo", date(2017, 6, 1))
    >>> snapshot.residents = pd.DataFrame([{"resident_id": "R1", "neighbourhood": "Stedenwijk",
    ...     "name": None, "bsn_pseudonym": None, "birth_year": 1933, "lives_alone": True,
    ...     "needs": ("household",)}], dtype=object)
    >>> graph = build_graph(snapshot)
    >>> sorted(graph.nodes), graph.nodes["resident:R1"]["birth_year"]
    (['neighbourhood:Stedenwijk', 'resident:R1'], 1933)
    """
    graph = nx.MultiDiGraph(name=snapshot.name, as_of=snapshot.as_of)
    for row in snapshot.records("organisations"):
        graph.add_node(
            node_key("organisation", row["organisation_id"]),
            node_type="organisation",
            id=row["organisation_id"],
            **_without(row, ("organisation_id",)),
        )
    for row in snapshot.records("residents"):
        resident = node_key("resident", row["resident_id"])
        area = node_key("neighbourhood", row["neighbourhood"])
        graph.add_node(area, node_type="neighbourhood", id=row["neighbourhood"])
        graph.add_node(resident, node_type="resident", **_attributes(row, "resident_id"))
        graph.add_edge(resident, area, key="lives_in", edge_type="lives_in")
    for row in snapshot.records("helpers"):
        helper = node_key("helper", row["helper_id"])
        graph.add_node(helper, node_type="helper", **_attributes(row, "helper_id"))
        if row["organisation_id"] is not None:
            organisation = node_key("organisation", row["organisation_id"])
            graph.add_edge(helper, organisation, key="works_for", edge_type="works_for")
    for row in snapshot.records("support"):
        graph.add_edge(
            node_key("helper", row["helper_id"]),
            node_key("resident", row["resident_id"]),
            edge_type="supports",
            **_without(row, SCHEMA["support"].ends),
        )
    for row in snapshot.records("awareness"):
        graph.add_edge(
            node_key("helper", row["helper_id"]),
            node_key("helper", row["about_helper_id"]),
            key=f"knows_about:{row['resident_id']}",
            edge_type="knows_about",
            **_without(row, SCHEMA["awareness"].ends),
        )
    return graph


def _without(row: dict, columns: tuple[str, ...]) -> dict:
    """A row's values but those of ``columns`` (the ones that are already node keys)."""
    return {k: v for k, v in row.items() if k not in columns}


def _attributes(row: dict, id_column: str) -> dict:
    return {**_without(row, (id_column,)), "id": row[id_column]}
