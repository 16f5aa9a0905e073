"""Betweenness of the helper network: exact against networkx, sampled within tolerance."""

import networkx as nx
import pytest

from graph.analysis.network import betweenness


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_betweenness_equals_networkx(seed):
    graph = nx.relabel_nodes(nx.gnm_random_graph(60, 90, seed=seed), lambda i: f"H{i:02d}")
    expected = nx.betweenness_centrality(graph)
    assert betweenness(graph) == pytest.approx(expected, abs=1e-12)


def test_sampled_betweenness_is_seeded_and_close_to_exact():
    # two stars joined by one bridge: the bridge ends dominate, the leaves have none
    graph = nx.Graph()
    graph.add_edges_from((f"A{i:03d}", "HUB-A") for i in range(300))
    graph.add_edges_from((f"B{i:03d}", "HUB-B") for i in range(300))
    graph.add_edge("HUB-A", "HUB-B")
    exact = nx.betweenness_centrality(graph)
    sampled = betweenness(graph, sources=200, seed=5)
    assert sampled == betweenness(graph, sources=200, seed=5)
    for hub in ("HUB-A", "HUB-B"):
        assert sampled[hub] == pytest.approx(exact[hub], rel=0.1)
    assert sampled["A000"] == exact["A000"] == 0.0


def test_tiny_graphs_have_no_betweenness():
    assert betweenness(nx.Graph()) == {}
    assert betweenness(nx.path_graph(["A", "B"])) == {"A": 0.0, "B": 0.0}
