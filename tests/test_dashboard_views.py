"""The pure functions behind the dashboard's callbacks, called directly."""

import json
from datetime import date

import plotly.io
import pytest

from dashboards.budget import view_bytes
from dashboards.components.network import circle_elements
from dashboards.data import DataSource
from dashboards.i18n import count_text, share_text
from dashboards.pages.collaboration import collaboration_content, group_names, network_content
from dashboards.pages.data_quality import quality_content
from dashboards.pages.overlaps import overlap_csv, overlap_rows
from dashboards.pages.overview import coverage_bins, overview_content
from dashboards.pages.resident import circle_content
from dashboards.pages.residents import resident_link, resident_rows
from graph.analysis.disclosure import coverage_bands, protect_report
from graph.errors import StoreError
from tests.dashboard_support import FORMULA_NEED, build_store

OLDEST, MIDDLE, NEWEST = date(2023, 12, 1), date(2024, 3, 1), date(2024, 6, 1)


def as_text(component) -> str:
    """Everything a component tree would send to the browser, as text."""
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return DataSource(str(build_store(tmp_path_factory.mktemp("views"))))


@pytest.fixture(scope="module")
def view(source):
    return source.view()


def test_the_newest_snapshot_is_analysed_once_and_cached(source, view):
    assert view.as_of == NEWEST
    assert source.view() is view and source.view(NEWEST) is view
    older = source.view(OLDEST)
    assert older.as_of == OLDEST and older is not view
    assert [info.as_of for info in source.snapshots()] == [OLDEST, MIDDLE, NEWEST]


@pytest.fixture
def built(monkeypatch) -> list[date]:
    """The dates of the snapshots the dashboard analyses, in order."""
    from dashboards import data

    dates, build_view = [], data.build_view
    monkeypatch.setattr(
        data, "build_view", lambda info, part: dates.append(info.as_of) or build_view(info, part)
    )
    return dates


def test_warming_analyses_the_stored_snapshots_before_the_first_page(tmp_path, monkeypatch, caplog, built):
    store = str(build_store(tmp_path))
    warmed = DataSource(store)
    warmed.warm()
    assert built == [NEWEST, MIDDLE, OLDEST]  # the newest first
    first_page, older = warmed.view(), warmed.view(OLDEST)
    warmed.warm()
    assert built == [NEWEST, MIDDLE, OLDEST] and warmed.view() is first_page  # the pages found them cached
    assert warmed.view(OLDEST) is older

    # a budget for the newest view only: warming leaves the others to the visitors, and never
    # analyses again an older snapshot that a visitor's request pushed out
    sizes = {info.as_of: view_bytes(info) for info in warmed.snapshots()}
    small = DataSource(store, cache_bytes=sizes[NEWEST])
    built.clear()
    small.warm()
    assert built == [NEWEST]
    small.view(MIDDLE)  # a visitor: the newest is evicted
    small.view(OLDEST)  # and then the middle one
    small.warm()
    assert built == [NEWEST, MIDDLE, OLDEST, NEWEST]

    def unreadable():
        raise StoreError("store.sqlite: store format 9, this carecircle reads 2")

    monkeypatch.setattr(warmed, "snapshots", unreadable)
    warmed.warm()  # logged, not raised: the pages say what is wrong
    warmed.warm()
    line = "could not analyse the stored snapshots in advance: store.sqlite: store format 9"
    assert caplog.text.count(line) == 1  # once, not every round


def test_keeping_warm_analyses_a_snapshot_ingested_while_the_server_runs(tmp_path, built):
    import threading
    import time

    from graph.stores import SqliteStore

    store = build_store(tmp_path)
    warmed, stop = DataSource(str(store)), threading.Event()
    warming = threading.Thread(target=warmed.keep_warm, args=(stop,), kwargs={"every": 0.05})
    warming.start()
    later = date(2024, 9, 1)

    def wait_until_built(as_of: date) -> None:
        deadline = time.monotonic() + 60
        while as_of not in built and time.monotonic() < deadline:
            time.sleep(0.05)

    try:
        wait_until_built(NEWEST)  # as the server starts
        with SqliteStore(store) as target:  # then a new ingest
            snapshot = target.load()
            snapshot.as_of = later
            target.save(snapshot, {})
        wait_until_built(later)
    finally:
        stop.set()
        warming.join(timeout=60)
    assert not warming.is_alive()
    # each analysed once, the new one without a page asking
    assert built == [NEWEST, MIDDLE, OLDEST, later]
    page = warmed.view()
    assert page.as_of == later and built == [NEWEST, MIDDLE, OLDEST, later]


