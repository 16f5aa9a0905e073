"""The content functions of issue 15's /collaboration and of the overview's change, called directly:
the heat map's cells (a share, no shared residents, hidden), its legend, the comparison with an
earlier snapshot and the pairs that started finding each other or drifted apart, and the key
figures' change since the snapshot before, for the team and the policy role."""

import json
from datetime import date

import plotly.io
import pytest
from dash import html

from dashboards.components.figures import organisation_heatmap
from dashboards.components.heatmap import (
    DARK_INK,
    HIDDEN_FILL,
    LIGHT_INK,
    NONE_FILL,
    contrast,
    heatmap_cell,
    readable_ink,
    share_colour,
)
from dashboards.data import DataSource
from dashboards.pages.collaboration import (
    collaboration_content,
    comparison_content,
    comparison_rows,
    earlier_view,
    group_names,
    heatmap_legend,
    pair_rows,
)
from dashboards.pages.overview import change_text, figure_changes, overview_content
from graph.analysis.evaluation import pair_shifts
from graph.analysis.evaluation_words import points
from tests.dashboard_support import build_store

OLDEST, MIDDLE, NEWEST = date(2023, 12, 1), date(2024, 3, 1), date(2024, 6, 1)


def as_text(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def component(content, component_id: str):
    """The component with ``component_id`` in a page's content."""
    return next(c for c in html.Div(content)._traverse() if getattr(c, "id", None) == component_id)


def row(a: str, b: str, pairs, share, mutual=None) -> dict:
    return {"a": a, "b": b, "cross_pairs": pairs, "aware_share": share, "mutual_share": mutual}


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return DataSource(str(build_store(tmp_path_factory.mktemp("collaboration"))))


# --- the heat map's cells ------------------------------------------------------------------------


def test_a_cell_is_a_share_no_shared_residents_or_hidden():
    share = heatmap_cell(row("A", "B", 12, 0.86), "nl")
    assert (share.state, share.text, share.fill) == ("share", "86%", share_colour(0.86))
    none = heatmap_cell(None, "nl")
    assert (none.state, none.text, none.fill) == ("none", "·", NONE_FILL)
    small = heatmap_cell(row("A", "B", "<5", None), "nl")
    assert (small.state, small.text, small.fill) == ("hidden", "<5", HIDDEN_FILL)
    protected = heatmap_cell(row("A", "B", None, None), "nl")  # hidden so that sums give nothing away
    assert (protected.state, protected.text) == ("hidden", "–")
    assert heatmap_cell(None, "nl", diagonal=True).text == ""
    # the three states never share a fill, and no share takes the fill of the other two
    assert len({share.fill, none.fill, small.fill}) == 3
    assert not {share_colour(s / 100) for s in range(101)} & {NONE_FILL, HIDDEN_FILL}


def test_every_share_is_printed_in_a_colour_that_stands_out_from_its_cell():
    for percent in range(101):
        cell = heatmap_cell(row("A", "B", 10, percent / 100), "en")
        assert cell.text == f"{percent}%"
        assert contrast(cell.ink, cell.fill) >= 4.5, percent
    assert readable_ink(share_colour(0.0)) == LIGHT_INK and readable_ink(share_colour(1.0)) == DARK_INK
    for state in (heatmap_cell(None, "en"), heatmap_cell(row("A", "B", "<5", None), "en")):
        assert contrast(state.ink, state.fill) >= 4.5


def test_the_heat_map_prints_each_cell_and_hatches_the_hidden_ones():
    rows = [
        row("A", "B", 12, 0.25, 0.1),
        row("A", "C", "<5", None),
        row("B", "D", None, None),
        row("C", "D", 40, 1.0, 0.5),
    ]
    figure = organisation_heatmap(rows, {"A": "Alpha", "B": "Beta", "C": "Gamma", "D": "Delta"}, "en")
    states, shares, hatch, text = figure.data
    # groups by name: Alpha, Beta, Delta, Gamma (rows and columns alike)
    assert list(figure.layout.xaxis.ticktext) == ["Alpha", "Beta", "Delta", "Gamma"]
    printed = {(y, x): t for x, y, t in zip(text.x, text.y, text.text, strict=True)}
    assert printed[0, 1] == printed[1, 0] == "25%"
    assert printed[0, 3] == printed[3, 0] == "<5"
    assert printed[1, 2] == "–"
    assert printed[3, 2] == "100%"
    assert printed[0, 2] == printed[1, 3] == "·"  # no row: no shared residents
    assert (0, 0) not in printed  # the diagonal is no pair
    inks = dict(zip(zip(text.y, text.x, strict=True), text.textfont.color, strict=True))
    assert inks[0, 1] == LIGHT_INK and inks[3, 2] == DARK_INK
    # the shares on the colour scale; the other cells grey (none) or hatched (hidden)
    assert shares.z[0][1] == 0.25 and shares.z[0][3] is None and shares.z[0][2] is None
    assert states.z[0][2] == 0 and states.z[0][3] == 1 and states.z[0][1] is None and states.z[0][0] is None
    hatched = [(x, y) for x, y in zip(hatch.x, hatch.y, strict=True) if x is not None]
    assert len(hatched) == 5 * 4  # one closed square per hidden cell: (0, 3), (3, 0), (1, 2), (2, 1)
    assert hatch.fillpattern.shape == "/"
    # each cell's hover is its text; without addresses, a cell carries none
    assert all(layer.hovertemplate.startswith("%{text}") for layer in (states, shares))
    assert "No shared residents" in states.text[0][2]
    assert "Hidden: <5 pairs in a shared circle" in states.text[0][3]
    assert "12 pairs in a shared circle" in shares.text[0][1]
    assert states.customdata is None and shares.customdata is None
    # the map does not zoom: a drag or double click keeps every cell in view
    assert figure.layout.xaxis.fixedrange and figure.layout.yaxis.fixedrange


def test_the_legend_puts_each_state_in_words_for_the_role_that_meets_it():
    team = as_text(heatmap_legend("team", 5, "en"))
    policy = heatmap_legend("policy", 5, "nl")
    assert "0% to 100%" in team and "No shared residents" in team and "Hidden" not in team
    hidden = next(c for c in policy._traverse() if "legend-hidden" in (getattr(c, "className", "") or ""))
    assert "<5" in as_text(hidden) and "Verborgen: minder dan 5 paren" in as_text(hidden)


def test_the_page_draws_the_role_s_rows_with_the_legend(source):
    view = source.view()
    team = component(collaboration_content(view, None, "team", 5, "en"), "organisation-heatmap")
    policy = component(collaboration_content(view, None, "policy", 5, "en"), "organisation-heatmap")
    team_text, policy_text = team.figure.data[3].text, policy.figure.data[3].text
    assert "<5" not in team_text and "<5" in policy_text
    shown = [r for r in view.publication(5).organisations[None] if r["aware_share"] is not None]
    assert sum(t.endswith("%") for t in policy_text) == 2 * len(shown)
    assert "heatmap-legend" in as_text(collaboration_content(view, "Stedenwijk", "policy", 5, "en"))


# --- the rows of a pair, and the comparison ---------------------------------------------------------


def test_pair_rows_are_exact_for_the_team_and_the_publications_for_policy(source):
    view = source.view()
    assert pair_rows(view, None, "team", 5) == [r.as_dict() for r in view.analysis.organisations]
    area = [r.as_dict() for r in view.analysis.area_organisations["Stedenwijk"]]
    assert pair_rows(view, "Stedenwijk", "team", 5) == area
    assert pair_rows(view, "Stedenwijk", "policy", 5) == view.publication(5).organisations["Stedenwijk"]
    assert pair_rows(view, "Nowhere", "team", 5) == pair_rows(view, "Nowhere", "policy", 5) == []


def test_comparison_rows_put_the_largest_change_first_and_say_why_a_change_is_missing():
    then = [
        row("A", "B", 10, 0.40),
        row("A", "C", 8, 0.90),
        row("A", "D", 2, 0.0),  # a jump of 100 points over two pairs: after the countable pairs
        row("B", "C", 6, 0.5),
        row("C", "D", 12, 0.5),
    ]
    now = [
        row("A", "B", 12, 0.50),
        row("A", "C", 9, 0.60),
        row("A", "D", 2, 1.0),
        row("B", "C", "<5", None),
        row("B", "D", 7, 0.3),
    ]
    rows = comparison_rows(then, now, {"A": "Alpha"}, 5, "nl")
    assert [r["pair"] for r in rows] == [
        "Alpha – C",  # −30 points
        "Alpha – B",  # +10 points
        "Alpha – D",  # +100 points, over fewer than 5 pairs
        "B – C",  # hidden now
        "B – D",  # new
        "C – D",  # gone
    ]
    assert [r["change_text"] for r in rows] == ["−30,0", "+10,0", "+100,0", "–", "–", "–"]
    assert rows[0]["then"] == 0.9 and rows[0]["now"] == 0.6 and rows[0]["change"] == -30.0
    assert [r["then_text"] for r in rows] == [
        "90% van 8 paren",
        "40% van 10 paren",
        "0% van 2 paren",
        "50% van 6 paren",
        "geen gedeelde bewoners",
        "50% van 12 paren",
    ]
    assert rows[3]["now_text"] == "verborgen (<5 paren)" and rows[5]["now_text"] == "geen gedeelde bewoners"
    assert (
        comparison_rows([row("A", "B", 1, 1.0)], [row("A", "B", None, None)], {}, 5, "en")[0]["then_text"]
        == "100% of 1 pair"
    )
    assert comparison_rows([], [row("A", "B", None, None)], {}, 5, "en")[0]["now_text"] == "hidden"


def test_earlier_view_is_the_snapshot_before_unless_another_earlier_one_is_chosen(source):
    newest, middle, oldest = source.view(NEWEST), source.view(MIDDLE), source.view(OLDEST)
    assert earlier_view(source, newest, None) is middle
    assert earlier_view(source, newest, OLDEST) is oldest
    assert earlier_view(source, newest, NEWEST) is middle  # not an earlier one: the one before
    assert earlier_view(source, middle, None) is oldest
    assert earlier_view(source, oldest, None) is None and earlier_view(source, None, None) is None


@pytest.mark.parametrize("role", ["team", "policy"])
@pytest.mark.parametrize("area", [None, "Stedenwijk"])
def test_the_comparison_names_the_pairs_that_started_finding_each_other_or_drifted_apart(source, role, area):
    now, then = source.view(NEWEST), source.view(OLDEST)
    content = comparison_content(now, then, area, role, 5, "en")
    started, drifted = pair_shifts(pair_rows(then, area, role, 5), pair_rows(now, area, role, 5), 5)
    names = {**group_names(then, "en"), **group_names(now, "en")}
    for list_id, shifts in (("pairs-started", started), ("pairs-drifted", drifted)):
        items = [c for c in component(content, list_id)._traverse() if isinstance(c, html.Li)]
        assert [item.children for item in items] == [
            f"{names[s.a]} and {names[s.b]}: {round(s.from_share * 100)}% → {round(s.to_share * 100)}%"
            f" ({points(s.to_share - s.from_share, 'en')} percentage points)"
            for s in shifts
        ]
    grid = component(content, "comparison-grid")
    expected = comparison_rows(pair_rows(then, area, role, 5), pair_rows(now, area, role, 5), names, 5, "en")
    assert grid.rowData == expected
    where = area or "All neighbourhoods"
    assert component(content, "comparison-dates").children == f"{where}: from 1 December 2023 to 1 June 2024"


def test_the_demo_s_pilot_has_pairs_that_started_finding_each_other(source):
    content = as_text(comparison_content(source.view(NEWEST), source.view(OLDEST), None, "policy", 5, "en"))
    started, _ = pair_shifts(
        pair_rows(source.view(OLDEST), None, "policy", 5),
        pair_rows(source.view(NEWEST), None, "policy", 5),
        5,
    )
    assert len(started) >= 3 and "No pair" not in content.split("pairs-drifted")[0]


def test_policy_comparison_shows_only_the_publications_figures(source):
    now, then = source.view(NEWEST), source.view(MIDDLE)
    rows = component(comparison_content(now, then, None, "policy", 5, "en"), "comparison-grid").rowData
    published = {(r["a"], r["b"]): r for r in now.publication(5).organisations[None]}
    hidden = [r for r in rows if r["now_text"].startswith("hidden")]
    assert hidden and all(r["change"] is None for r in hidden)
    assert len(hidden) == sum(r["aware_share"] is None for r in published.values())
    text = as_text(comparison_content(now, then, "Emmen-Centrum", "policy", 5, "en"))
    assert not [h for h in now.helpers if h in text]


def test_without_an_earlier_snapshot_the_comparison_says_so(source):
    text = as_text(comparison_content(source.view(OLDEST), None, None, "policy", 5, "nl"))
    assert "Er is geen opgeslagen peildatum vóór deze: er valt niets te vergelijken." in text
    assert "comparison-grid" not in text


# --- the overview's change since the snapshot before ------------------------------------------------


def test_figure_changes_need_the_figure_shown_at_both_dates():
    now = {
        "residents_with_circle": 31,
        "mean_awareness_coverage": 0.626,
        "caregiver_visibility": None,
        "residents_with_gaps": 39,
    }
    then = {
        "residents_with_circle": "<5",
        "mean_awareness_coverage": 0.582,
        "caregiver_visibility": 0.7,
        "residents_with_gaps": 39,
    }
    changes = figure_changes(now, then)
    assert changes["residents_with_circle"] is None and changes["caregiver_visibility"] is None
    assert changes["mean_awareness_coverage"] == pytest.approx(0.044) and changes["residents_with_gaps"] == 0
    assert set(figure_changes(now, None).values()) == {None}
    texts = {name: change_text(name, change, "en") for name, change in changes.items()}
    assert texts == {
        "residents_with_circle": "–",
        "mean_awareness_coverage": "+4.4 percentage points",
        "caregiver_visibility": "–",
        "residents_with_gaps": "0",
    }


def key_lines(content) -> list[str]:
    """The change lines under the key figures."""
    figures = component(content, "key-figures")
    return [
        c.children for c in figures._traverse() if "key-figure-change" in (getattr(c, "className", "") or "")
    ]


@pytest.mark.parametrize("role", ["team", "policy"])
@pytest.mark.parametrize("area", [None, "Stedenwijk", "Emmen-Centrum"])
def test_the_overview_shows_each_key_figure_s_change_as_the_role_sees_both(source, role, area):
    now, then = source.view(NEWEST), source.view(MIDDLE)
    content = overview_content(now, area, role, 5, "en", earlier=then)
    changes = figure_changes(now.summary(area, role, 5), then.summary(area, role, 5))
    assert key_lines(content) == [
        f"Since 1 March 2024: {change_text(n, c, 'en')}" for n, c in changes.items()
    ]
    note = as_text(content)
    if None in changes.values():
        assert ("fewer than 5 residents" if role == "policy" else "missing at one of the two dates") in note
    else:
        assert "key-figures-change-note" not in note
    assert ("New gaps since 1 March 2024" in note) == (role == "team")


def test_policy_sees_a_dash_where_a_figure_is_cut_at_either_date(source):
    now, then = source.view(NEWEST), source.view(MIDDLE)
    published = now.summary("Emmen-Centrum", "policy", 5)
    assert published["residents_with_gaps"] == "<5"
    lines = key_lines(overview_content(now, "Emmen-Centrum", "policy", 5, "en", earlier=then))
    assert lines[3] == "Since 1 March 2024: –"
    team = key_lines(overview_content(now, "Emmen-Centrum", "team", 5, "en", earlier=then))
    assert team[3] != lines[3]


def test_the_first_snapshot_has_no_change_and_says_so(source):
    content = overview_content(source.view(OLDEST), None, "policy", 5, "nl", earlier=None)
    assert key_lines(content) == []
    assert "Er is geen opgeslagen peildatum vóór deze: er is geen verandering te tonen." in as_text(content)


def test_a_neighbourhood_the_earlier_snapshot_lacks_has_no_change(source):
    from types import SimpleNamespace

    def no_summary(*_):
        raise AssertionError("an earlier snapshot without the neighbourhood has no summary of it")

    earlier = SimpleNamespace(as_of=MIDDLE, neighbourhoods=[], summary=no_summary)
    content = overview_content(source.view(NEWEST), "Stedenwijk", "policy", 5, "en", earlier=earlier)
    assert key_lines(content) == ["Since 1 March 2024: –"] * 4
    assert "fewer than 5 residents" in as_text(content)
