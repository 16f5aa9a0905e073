"""Issue 16's last dead end, by its content functions: a cell of the organisation heat map on
/collaboration leads to the residents whose circles it counts pairs in (``/residents`` filtered by
the pair of groups), for the team; its list of links does the same for keyboard users; the policy
role's cells lead nowhere."""

import re
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from dash import dcc, html

from dashboards.data import DataSource
from dashboards.drilldown import (
    filter_text,
    filtered_rows,
    pair_address,
    residents_filter,
    shared_residents,
    view_groups,
)
from dashboards.pages.collaboration import collaboration_content, pair_rows
from dashboards.pages.residents import resident_rows
from tests.dashboard_support import build_store

#: the groups of helpers without an organisation, written out here as SPEC §5 names them
KIND_GROUPS = {"informal": "(informal)", "caregiver": "(caregivers)"}


def nodes(content) -> list:
    return list(html.Div(content)._traverse())


def by_id(content, component_id: str):
    return next(c for c in nodes(content) if getattr(c, "id", None) == component_id)


def helper_group(helper: dict) -> str:
    return helper["organisation_id"] or KIND_GROUPS.get(helper["kind"], "(no organisation)")


def group_counts(view, resident: str) -> Counter:
    """How many helpers of each group the resident's circle holds, from the snapshot's helpers."""
    return Counter(helper_group(view.helpers[h]) for h in view.analysis.circles.members(resident))


def dash_query(address: str) -> dict:
    """The query of an address as Dash's pages hand it to a layout (one value, or a list of them)."""
    parsed = parse_qs(urlsplit(address).query, keep_blank_values=True)
    return {key: values[0] if len(values) == 1 else values for key, values in parsed.items()}


@pytest.fixture(scope="module")
def view(tmp_path_factory):
    return DataSource(str(build_store(tmp_path_factory.mktemp("dead-ends-heatmap")))).view()


# --- the address of a cell, and reading it back ----------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [("ORG01", "(informal)"), ("A&pair=B", "C D"), ("x~y", "~"), ("Zorg/€ #1?", "(no organisation)")],
)
def test_a_pair_address_reads_back_as_the_same_two_groups_whatever_their_characters(a, b):
    address = pair_address(a, b)
    assert urlsplit(address).path == "/residents"
    assert " " not in address and "#" not in address
    assert residents_filter(dash_query(address), {a, b, "other"}) == {"pair": sorted([a, b])}


@pytest.mark.parametrize(
    "query",
    [
        {"pair": ["ORG01", "ORG-NOWHERE"]},  # a group the snapshot does not know
        {"pair": ["ORG01", "ORG01"]},  # a group with itself: the diagonal, no pair
        {"pair": "ORG01"},  # one group
        {"pair": ["ORG01", "ORG02", "(informal)"]},  # three
        {"pair": ""},
        {"pair": ["<script>", "ORG01"]},
    ],
)
def test_a_malformed_pair_or_an_unknown_group_is_no_filter(view, query):
    groups = view_groups(view, "en")
    assert residents_filter(query, groups) is None
    everyone = resident_rows(view, None)
    assert filtered_rows(everyone, view, residents_filter(query, groups)) == everyone


def test_a_pair_is_no_filter_without_the_snapshot_s_groups():
    assert residents_filter({"pair": ["ORG01", "ORG02"]}) is None


def test_a_tampered_pair_in_the_page_s_store_keeps_no_resident_and_raises_nothing(view):
    rows = resident_rows(view, None)
    for tampered in ("ORG01", ["ORG01"], [1, 2], None):
        assert filtered_rows(rows, view, {"pair": tampered}) == []
        assert shared_residents(view, tampered) == set()


def test_the_snapshot_s_groups_are_named_as_the_heat_map_names_them(view):
    names = view_groups(view, "nl")
    assert names["(informal)"] == "(informeel)" and names["ORG01"] == view.organisations["ORG01"]
    assert {helper_group(h) for h in view.helpers.values()} <= set(names)


# --- the residents a cell counts ------------------------------------------------------------------