def test_coverage_bands_by_hand():
    assert coverage_bands([0.0, 0.09, 0.1, 0.55, 0.999, 1.0]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]


def test_coverage_bins_exact_for_the_team_protected_for_policy(view):
    team = coverage_bins(view, "Stedenwijk", "team", 5)
    assert team[0][0] == "0–10%" and team[-1][0] == "90–100%"
    assert sum(count for _, count in team) == view.summary("Stedenwijk", "team", 5)["residents_with_circle"]
    policy = coverage_bins(view, "Stedenwijk", "policy", 5)
    assert [count for _, count in policy] == view.publication(5).coverage["Stedenwijk"]
    for (_, exact), (_, shown) in zip(team, policy, strict=True):
        assert shown == exact or (shown == "<5" and 0 < exact < 5) or (shown is None and exact >= 5)


def test_overview_shows_the_neighbourhood_summary(view):
    summary = view.summary("Stedenwijk", "team", 5)
    text = as_text(overview_content(view, "Stedenwijk", "team", 5, "nl"))
    assert "Stedenwijk · 2024-06-01" in text
    assert f'"{count_text(summary["residents"], "nl")}"' in text
    assert f'"{share_text(summary["mean_awareness_coverage"])}"' in text
    assert "Knelpunten per soort" in text
    english = as_text(overview_content(view, None, "team", 5, "en"))
    assert "All neighbourhoods · 2024-06-01" in english and "Gaps by type" in english


def test_overview_for_policy_suppresses_small_cells(view):
    text = as_text(overview_content(view, "Emmen-Centrum", "policy", 5, "en"))
    # 6 residents, 3 of them with a gap, 5 formal helpers, no informal helpers
    assert '"6"' in text and '"<5"' in text
    assert "Counts from 1 to 4 are shown as <5" in text
    relaxed = as_text(overview_content(view, "Emmen-Centrum", "policy", 2, "en"))
    assert '"3"' in relaxed


def test_overview_without_a_store_explains_how_to_load_data():
    text = as_text(overview_content(None, None, "team", 5, "en", "my.db"))
    assert "carecircle ingest DATASET --store my.db" in text


def test_resident_rows_carry_metrics_names_and_high_gaps(view):
    rows = {row["resident_id"]: row for row in resident_rows(view, "Stedenwijk")}
    assert len(rows) == view.summary("Stedenwijk", "team", 5)["residents"]
    piqué = rows["R-PIQUE"]
    assert (piqué["name"], piqué["circle_size"], piqué["gap_count"], piqué["high"]) == (
        "Mevrouw Piqué",
        4,
        4,
        1,
    )
    assert piqué["link"] == "[R\\-PIQUE](/residents/R-PIQUE)"
    assert all(row["neighbourhood"] == "Stedenwijk" for row in rows.values())
    assert len(resident_rows(view, None)) == len(view.residents)


def test_resident_link_escapes_markdown_and_the_path():
    assert resident_link("a]b(c)") == "[a\\]b\\(c\\)](/residents/a%5Db%28c%29)"


def test_mrs_piqués_circle(view):
    text = as_text(circle_content(view, "R-PIQUE", "nl"))
    assert "Mevrouw Piqué" in text and "geboren 1940" in text and "woont alleen" in text
    # her four gaps, with helpers by name for the team
    assert "Overlap zonder afstemming" in text and "Eenzijdig bekend" in text
    assert (
        "De mantelzorger (Marie Piqué) en de huishoudelijke hulp (Samira El Idrissi) doen allebei huishouden"
        in text
    )
    assert "Breng de wijkverpleegkundige (Anouk de Wit) in contact met de vrijwilliger (Kees Bakker)" in text
    assert "Zorggroep Almere" in text and "maaltijden" in text
    unknown = as_text(circle_content(view, "R-NOBODY", "en"))
    assert "No resident R-NOBODY in the snapshot of 2024-06-01" in unknown


