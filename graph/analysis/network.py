"""The helper network: who knows whom across all circles (SPEC §5).

networkx builds the network as a graph for the dashboard to draw (:func:`helper_network`);
its figures are computed by igraph's C core on the same nodes and links, since betweenness
and components over 50,000 helpers take seconds in pure Python.
"""

import random
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

import igraph
import networkx as nx
import numpy as np

from graph.analysis.circles import Circles, CircleTables
from graph.analysis.organisations import group_of

__all__ = [
    "SAMPLED_SOURCES",
    "Broker",
    "HelperNetwork",
    "NetworkCounts",
    "NetworkPieces",
    "betweenness",
    "broker_positions",
    "helper_network",
    "helper_network_summary",
    "network_pieces",
]

#: up to this many helpers betweenness is exact; above it, estimated from this many sampled sources
SAMPLED_SOURCES = 1000
BROKERS = 10


@dataclass(frozen=True)
class Broker:
    """A helper on many shortest paths between other helpers."""

    helper_id: str
    #: organisation, or (informal), (caregivers), (no organisation)
    group: str
    betweenness: float


@dataclass(frozen=True)
class NetworkCounts:
    """The counts of a helper network (a neighbourhood's): what policy staff may see of it."""

    helpers: int
    links: int
    components: int
    #: members of a circle of at least 2 with no link at all
    isolated_count: int

    def as_dict(self) -> dict:
        """The counts by name."""
        return asdict(self)


@dataclass(frozen=True)
class HelperNetwork:
    """The helper network's summary: density, connected components, brokers and isolated helpers."""

    helpers: int
    links: int
    density: float
    components: int
    #: the helpers with the highest betweenness above 0 (at most 10), ties by helper id
    brokers: list[Broker]
    #: members of a circle of at least 2 with no link at all, sorted
    isolated: list[str]

    @property
    def isolated_count(self) -> int:
        """How many helpers are isolated."""
        return len(self.isolated)

    def as_dict(self) -> dict:
        """The summary as ``analyze`` shows it to the team (with ``isolated_count``)."""
        return {
            "helpers": self.helpers,
            "links": self.links,
            "density": self.density,
            "components": self.components,
            "brokers": [asdict(broker) for broker in self.brokers],
            "isolated": list(self.isolated),
            "isolated_count": self.isolated_count,
        }


def helper_network(circles: Circles) -> nx.Graph:
    """Helpers in any circle, linked when either knows the other for any resident.

    Examples
    --------
    >>> from datetime import date
    >>> circles = Circles(date(2017, 6, 1), {}, circle={"R1": ["H1", "H2", "H3"]},
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
        for resident, members in circles.circle.items():
            pieces.helpers.update(members)
            if len(members) >= 2:
                pieces.shared.update(members)
            pieces.links.update((min(a, b), max(a, b)) for a, b in circles.knows.get(resident, ()))
        return pieces

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

    def counts(self) -> NetworkCounts:
        """helpers, links, components and isolated_count, without the costly betweenness."""
        nodes, core = self._core()
        degree = dict(zip(nodes, core.degree(), strict=True))
        return NetworkCounts(
            helpers=len(nodes),
            links=core.ecount(),
            components=len(core.connected_components()),
            isolated_count=sum(1 for h in self.shared if degree[h] == 0),
        )

    def summary(self, groups: Mapping[str, str], *, brokers: int = BROKERS) -> HelperNetwork:
        """The :class:`HelperNetwork` of these pieces; ``groups``: each helper's group."""
        nodes, core = self._core()
        n, m = len(nodes), core.ecount()
        scores = _betweenness(core)
        ranked = sorted((-value, helper) for helper, value in zip(nodes, scores, strict=True) if value > 0)
        degree = dict(zip(nodes, core.degree(), strict=True))
        return HelperNetwork(
            helpers=n,
            links=m,
            # as networkx.density: the share of all possible links
            density=m / (n * (n - 1)) * 2 if n > 1 else 0.0,
            components=len(core.connected_components()) if n else 0,
            brokers=[Broker(helper, groups[helper], -value) for value, helper in ranked[:brokers]],
            isolated=sorted(h for h in self.shared if degree[h] == 0),
        )

    def _core(self) -> tuple[list[str], igraph.Graph]:
        """The helpers in id order, and the network on them as igraph's graph (vertex i: helper i)."""
        nodes = sorted(self.helpers)
        index = {node: i for i, node in enumerate(nodes)}
        return nodes, igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in self.links])


def network_pieces(tables: CircleTables) -> dict[str, NetworkPieces]:
    """The :class:`NetworkPieces` of each neighbourhood of ``tables`` (every one, also without
    circles): its circles' helpers, those in a circle of two or more, and the pairs of a circle
    where one knows the other."""
    names, area = tables.areas
    pieces = {name: NetworkPieces() for name in names.tolist()}
    members, ids = tables.members, tables.helpers.id
    size = np.bincount(members.resident, minlength=len(tables.residents))
    for name, helper, shared in _each_once(
        tables, area[members.resident], members.helper, size[members.resident] >= 2
    ):
        pieces[name].helpers.add(helper)
        if shared:
            pieces[name].shared.add(helper)
    pairs = tables.pairs.take(tables.pairs.a_knows_b | tables.pairs.b_knows_a)
    for name, a, b in zip(
        names[area[pairs.resident]].tolist(), ids[pairs.a].tolist(), ids[pairs.b].tolist(), strict=True
    ):
        pieces[name].links.add((a, b))
    return pieces


def _each_once(tables: CircleTables, area: np.ndarray, helper: np.ndarray, shared: np.ndarray):
    """(neighbourhood, helper id, in a shared circle there) for each helper of each neighbourhood."""
    names = tables.areas[0]
    keys = np.unique(tables.key(area, helper) * 2 + shared)
    area_of, helper_of = np.divmod(keys // 2, tables.width)
    return zip(
        names[area_of].tolist(), tables.helpers.id[helper_of].tolist(), (keys % 2).tolist(), strict=True
    )


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
    index = {node: i for i, node in enumerate(nodes)}
    core = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()])
    return dict(zip(nodes, _betweenness(core, sources=sources, seed=seed), strict=True))


def helper_network_summary(circles: Circles, *, brokers: int = BROKERS) -> HelperNetwork:
    """Density, connected components, the top brokers by betweenness, and isolated helpers of
    the circles in ``circles``.

    Isolated helpers are members of a circle of at least 2 with no link at all. Brokers are
    the helpers with the highest :func:`betweenness` above 0, ties by helper id, each with
    its group (organisation, or (informal), (caregivers), (no organisation)).
    """
    groups = {h: group_of(circles.helpers[h]) for members in circles.circle.values() for h in members}
    return NetworkPieces.of(circles).summary(groups, brokers=brokers)


def _betweenness(core: igraph.Graph, *, sources: int = SAMPLED_SOURCES, seed: int = 0) -> list[float]:
    """:func:`betweenness` of each vertex of ``core``, in vertex order."""
    n = core.vcount()
    if n < 3:
        return [0.0] * n
    if n <= sources:
        raw = core.betweenness(directed=False)
        scale = 1.0
    else:
        raw = core.betweenness(directed=False, sources=random.Random(seed).sample(range(n), sources))
        scale = n / sources
    normalise = scale * 2 / ((n - 1) * (n - 2))
    return [value * normalise for value in raw]


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
