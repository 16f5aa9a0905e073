"""Issue 16's dead ends, by their content functions: the overview's bars lead to what they count,
gap cards lead to the helpers they name, brokers, isolated helpers and overlaps show people, the
gaps chart has a legend in words, and a circle prints who knows whom instead of an empty box."""

import json
import re
from pathlib import Path

import plotly.io
import pytest
from dash import dcc, html

from dashboards.components.figures import SEVERITY_HEX
from dashboards.data import DataSource
from dashboards.drilldown import (
    OVERLAP_TYPES,
    band_address,
    filter_text,
    filtered_rows,
    gap_address,
    residents_filter,
)
from dashboards.pages.collaboration import collaboration_content, helper_person
from dashboards.pages.overlaps import overlap_rows
from dashboards.pages.overview import coverage_bins, overview_content
from dashboards.pages.resident import awareness_rows, circle_content, helper_anchor, shows_print
from dashboards.pages.residents import resident_rows
from graph.analysis.gaps import GAP_TYPES, SEVERITY
from graph.labels import GAP_TYPES as GAP_LABELS
from graph.labels import label
from tests.dashboard_support import build_store

CSS = Path(__file__).parent.parent / "dashboards" / "assets" / "carecircle.css"


def as_text(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def nodes(content) -> list:
    """Every component in a page's content."""
    return list(html.Div(content)._traverse())


def by_id(content, component_id: str):
    return next(c for c in nodes(content) if getattr(c, "id", None) == component_id)


@pytest.fixture(scope="module")
def view(tmp_path_factory):
    return DataSource(str(build_store(tmp_path_factory.mktemp("dead-ends")))).view()


# --- the overview's bars lead to what they count ---------------------------------------------------


def test_a_gap_type_leads_to_overlaps_when_that_page_lists_it_else_to_the_residents():
    for gap_type in GAP_TYPES:
        page, query = gap_address(gap_type).split("?")
        if gap_type in OVERLAP_TYPES:
            assert (page, query) == ("/overlaps", f"type={gap_type}")
        else:
            assert (page, query) == ("/residents", f"gap={gap_type}")
            assert residents_filter({"gap": gap_type}) == {"gap": gap_type}


@pytest.mark.parametrize("area", [None, "Stedenwijk"])
def test_the_team_s_gap_bars_and_their_list_link_to_what_they_count(view, area):
    content = overview_content(view, area, "team", 5, "en")
    counts = view.summary(area, "team", 5)["gaps_by_type"]
    bars = by_id(content, "gaps-by-type").figure.data[0]
    # each bar carries its type's address, in the order the bars are drawn
    type_of = {label(GAP_LABELS, gap_type, "en"): gap_type for gap_type in GAP_TYPES}
    assert list(bars.customdata) == [gap_address(type_of[shown]) for shown in bars.y]
    items = by_id(content, "gaps-by-type-list").children
    assert len(items) == len(GAP_TYPES)
    links = {c.href: c.children for c in nodes(items) if isinstance(c, dcc.Link)}
    assert set(links) == {gap_address(t) for t, count in counts.items() if count}
    for gap_type, count in counts.items():
        if count:
            assert links[gap_address(gap_type)].endswith(f"({SEVERITY[gap_type]}): {count}")


def test_the_team_s_coverage_bars_lead_to_the_residents_of_their_band(view):
    content = overview_content(view, None, "team", 5, "nl")
    bars = by_id(content, "coverage-distribution").figure.data[0]
    assert list(bars.customdata) == [band_address(band) for band in range(10)]
    bins = coverage_bins(view, None, "team", 5)
    links = [c for c in nodes(by_id(content, "coverage-distribution-list")) if isinstance(c, dcc.Link)]
    assert [link.href for link in links] == [band_address(b) for b, (_, n) in enumerate(bins) if n]
    first = next(band for band, (_, count) in enumerate(bins) if count)
    assert links[0].children == f"{bins[first][0]}: {bins[first][1]}"


@pytest.mark.parametrize("area", [None, "Emmen-Centrum"])
def test_the_policy_role_s_bars_lead_nowhere_and_name_nobody(view, area):
    content = overview_content(view, area, "policy", 5, "en")
    for chart in ("gaps-by-type", "coverage-distribution"):
        assert by_id(content, chart).figure.data[0].customdata is None
    assert not [c for c in nodes(content) if isinstance(c, dcc.Link) and "/residents" in c.href]
    assert not [c for c in nodes(content) if isinstance(c, dcc.Link) and "/overlaps" in c.href]
    # the lists are still there, as text: what the chart shows, in words
    items = by_id(content, "gaps-by-type-list").children
    assert len(items) == len(GAP_TYPES) and all(isinstance(item.children, str) for item in items)
    text = as_text(content)
    assert not [h for h in view.helpers if h in text] and not [r for r in view.residents if f'"{r}' in text]


@pytest.mark.parametrize("gap_type", [t for t in GAP_TYPES if t not in OVERLAP_TYPES])
def test_the_residents_filter_of_a_gap_type_keeps_exactly_the_residents_with_such_a_gap(view, gap_type):
    rows = filtered_rows(resident_rows(view, None), view, residents_filter({"gap": gap_type}))
    expected = {gap.resident_id for gap in view.analysis.gaps if gap.type == gap_type}
    assert {row["resident_id"] for row in rows} == expected
    # as many gaps as the bar counts, among these residents
    gaps = sum(1 for row in rows for gap in view.gaps[row["resident_id"]] if gap.type == gap_type)
    assert gaps == view.summary(None, "team", 5)["gaps_by_type"][gap_type]


def test_the_residents_filter_of_a_band_keeps_as_many_residents_as_its_bar_counts(view):
    for area in (None, "Stedenwijk"):
        bins = coverage_bins(view, area, "team", 5)
        for band, (_, count) in enumerate(bins):
            rows = filtered_rows(resident_rows(view, area), view, residents_filter({"coverage": str(band)}))
            assert len(rows) == count
            assert all(band / 10 <= row["coverage"] <= (band + 1) / 10 for row in rows)


def test_an_unknown_or_missing_filter_keeps_every_resident(view):
    everyone = resident_rows(view, None)
    for query in ({}, {"gap": "nonsense"}, {"coverage": "-1"}, {"coverage": "x"}):
        assert filtered_rows(everyone, view, residents_filter(query)) == everyone
    assert filter_text({"gap": "caregiver_unseen"}, "nl") == (
        f"Bewoners met een knelpunt van de soort “{label(GAP_LABELS, 'caregiver_unseen', 'nl')}”"
    )
    assert filter_text({"coverage": 0}, "en") == "Residents with an awareness coverage of 0–10%"


# --- the gaps chart's legend ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"), [("en", ["high", "medium", "low"]), ("nl", ["hoog", "middel", "laag"])]
)
def test_the_gaps_chart_has_a_legend_of_its_colours_in_words(view, lang, words):
    legend = by_id(overview_content(view, None, "team", 5, lang), "gaps-by-type-legend")
    texts = [item.children[1] for item in legend.children]
    assert [text.split()[-1] for text in texts] == words
    swatches = [item.children[0].style["background"] for item in legend.children]
    assert swatches == [SEVERITY_HEX[s] for s in ("high", "medium", "low")]
    # the bars are coloured by the same three
    bars = by_id(overview_content(view, None, "team", 5, lang), "gaps-by-type").figure.data[0]
    assert set(bars.marker.color) <= set(SEVERITY_HEX.values())