def test_circle_picture_elements_follow_the_awareness_rows(view):
    members = [
        {"helper_id": h, "role": view.helpers[h]["role"], "kind": view.helpers[h]["kind"], "display": h}
        for h in view.analysis.circles.members("R-PIQUE")
    ]
    elements = circle_elements("Mevrouw Piqué", members, view.awareness["R-PIQUE"], "nl")
    nodes = [e for e in elements if "source" not in e["data"]]
    edges = [e for e in elements if "source" in e["data"]]
    assert nodes[0]["data"]["id"] == "resident" and nodes[0]["position"] == {"x": 0, "y": 0}
    assert {n["classes"].split()[0] for n in nodes[1:]} == {"formal", "informal", "caregiver"}
    classes = sorted(e["classes"] for e in edges)
    assert classes == ["aware"] * 6 + ["coordinating"] + ["none"] * 2 + ["support"] * 4
    coordinating = next(e for e in edges if e["classes"] == "coordinating")
    assert (coordinating["data"]["source"], coordinating["data"]["target"]) == (
        "helper:H-PIQUE-DAUGHTER",
        "helper:H-PIQUE-NURSE",
    )
    radii = {round((n["position"]["x"] ** 2 + n["position"]["y"] ** 2) ** 0.5) for n in nodes[1:]}
    assert radii == {170}


def test_overlap_rows_filter_by_type_domain_and_neighbourhood(view):
    everything = overlap_rows(view, None, "both", None, "en")
    assert {row["type"] for row in everything} == {"uncoordinated_overlap", "unmet_need"}
    overlaps = overlap_rows(view, "Stedenwijk", "uncoordinated_overlap", None, "en")
    assert overlaps and all(
        r["type"] == "uncoordinated_overlap" and r["neighbourhood"] == "Stedenwijk" for r in overlaps
    )
    piqué = [r for r in overlaps if r["resident_id"] == "R-PIQUE"]
    assert [(r["domains"], r["helpers"]) for r in piqué] == [
        ("household", "H-PIQUE-DAUGHTER|H-PIQUE-HOUSEHOLD")
    ]
    meals = overlap_rows(view, None, "unmet_need", "meals", "en")
    assert meals and all(r["domains"] == "meals" for r in meals)
    total = len(view.analysis.gaps)
    assert len(everything) == sum(
        1 for g in view.analysis.gaps if g.type in ("uncoordinated_overlap", "unmet_need")
    )
    assert len(everything) < total


def test_overlap_csv_neutralises_formulas(view):
    rows = overlap_rows(view, "Stedenwijk", "unmet_need", None, "en")
    formula = [r for r in rows if r["resident_id"] == "R-FORMULA"]
    assert [r["domains"] for r in formula] == [FORMULA_NEED]
    lines = overlap_csv(formula).splitlines()
    assert lines[0] == (
        "resident_id,name,neighbourhood,type,severity,domains,helpers,helper_names,message,action"
    )
    name = formula[0]["name"]
    assert lines[1].startswith(f"R-FORMULA,{name},Stedenwijk,unmet_need,high,'{FORMULA_NEED},")


def test_collaboration_for_policy_names_no_helper(view):
    team = as_text(collaboration_content(view, "Stedenwijk", "team", 5, "en"))
    policy = as_text(collaboration_content(view, "Stedenwijk", "policy", 5, "en"))
    assert "(caregivers)" in team and "(caregivers)" in policy
    shown = [name for name in view.helper_names.values() if name in team]
    assert shown, "the team sees brokers and isolated helpers by name"
    assert not [h for h in view.helpers if f'"{h}' in policy or f"{h} ·" in policy]
    assert not [name for name in view.helper_names.values() if name in policy]
    assert "Counts from 1 to 4" in policy


def component(content: list, component_id: str):
    """The component with ``component_id`` in a page's content."""
    from dash import html

    return next(c for c in html.Div(content)._traverse() if getattr(c, "id", None) == component_id)


