"""Export the graph for Gephi and Cytoscape (GraphML, GEXF) and for spreadsheets (CSV)."""

import csv
from datetime import date
from pathlib import Path

import networkx as nx

from graph.schema import SCHEMA

__all__ = ["EXPORT_FORMATS", "FORMULA_START", "export_graph", "policy_graph", "safe_cells"]

EXPORT_FORMATS = ("graphml", "gexf", "csv")
# Never exported: a pseudonym links people across datasets and has no use in a picture.
_WITHHELD = {
    column.name
    for table in SCHEMA.values()
    for column in table.columns
    if column.privacy in ("linking", "secret")
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: node type -> what a policy export leaves out of its nodes: names and what singles people out
_POLICY_WITHHELD = {
    table.node: {column.name for column in table.columns if column.privacy != "open"}
    for table in SCHEMA.values()
    if table.node is not None
}
#: ... and out of the links between them (support, awareness)
_POLICY_WITHHELD_LINKS = {
    column.name
    for table in SCHEMA.values()
    if table.ends is not None
    for column in table.columns
    if column.privacy != "open"
}
#: the node types whose nodes are people: a policy export gives them random keys
_PEOPLE = {table.node for table in SCHEMA.values() if table.people}
#: the columns that name a person (on links: the resident, a delegator): a policy export renames them
_PERSON_REFERENCES = {
    column.name
    for table in SCHEMA.values()
    for column in table.columns
    if column.references is not None and SCHEMA[column.references].people
}


def policy_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph for the policy role: residents and helpers under random keys (new for every
    export, so two exports cannot be linked), without names or other details that single a
    person out; organisations and neighbourhoods as they are.

    Examples
    --------
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_node("resident:R1", node_type="resident", id="R1", name="Mevrouw Piqué", needs=("meals",))
    >>> graph.add_node("helper:H1", node_type="helper", id="H1", name="Anna", role="gp")
    >>> _ = graph.add_edge("helper:H1", "resident:R1", key="s", edge_type="supports", domains=("meals",))
    >>> policy = policy_graph(graph)
    >>> sorted(d["node_type"] for _, d in policy.nodes(data=True)), "Anna" in str(policy.nodes(data=True))
    (['helper', 'resident'], False)
    """
    import secrets

    keys: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        if data.get("node_type") in _PEOPLE:
            keys[node] = f"{data['node_type']}:{secrets.token_hex(5)}"
    ids = {graph.nodes[node]["id"]: key.partition(":")[2] for node, key in keys.items()}
    anonymous = nx.MultiDiGraph(**graph.graph)
    for node, data in graph.nodes(data=True):
        withheld = _POLICY_WITHHELD.get(data.get("node_type"), set())
        kept = {k: v for k, v in data.items() if k not in withheld}
        if node in keys:
            anonymous.add_node(keys[node], **{**kept, "id": keys[node].partition(":")[2]})
        else:
            anonymous.add_node(node, **kept)
    for source, target, key, data in graph.edges(keys=True, data=True):
        data = _policy_link(data, ids)
        if isinstance(key, str) and key.startswith("knows_about:"):
            key = "knows_about:" + ids.get(key.partition(":")[2], "")
        anonymous.add_edge(keys.get(source, source), keys.get(target, target), key=key, **data)
    return anonymous


def _policy_link(data: dict, ids: dict[str, str]) -> dict:
    """A link's attributes for the policy graph: the people it names under their new keys (an
    unknown one as empty), nothing personal."""
    data = {k: v for k, v in data.items() if k not in _POLICY_WITHHELD_LINKS}
    for reference in _PERSON_REFERENCES:
        if data.get(reference) is not None:
            data[reference] = ids.get(data[reference], "")
    return data


def export_graph(graph: nx.MultiDiGraph, out: Path, fmt: str) -> list[Path]:
    """Write ``graph`` to ``out`` in format ``fmt`` and return the files written.

    GraphML and GEXF go to the file ``out``; CSV goes to the folder ``out`` as
    ``nodes.csv`` and ``edges.csv``. A node's entity id is its ``label``. Lists become
    ``|``-separated text, dates ISO text, and missing values are left out, so that Gephi and
    Cytoscape can read every attribute.
    CSV cells that a spreadsheet would run as a formula are prefixed with ``'``.

    Examples
    --------
    >>> import tempfile
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_node("helper:H1", node_type="helper", id="H1", name="=cmd()")
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in export_graph(graph, folder / "csv", "csv")]
    ['nodes.csv', 'edges.csv']
    >>> (folder / "csv" / "nodes.csv").read_text().splitlines()[1]
    "helper:H1,helper,'=cmd(),H1"
    """
    flat = _flatten(graph)
    out = Path(out)
    if fmt == "graphml":
        out.parent.mkdir(parents=True, exist_ok=True)
        nx.write_graphml(flat, out, named_key_ids=True)
        return [out]
    if fmt == "gexf":
        out.parent.mkdir(parents=True, exist_ok=True)
        nx.write_gexf(flat, out)
        return [out]
    if fmt == "csv":
        return _write_csv(flat, out)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")


def _flatten(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    flat = nx.MultiDiGraph()
    flat.graph.update({k: _flat_value(v) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        attributes = _flat_attributes(data)
        # GEXF takes an "id" attribute as the node id; keep the entity id apart and as the label
        attributes["label"] = attributes.pop("id", node)
        flat.add_node(node, **attributes)
    for source, target, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(source, target, key=key, **_flat_attributes(data))
    return flat


def _flat_attributes(data: dict) -> dict:
    return {
        key: _flat_value(value) for key, value in data.items() if value is not None and key not in _WITHHELD
    }


def _flat_value(value: object) -> object:
    if isinstance(value, tuple | list):
        return "|".join(str(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _write_csv(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    node_columns = _columns(data for _, data in graph.nodes(data=True))
    edge_columns = _columns(data for *_, data in graph.edges(data=True))
    nodes, edges = folder / "nodes.csv", folder / "edges.csv"
    with nodes.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["node", *node_columns])
        for node, data in graph.nodes(data=True):
            writer.writerow(safe_cells([node, *(data.get(c) for c in node_columns)]))
    with edges.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "target", *edge_columns])
        for source, target, data in graph.edges(data=True):
            writer.writerow(safe_cells([source, target, *(data.get(c) for c in edge_columns)]))
    return [nodes, edges]


def _columns(rows) -> list[str]:
    columns: dict[str, None] = {}
    for data in rows:
        columns.update(dict.fromkeys(data))
    return list(columns)


def safe_cells(cells: list) -> list[str]:
    """Neutralise formula injection: a text cell starting with = + - @ gets a leading '."""
    safe = []
    for cell in cells:
        if cell is None:
            safe.append("")
        elif isinstance(cell, str) and cell.startswith(FORMULA_START):
            safe.append("'" + cell)
        else:
            safe.append(cell)
    return safe