# --- /overlaps shows people -----------------------------------------------------------------------


def test_overlap_rows_name_the_resident_and_the_helpers(view):
    rows = [r for r in overlap_rows(view, None, "both", None, "en") if r["resident_id"] == "R-PIQUE"]
    overlap = next(r for r in rows if r["type"] == "uncoordinated_overlap")
    assert overlap["name"] == "Mevrouw Piqué"
    assert overlap["helper_names"] == "Marie Piqué, Samira El Idrissi"
    for row in overlap_rows(view, None, "both", None, "en"):
        assert row["name"] == (view.residents[row["resident_id"]]["name"] or "")
        expected = [view.helper_names.get(h, h) for h in row["helpers"].split("|") if h]
        assert row["helper_names"] == ", ".join(expected)


# --- /collaboration shows people ------------------------------------------------------------------


def test_brokers_and_isolated_helpers_are_shown_as_people(view):
    content = collaboration_content(view, None, "team", 5, "en")
    network = view.analysis.helper_network.as_dict()
    brokers = by_id(content, "brokers").data["body"]
    assert [row[0] for row in brokers] == [
        view.helpers[b["helper_id"]]["name"] or b["helper_id"] for b in network["brokers"]
    ]
    assert all(row[0] not in view.helpers or not view.helpers[row[0]]["name"] for row in brokers)
    badges = [badge.children for badge in by_id(content, "isolated").children if hasattr(badge, "variant")]
    assert badges == [helper_person(view, h, "en") for h in network["isolated"][:60]]
    named = [h for h in network["isolated"][:60] if view.helpers[h]["name"]]
    assert named and all(
        badge.startswith(view.helpers[h]["name"] + " · ")
        for h, badge in zip(network["isolated"][:60], badges, strict=True)
        if h in named
    )


