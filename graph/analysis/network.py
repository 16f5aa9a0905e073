"""The helper network: who knows whom across all circles (SPEC §5)."""

import networkx as nx

from graph.analysis.circles import Circles

__all__ = ["EXACT_BETWEENNESS_LIMIT", "helper_network", "helper_network_summary"]

#: up to this many helpers betweenness is exact; above it, estimated from this many sources
EXACT_BETWEENNESS_LIMIT = 1000
BROKERS = 10


def helper_network(circles: Circles) -> nx.Graph:
    """Helpers in any circle, linked when either knows the other for any resident.

    Examples
    --------
    >>> from datetime import date
    >>> from graph.analysis.circles import HelperInfo
    >>> circles = Circles(date(2017, 6, 1), {}, {}, circle={"R1": ["H1", "H2", "H3"]},
    ...                   knows={"R1": {("H1", "H2")}})
    >>> sorted(helper_network(circles).edges)
    [('H1', 'H2')]
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted({h for members in circles.circle.values() for h in members}))
    graph.add_edges_from(sorted((min(a, b), max(a, b)) for pairs in circles.knows.values() for a, b in pairs))
    return graph


def helper_network_summary(circles: Circles, *, brokers: int = BROKERS) -> dict:
    """Density, connected components, the top brokers by betweenness, and isolated helpers.

    Isolated helpers are members of a circle of at least 2 with no link at all. Betweenness
    is exact up to :data:`EXACT_BETWEENNESS_LIMIT` helpers and estimated from that many
    sampled sources (fixed seed) above it, which keeps the cost linear in the network size.
    """
    graph = helper_network(circles)
    n = graph.number_of_nodes()
    if n > EXACT_BETWEENNESS_LIMIT:
        betweenness = nx.betweenness_centrality(graph, k=EXACT_BETWEENNESS_LIMIT, seed=0)
    else:
        betweenness = nx.betweenness_centrality(graph) if n else {}
    ranked = sorted((-value, helper) for helper, value in betweenness.items() if value > 0)[:brokers]
    in_shared_circle = {h for members in circles.circle.values() if len(members) >= 2 for h in members}
    return {
        "helpers": n,
        "links": graph.number_of_edges(),
        "density": nx.density(graph) if n > 1 else 0.0,
        "components": nx.number_connected_components(graph) if n else 0,
        "brokers": [{"helper_id": helper, "betweenness": -value} for value, helper in ranked],
        "isolated": sorted(h for h in in_shared_circle if graph.degree(h) == 0),
    }