@pytest.mark.parametrize("area", [None, "Stedenwijk"])
def test_the_pair_filter_keeps_the_residents_whose_circle_holds_both_groups(view, area):
    rows = resident_rows(view, area)
    for pair in pair_rows(view, area, "team", 5):
        chosen = residents_filter(dash_query(pair_address(pair["a"], pair["b"])), view_groups(view, "en"))
        kept = filtered_rows(rows, view, chosen)
        expected = [r for r in rows if all(group_counts(view, r["resident_id"])[g] for g in chosen["pair"])]
        assert kept == expected and kept
        # and they are the circles the cell counts its pairs in: every helper of the one group
        # with every helper of the other, per resident
        pairs = sum(
            group_counts(view, r["resident_id"])[pair["a"]] * group_counts(view, r["resident_id"])[pair["b"]]
            for r in kept
        )
        assert pairs == pair["cross_pairs"]


def test_the_filter_text_names_the_two_groups_in_the_page_s_language(view):
    chosen = {"pair": ["(caregivers)", "ORG01"]}
    assert filter_text(chosen, "en", view_groups(view, "en")) == (
        f"Residents with helpers of (caregivers) and of {view.organisations['ORG01']} in their circle"
    )
    assert filter_text(chosen, "nl", view_groups(view, "nl")) == (
        f"Bewoners met hulpverleners van (mantelzorgers) en van {view.organisations['ORG01']} in hun kring"
    )


# --- the heat map's cells and their list ----------------------------------------------------------


@pytest.mark.parametrize("area", [None, "Emmen-Centrum"])
def test_the_team_s_cells_with_shared_residents_carry_their_address_and_the_others_none(view, area):
    content = collaboration_content(view, area, "team", 5, "en")
    graph = by_id(content, "organisation-heatmap")
    assert "chart-clickable" in graph.className
    states, shares = graph.figure.data[:2]
    groups = list(graph.figure.layout.xaxis.ticktext)
    names = view_groups(view, "en")
    key = {names[g]: g for g in names}
    scope = area if area in view.neighbourhoods else None
    rows = {frozenset((r["a"], r["b"])) for r in pair_rows(view, scope, "team", 5)}
    assert states.customdata is None  # the cells without a share lead nowhere
    for i, a in enumerate(groups):
        for j, b in enumerate(groups):
            address = shares.customdata[i][j]
            if frozenset((key[a], key[b])) in rows and a != b:
                assert address == pair_address(key[a], key[b])
                assert shares.text[i][j].startswith(f"{a} – {b}<br>")  # the hover stays
            else:
                assert address is None


def test_the_team_s_cells_as_a_list_of_links_weakest_share_first(view):
    content = collaboration_content(view, None, "team", 5, "en")
    details = by_id(content, "heatmap-cells")
    assert isinstance(details, html.Details)
    summary = details.children[0]
    assert isinstance(summary, html.Summary)
    assert summary.children == "The cells as a list: each opens the shared residents"
    links = [c for c in nodes(details) if isinstance(c, dcc.Link)]
    rows = pair_rows(view, None, "team", 5)
    assert len(links) == len(rows)
    by_address = {pair_address(r["a"], r["b"]): r for r in rows}
    shares = [by_address[link.href]["aware_share"] for link in links]
    assert shares == sorted(shares) and shares[0] < shares[-1]
    names = view_groups(view, "en")
    weakest = by_address[links[0].href]
    assert links[0].children.startswith(f"{names[weakest['a']]} – {names[weakest['b']]}: ")
    assert all(re.search(r": \d+% of \d+ pairs? know each other$", link.children) for link in links)
    pairs = by_address[links[-1].href]["cross_pairs"]
    assert f" of {pairs} pair" in links[-1].children


def test_the_dutch_list_reads_as_dutch(view):
    details = by_id(collaboration_content(view, "Stedenwijk", "team", 5, "nl"), "heatmap-cells")
    assert details.children[0].children == "De cellen als lijst: elke cel opent de gedeelde bewoners"
    texts = [c.children for c in nodes(details) if isinstance(c, dcc.Link)]
    assert texts and all(" van " in t and t.endswith(" kennen elkaar") for t in texts)


@pytest.mark.parametrize("area", [None, "Emmen-Centrum"])
def test_the_policy_role_s_cells_lead_nowhere_and_have_no_list_of_links(view, area):
    content = collaboration_content(view, area, "policy", 5, "en")
    graph = by_id(content, "organisation-heatmap")
    assert not graph.className
    assert all(layer.customdata is None for layer in graph.figure.data)
    assert not [c for c in nodes(content) if getattr(c, "id", None) in ("heatmap-cells", "heatmap-cell-list")]
    assert not [c for c in nodes(content) if isinstance(c, dcc.Link) and "/residents" in c.href]
