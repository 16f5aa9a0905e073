"""The helper network: who knows whom across all circles (SPEC §5)."""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

import igraph
import networkx as nx

from graph.analysis.circles import Circles
from graph.analysis.organisations import group_of

__all__ = [
    "SAMPLED_SOURCES",
    "NetworkPieces",
    "betweenness",
    "broker_positions",
    "helper_network",
    "helper_network_summary",
    "network_summary",
]

#: up to this many helpers betweenness is exact; above it, estimated from this many sampled sources
SAMPLED_SOURCES = 1000
BROKERS = 10


def helper_network(circles: Circles) -> nx.Graph:
    """Helpers in any circle, linked when either knows the other for any resident.

    Examples
    --------
    >>> from datetime import date
    >>> circles = Circles(date(2017, 6, 1), {}, {}, circle={"R1": ["H1", "H2", "H3"]},
    ...                   knows={"R1": {("H1", "H2")}})
    >>> sorted(helper_network(circles).edges)
    [('H1', 'H2')]
    """
    return NetworkPieces.of(circles).graph()


@dataclass
class NetworkPieces:
    """The helpers, links and helpers in a shared circle seen in some circles; they add up."""

    helpers: set[str] = field(default_factory=set)
    links: set[tuple[str, str]] = field(default_factory=set)
    shared: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, circles: Circles) -> "NetworkPieces":
        """The pieces of every circle in ``circles``."""
        pieces = cls()
        pieces.add(circles, circles.circle)
        return pieces

    def add(self, circles: Circles, residents: Iterable[str]) -> None:
        """Add the circles of ``residents``."""
        for resident in residents:
            members = circles.members(resident)
            self.helpers.update(members)
            if len(members) >= 2:
                self.shared.update(members)
            self.links.update((min(a, b), max(a, b)) for a, b in circles.knows.get(resident, ()))

    def merge(self, other: "NetworkPieces") -> None:
        """Add the pieces of other circles."""
        self.helpers |= other.helpers
        self.links |= other.links
        self.shared |= other.shared

    def graph(self) -> nx.Graph:
        """The helper network: helpers (sorted) linked when one knows the other."""
        graph = nx.Graph()
        graph.add_nodes_from(sorted(self.helpers))
        graph.add_edges_from(sorted(self.links))
        return graph

    def counts(self) -> dict[str, int]:
        """helpers, links, components and isolated_count, without the costly betweenness."""
        graph = self.graph()
        return {
            "helpers": graph.number_of_nodes(),
            "links": graph.number_of_edges(),
            "components": nx.number_connected_components(graph),
            "isolated_count": sum(1 for h in self.shared if graph.degree(h) == 0),
        }


def betweenness(graph: nx.Graph, *, sources: int = SAMPLED_SOURCES, seed: int = 0) -> dict:
    """Normalised betweenness centrality of every node, as :func:`networkx.betweenness_centrality`.

    Computed by igraph's C core. Exact for graphs of at most ``sources`` nodes; above that,
    estimated from ``sources`` source nodes drawn with ``seed`` (Brandes and Pich, 2007),
    so the cost stays linear in the size of the graph.

    Examples
    --------
    >>> path = nx.path_graph(["A", "B", "C"])
    >>> betweenness(path)
    {'A': 0.0, 'B': 1.0, 'C': 0.0}
    """
    nodes = list(graph)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    core = igraph.Graph(n=n, edges=[(index[a], index[b]) for a, b in graph.edges()])
    if n <= sources:
        raw = core.betweenness(directed=False)
        scale = 1.0
    else:
        raw = core.betweenness(directed=False, sources=random.Random(seed).sample(range(n), sources))
        scale = n / sources
    normalise = scale * 2 / ((n - 1) * (n - 2))
    return {node: value * normalise for node, value in zip(nodes, raw, strict=True)}


def broker_positions(links: Iterable[tuple[str, str]]) -> set[str]:
    """The helpers in a broker position: at least two of the helpers each is linked to are not
    linked to each other.

    These are exactly the helpers with a :func:`betweenness` above 0 (a shortest path between two
    others runs through them), found without computing betweenness, so exactly at any size.

    Examples
    --------
    >>> sorted(broker_positions([("A", "B"), ("B", "C"), ("C", "D"), ("B", "D")]))
    ['B']
    """
    index: dict[str, int] = {}
    edges = [(index.setdefault(a, len(index)), index.setdefault(b, len(index))) for a, b in links]
    graph = igraph.Graph(n=len(index), edges=edges)
    # the share of a helper's pairs of linked helpers that are linked themselves (0 below two)
    closed = graph.transitivity_local_undirected(mode="zero")
    return {
        helper
        for helper, linked, share in zip(index, graph.degree(), closed, strict=True)
        if linked >= 2 and share < 1
    }


def helper_network_summary(circles: Circles, *, brokers: int = BROKERS) -> dict:
    """Density, connected components, the top brokers by betweenness, and isolated helpers.

    Isolated helpers are members of a circle of at least 2 with no link at all. Brokers are
    the helpers with the highest :func:`betweenness` above 0, ties by helper id, each with
    its group (organisation, or (informal), (caregivers), (no organisation)).
    """
    groups = {h: group_of(circles.helpers[h]) for members in circles.circle.values() for h in members}
    pieces = NetworkPieces.of(circles)
    return network_summary(pieces.graph(), pieces.shared, groups, brokers=brokers)


def network_summary(
    graph: nx.Graph, shared: set[str], groups: dict[str, str], *, brokers: int = BROKERS
) -> dict:
    """The summary of a helper network ``graph``; ``shared``: helpers in a circle of two or more;
    ``groups``: each helper's group."""
    n = graph.number_of_nodes()
    ranked = sorted((-value, helper) for helper, value in betweenness(graph).items() if value > 0)[:brokers]
    return {
        "helpers": n,
        "links": graph.number_of_edges(),
        "density": nx.density(graph) if n > 1 else 0.0,
        "components": nx.number_connected_components(graph) if n else 0,
        "brokers": [
            {"helper_id": helper, "group": groups[helper], "betweenness": -value} for value, helper in ranked
        ],
        "isolated": sorted(h for h in shared if graph.degree(h) == 0),
    }