@pytest.mark.parametrize("area", [None, "Stedenwijk", "Emmen-Centrum"])
def test_brokers_for_policy_are_counted_by_kind_from_the_publication(view, area):
    """No row per broker (counting rows per organisation would give small counts away): one row
    per kind of helper, with the helpers and brokers of that kind as the publication has them."""
    publication = view.publication(5)
    brokers = component(collaboration_content(view, area, "policy", 5, "en"), "brokers")
    assert brokers.data["head"] == ["Kind of helper", "Helpers", "Brokers"]
    helpers, network = publication.summaries[area]["helpers"], publication.networks[area]
    assert brokers.data["body"] == [
        [name, count_text(helpers[kind], "en"), count_text(network["brokers"][kind], "en")]
        for kind, name in (("formal", "Formal"), ("informal", "Informal"), ("caregiver", "Caregivers"))
    ]
    isolated = component(collaboration_content(view, area, "policy", 5, "en"), "isolated")
    assert isolated.children == count_text(network["isolated_count"], "en")
    team = component(collaboration_content(view, area, "team", 5, "en"), "brokers")
    # the team sees each broker as a person: by name (the id only for a helper without one)
    people = {name or helper for helper, name in ((h, row["name"]) for h, row in view.helpers.items())}
    assert team.data["head"][0] == "Helper" and all(row[0] in people for row in team.data["body"])


def test_policy_network_figures_of_a_neighbourhood_are_the_publications(view):
    text = as_text(collaboration_content(view, "Emmen-Centrum", "policy", 5, "nl"))
    network = view.publication(5).networks["Emmen-Centrum"]
    density = "–" if network["density"] is None else f"{network['density']:.3f}".replace(".", ",")
    stats = (
        f"{count_text(network['helpers'], 'nl')} hulpverleners · {count_text(network['links'], 'nl')}"
        f" verbindingen · dichtheid {density} · {count_text(network['components'], 'nl')} componenten"
    )
    assert stats in text
    assert "Een makelaar verbindt twee hulpverleners die elkaar niet kennen" in text


def test_group_names_put_the_informal_groups_in_words(view):
    names = group_names(view, "nl")
    assert names["(caregivers)"] == "(mantelzorgers)" and names["ORG-ICARE"] == "Icare Thuisbegeleiding"


def test_network_picture_of_one_neighbourhood(view, monkeypatch):
    text = as_text(network_content(view, "Emmen-Centrum", "en"))
    assert "H-EMMEN-AB-1" in text and "helper-network-picture" in text
    monkeypatch.setattr("dashboards.pages.collaboration.DRAWABLE_HELPERS", 10)
    too_big = as_text(network_content(view, None, "en"))
    assert "too large to draw" in too_big and "helper-network-picture" not in too_big


def test_data_quality_rows_for_the_team_counts_for_policy(source):
    report = source.report()
    warnings = [w for w in report["warnings"] if w["code"] == "unknown_code"]
    assert warnings and warnings[0]["file"] == "residents.csv"
    team = as_text(quality_content(report, "team", 5, "en"))
    policy = as_text(quality_content(report, "policy", 5, "en"))
    assert warnings[0]["message"] in team
    assert warnings[0]["message"] not in policy and "unknown_code" in policy
    protected = protect_report(report, 5)
    assert protected["files"]["residents.csv"]["read"] == report["files"]["residents.csv"]["read"]
    assert {row["code"]: row["count"] for row in protected["warnings"]["by_code"]}["unknown_code"] == "<5"
    # one small count among the warnings: another is hidden too, so the total cannot give it away
    assert (
        protected["warnings"]["total"] is None
        or sum(1 for row in protected["warnings"]["by_code"] if not isinstance(row["count"], int)) >= 2
    )


def test_the_app_draws_every_figure_in_its_one_template(tmp_path):
    from dashboards.app import create_app
    from dashboards.components.figures import TEMPLATE, gaps_by_type_bar

    create_app(str(tmp_path / "none.db"))
    figure = gaps_by_type_bar({"unmet_need": 3, "unaware_pair": 7}, "nl")
    assert plotly.io.templates.default == TEMPLATE
    assert figure.layout.template == plotly.io.templates[TEMPLATE]