# --- gap cards lead to the helpers they name ------------------------------------------------------


def test_every_gap_card_links_to_rows_of_who_does_what_that_exist(view):
    for resident in ("R-PIQUE", "R000173", *list(view.gaps)[:40]):
        content = circle_content(view, resident, "en")
        section = by_id(content, "who-does-what")
        rows = {c.id for c in nodes(section) if getattr(c, "id", None)}
        cards = [c for c in nodes(content) if "gap-card" in (getattr(c, "className", "") or "")]
        assert len(cards) == len(view.gaps[resident])
        for card in cards:
            targets = [a.href for a in nodes(card) if isinstance(a, html.A)]
            assert targets, f"a gap card of {resident} links nowhere"
            assert all(t[1:] in rows for t in targets)


def test_a_gap_card_links_each_named_helper_and_a_gap_without_helpers_links_the_table(view):
    content = circle_content(view, "R-PIQUE", "en")
    cards = {
        card: [a for a in nodes(card) if isinstance(a, html.A)]
        for card in nodes(content)
        if "gap-card" in (getattr(card, "className", "") or "")
    }
    overlap = next(links for card, links in cards.items() if "Uncoordinated overlap" in as_text(card))
    assert [(a.children, a.href) for a in overlap] == [
        ("Marie Piqué", f"#{helper_anchor('H-PIQUE-DAUGHTER')}"),
        ("Samira El Idrissi", f"#{helper_anchor('H-PIQUE-HOUSEHOLD')}"),
    ]
    unmet = [c for c in view.analysis.gaps if not c.helpers][:1]
    resident = unmet[0].resident_id
    content = circle_content(view, resident, "en")
    card = next(
        c for c in nodes(content) if "gap-card" in (getattr(c, "className", "") or "") and not _named(c)
    )
    assert [a.href for a in nodes(card) if isinstance(a, html.A)] == ["#who-does-what"]


def _named(card) -> bool:
    return any(a.href.startswith("#helper-") for a in nodes(card) if isinstance(a, html.A))


def test_a_helper_anchor_is_a_valid_id_for_any_helper_id():
    anchors = {helper_anchor(h) for h in ("H 1", "H_20_1", "H.1", "H/1", "Hé", "H-1")}
    assert len(anchors) == 6
    assert all(re.fullmatch(r"helper-[A-Za-z0-9_-]+", a) for a in anchors)


# --- the print view -------------------------------------------------------------------------------


def test_the_printed_circle_has_who_knows_whom_as_a_table_instead_of_the_picture(view):
    content = circle_content(view, "R-PIQUE", "en")
    printed = by_id(content, "circle-knows-print")
    assert "print-only" in printed.className
    members = [
        {
            "helper_id": h,
            "role": view.helpers[h]["role"],
            "kind": view.helpers[h]["kind"],
            "display": view.helpers[h]["name"] or h,
        }
        for h in view.analysis.circles.members("R-PIQUE")
    ]
    assert printed.children.data["body"] == awareness_rows(members, view.awareness["R-PIQUE"], "en")
    css = CSS.read_text(encoding="utf-8")
    print_rules = css.split("@media print {", 1)[1].split("\n}", 1)[0]
    assert ".circle-figure .picture" in print_rules and ".print-only { display: block" in print_rules
    assert ".print-only { display: none; }" in css.replace(print_rules, "")


def test_the_print_button_is_offered_for_a_resident_of_the_snapshot_only(view):
    assert shows_print(view, "R-PIQUE")
    assert not shows_print(view, "R-NOBODY") and not shows_print(None, "R-PIQUE")
