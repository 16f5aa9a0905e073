"""Policy figures against small cells: checked as an attacker who subtracts views would check them."""

import json
from datetime import date

import pytest
from hypothesis import given, settings

from carecircle.synthetic import generate_dataset
from graph.analysis import analyse, analyse_parts, to_json
from graph.analysis.disclosure import COVERAGE_BANDS, protect, protect_report, publish
from graph.analysis.metrics import ShareBases
from tests.analysis_helpers import make_snapshot
from tests.datasets import ingest
from tests.strategies import snapshots

K = 5


# --- the protection itself, by hand ----------------------------------------------------------------


def test_a_small_cell_and_its_partner_are_hidden_and_nothing_else():
    cells = {"all": 40, "a": 3, "b": 20, "c": 17, "d": 0}
    assert protect(cells, [("all", ["a", "b", "c", "d"])]) == {
        "all": 40,
        "a": "<5",
        "b": 20,
        "c": None,
        "d": 0,
    }


def test_two_small_cells_protect_each_other():
    cells = {"all": 27, "a": 3, "b": 4, "c": 20}
    assert protect(cells, [("all", ["a", "b", "c"])]) == {"all": 27, "a": "<5", "b": "<5", "c": 20}


def test_a_small_total_hides_a_part_too():
    # the total is small: its parts add up to it, so one more part is hidden besides the small ones
    cells = {"all": 4, "a": 4, "b": 0}
    assert protect(cells, [("all", ["a", "b"])]) == {"all": "<5", "a": "<5", "b": 0}
    cells = {"all": 3, "a": 0, "b": 0, "c": 3}
    assert protect(cells, [("all", ["a", "b", "c"])]) == {"all": "<5", "a": 0, "b": 0, "c": "<5"}


def test_hiding_spreads_through_crossing_additions():
    # a two-way table: rows and columns both add up
    cells = {("r1", "c1"): 2, ("r1", "c2"): 10, ("r2", "c1"): 12, ("r2", "c2"): 30}
    cells |= {("r1", "all"): 12, ("r2", "all"): 42, ("all", "c1"): 14, ("all", "c2"): 40, ("all", "all"): 54}
    additions = [((r, "all"), [(r, "c1"), (r, "c2")]) for r in ("r1", "r2")]
    additions += [(("all", c), [("r1", c), ("r2", c)]) for c in ("c1", "c2")]
    additions += [(("all", "all"), [("all", "c1"), ("all", "c2")])]
    shown = protect(cells, additions)
    assert shown[("r1", "c1")] == "<5"
    assert attack(shown, additions) == {}


# --- an attacker ----------------------------------------------------------------------------------


def attack(shown: dict, additions: list) -> dict:
    """Everything hidden that subtraction recovers: wherever an addition misses one figure."""
    values = {cell: value for cell, value in shown.items() if isinstance(value, int)}
    recovered = {}
    changed = True
    while changed:
        changed = False
        for total, parts in additions:
            missing = [m for m in (total, *parts) if m not in values]
            if len(missing) != 1:
                continue
            cell = missing[0]
            if cell == total:
                values[cell] = sum(values[p] for p in parts)
            else:
                values[cell] = values[total] - sum(values[p] for p in parts if p != cell)
            recovered[cell] = values[cell]
            changed = True
    return recovered


def published_figures(publication) -> tuple[dict, list]:
    """The policy figures as any view shows them, and how they add up (the attacker's knowledge).

    Besides the sums of neighbourhoods and of coverage bands: a network's helpers are its helpers
    of each kind together, and the isolated ones and those with a link; a kind's helpers are its
    brokers and the others (never shown, so unknown), a density gives the links back from the
    helpers, and "the rest of the municipality" beside a neighbourhood is the municipality less
    it, and the other neighbourhoods together.
    """
    figures, additions = {}, []
    scopes = list(publication.summaries)
    areas = [scope for scope in scopes if scope is not None]
    for scope in scopes:
        summary = publication.summaries[scope]
        figures.update(summary_figures(scope, summary))
        for band, value in enumerate(publication.coverage[scope]):
            figures[scope, "band", band] = value
        additions.append(
            ((scope, "residents_with_circle"), [(scope, "band", b) for b in range(COVERAGE_BANDS)])
        )
        for row in publication.organisations[scope]:
            figures[scope, "pair", row["a"], row["b"]] = row["cross_pairs"]
        network = publication.networks[scope]
        for metric in ("helpers", "links", "components", "isolated_count"):
            figures[scope, "network", metric] = network[metric]
        helpers = network["helpers"]
        if network["density"] is not None and isinstance(helpers, int):
            figures[scope, "network", "links"] = round(network["density"] * helpers * (helpers - 1) / 2)
        kinds = list(summary["helpers"])
        additions.append(((scope, "network", "helpers"), [(scope, f"helpers.{kind}") for kind in kinds]))
        for kind in kinds:
            figures[scope, "brokers", kind] = network["brokers"][kind]
            additions.append(
                ((scope, f"helpers.{kind}"), [(scope, "brokers", kind), (scope, "no broker", kind)])
            )
        # the network's helpers are the isolated ones and those with a link (never shown, so unknown)
        additions.append(
            ((scope, "network", "helpers"), [(scope, "network", "isolated_count"), (scope, "linked")])
        )
    for (scope, *name), _ in list(figures.items()):
        if scope is None:
            parts = []
            for area in areas:
                if (area, *name) not in figures:  # a pair of groups that never meet there: known 0
                    figures[area, *name] = 0
                parts.append((area, *name))
            additions.append(((None, *name), parts))
    for area in areas:
        rest = ("rest", area)
        for (_, *name), value in summary_figures(rest, publication.rests[area]).items():
            figures[rest, *name] = value
            additions.append(((None, *name), [(area, *name), (rest, *name)]))
            additions.append(((rest, *name), [(other, *name) for other in areas if other != area]))
    return figures, additions


def summary_figures(scope, summary: dict) -> dict:
    """The counts of a summary (of a neighbourhood, the municipality or the rest of it)."""
    figures = {}
    for metric in ("residents", "residents_with_circle", "residents_with_gaps"):
        figures[scope, metric] = summary[metric]
    for group in ("helpers", "gaps_by_type"):
        for name, value in summary.get(group, {}).items():
            figures[scope, f"{group}.{name}"] = value
    return figures


def assert_no_small_cell_escapes(analysis, publication, k=K):
    figures, additions = published_figures(publication)
    assert not [cell for cell, value in figures.items() if isinstance(value, int) and 0 < value < k]
    recovered = attack(figures, additions)
    assert not {cell: value for cell, value in recovered.items() if 0 < value < k}
    # shares: only over at least k items
    exact = {None: analysis.overall, **{a.neighbourhood: a for a in analysis.neighbourhoods}}
    for scope, summary in publication.summaries.items():
        assert_shares_rest_on_k_items(summary, exact[scope].share_bases, k)
        for row in publication.organisations[scope]:
            if row["aware_share"] is not None or row["mutual_share"] is not None:
                assert isinstance(row["cross_pairs"], int) and row["cross_pairs"] >= k
        assert (
            "helper_id" not in str(publication.networks[scope])
            and publication.networks[scope]["isolated"] == []
        )
    for area, rest in publication.rests.items():
        others = [a.share_bases for a in analysis.neighbourhoods if a.neighbourhood != area]
        bases = ShareBases(
            sum(b.mean_awareness_coverage for b in others), sum(b.caregiver_visibility for b in others)
        )
        assert_shares_rest_on_k_items(rest, bases, k)
        pilot = publication.summaries[area]
        (exact,) = [a for a in analysis.neighbourhoods if a.neighbourhood == area]
        for share in ("mean_awareness_coverage", "caregiver_visibility"):
            # a share hidden for the neighbourhood is hidden for the rest too, or the municipality's
            # would give it back; unless the neighbourhood has nothing in it (then both are equal)
            if getattr(exact.share_bases, share):
                assert pilot[share] is not None or rest[share] is None, (area, share)
            elif rest[share] is not None:
                assert rest[share] == publication.summaries[None][share], (area, share)


def assert_shares_rest_on_k_items(summary: dict, bases: ShareBases, k: int) -> None:
    if summary["mean_awareness_coverage"] is not None:
        assert bases.mean_awareness_coverage >= k
        assert isinstance(summary["residents_with_circle"], int)
    if summary["caregiver_visibility"] is not None:
        assert bases.caregiver_visibility >= k


@settings(max_examples=200)
@given(snapshot=snapshots())
def test_no_small_cell_can_be_recovered_from_random_snapshots(snapshot):
    analysis = analyse(snapshot)
    assert_no_small_cell_escapes(analysis, publish(analysis, K))


@settings(max_examples=100)
@given(snapshot=snapshots())
def test_the_policy_figures_are_the_same_analysed_whole_or_one_neighbourhood_at_a_time(snapshot):
    """``analyze --store`` analyses in parts, the dashboard whole: two different protections of
    one snapshot could be subtracted from each other."""
    whole = publish(analyse(snapshot), K)
    assert publish(analyse_parts(snapshot.neighbourhood_parts(), snapshot.as_of), K) == whole


@pytest.fixture(scope="module")
def municipality(tmp_path_factory):
    folder = tmp_path_factory.mktemp("disclosure") / "data"
    generate_dataset(folder, residents=600, seed=17, as_of=date(2024, 6, 1))
    return analyse(ingest(folder).snapshot)


@pytest.mark.parametrize("k", [3, 5, 10])
def test_no_small_cell_can_be_recovered_in_a_municipality(municipality, k):
    publication = publish(municipality, k)
    assert_no_small_cell_escapes(municipality, publication, k)
    # Emmen-Centrum (6 residents) has small cells; they are hidden, and only as much as needed
    emmen = publication.summaries["Emmen-Centrum"]
    assert emmen["residents"] == 6 if k <= 6 else emmen["residents"] is None or emmen["residents"] == f"<{k}"
    shown = sum(isinstance(v, int) for v in published_figures(publication)[0].values())
    assert shown > 0.6 * len(published_figures(publication)[0])


def test_the_policy_json_is_a_slice_of_the_one_protected_publication(municipality):
    document = to_json(municipality, role="policy", k=K)
    publication = publish(municipality, K)

    def rounded(summary):
        return {key: round(v, 3) if isinstance(v, float) else v for key, v in summary.items()}

    assert document["overall"] == rounded(publication.summaries[None])
    assert [n["neighbourhood"] for n in document["neighbourhoods"]] == [
        a.neighbourhood for a in municipality.neighbourhoods
    ]
    for area in document["neighbourhoods"]:
        assert area == rounded(publication.summaries[area["neighbourhood"]])
    assert document["helper_network"]["isolated"] == []
    # brokers are counted by kind, never listed
    assert document["helper_network"]["brokers"] == publication.networks[None]["brokers"]
    assert list(document["helper_network"]["brokers"]) == ["formal", "informal", "caregiver"]
    text = json.dumps(document)
    assert "R-PIQUE" not in text and "H-PIQUE" not in text and "R0" not in text and '"H0' not in text


def test_brokers_are_counted_by_kind_in_every_neighbourhood(municipality):
    """Checked against networkx's betweenness: a broker is a helper with betweenness above 0."""
    import networkx as nx

    circles = municipality.circles
    publication = publish(municipality, K)
    for area in [None, *(a.neighbourhood for a in municipality.neighbourhoods)]:
        residents = [r["resident_id"] for r in municipality.residents if area in (None, r["neighbourhood"])]
        graph = nx.Graph()
        for resident in residents:
            graph.add_nodes_from(circles.members(resident))
            graph.add_edges_from(circles.knows.get(resident, ()))
        scores = nx.betweenness_centrality(graph)
        exact = {kind: 0 for kind in ("formal", "informal", "caregiver")}
        for helper, score in scores.items():
            exact[circles.helpers[helper].kind] += score > 0
        assert municipality.broker_kinds[area] == exact, area
        shown = publication.networks[area]["brokers"]
        for kind, count in exact.items():
            assert shown[kind] in (count, f"<{K}", None) and (shown[kind] != f"<{K}" or 0 < count < K)
        assert sum(isinstance(v, int) for v in shown.values()) >= 1


def test_the_rest_of_the_municipality_is_the_other_neighbourhoods_together(municipality):
    publication = publish(municipality, K)
    overall = publication.summaries[None]
    shown_rests = 0
    for area in municipality.neighbourhoods:
        rest = publication.rests[area.neighbourhood]
        pilot = publication.summaries[area.neighbourhood]
        for metric in ("residents", "residents_with_circle", "residents_with_gaps"):
            if isinstance(rest[metric], int):
                assert rest[metric] == getattr(municipality.overall, metric) - getattr(area, metric)
                shown_rests += 1
            if not isinstance(pilot[metric], int) and isinstance(overall[metric], int):
                assert not isinstance(rest[metric], int), "the municipality less the rest would give it back"
    assert shown_rests > 0
    # Emmen-Centrum (6 residents) has small cells: beside it, the rest is hidden where it is
    emmen, rest = publication.summaries["Emmen-Centrum"], publication.rests["Emmen-Centrum"]
    assert emmen["residents_with_gaps"] == "<5" and rest["residents_with_gaps"] is None


def test_the_rest_keeps_a_share_its_neighbourhood_has_nothing_in():
    """A neighbourhood without caregivers has no visibility share; the rest's is then the
    municipality's, which is shown, so hiding the rest's would hide nothing."""
    helpers = {f"N{n}": ("district_nurse", "ORG1") for n in range(8)}
    helpers |= {f"C{n}": ("informal_caregiver", None) for n in range(8)}
    residents = {f"R{n}": ("Haven" if n < 6 else "Filmwijk", ()) for n in range(8)}
    support = [(f"N{n}", f"R{n}", "nursing") for n in range(8)]
    support += [(f"C{n}", f"R{n}", "social_contact") for n in range(6)]
    awareness = [(f"N{n}", f"C{n}", f"R{n}") for n in range(3)]
    publication = publish(analyse(make_snapshot(residents, helpers, support, awareness)), K)
    assert publication.summaries["Filmwijk"]["caregiver_visibility"] is None  # no caregiver at all
    assert publication.rests["Filmwijk"]["caregiver_visibility"] == 0.5
    assert publication.summaries[None]["caregiver_visibility"] == 0.5
    # Haven has caregivers, and its share is shown: so is Filmwijk's rest, nothing else to protect
    assert publication.summaries["Haven"]["caregiver_visibility"] == 0.5


def test_an_ingest_report_for_policy_keeps_counts_and_hides_rows():
    report = {
        "dataset": "x",
        "as_of": "2024-06-01",
        "files": {"residents.csv": {"read": 40, "accepted": 37, "rejected": 3}},
        "rejected": [
            {"file": "residents.csv", "line": n, "code": "invalid_bsn", "message": "…"} for n in (2, 3, 4)
        ],
        "warnings": [
            {"file": "support.csv", "line": n, "code": "duplicate_row", "message": "…"} for n in range(9)
        ],
        "ignored_columns": {},
    }
    protected = protect_report(report, K)
    assert protected["files"]["residents.csv"] == {"read": 40, "accepted": None, "rejected": "<5"}
    assert protected["rejected"]["total"] == "<5"
    assert protected["rejected"]["by_code"] == [
        {"file": "residents.csv", "code": "invalid_bsn", "count": "<5"}
    ]
    assert protected["warnings"]["total"] == 9
    assert "message" not in json.dumps(protected) and "line" not in json.dumps(protected)


def test_the_attacker_does_recover_small_cells_when_only_they_are_hidden(municipality, monkeypatch):
    """The check above has teeth: without secondary suppression, subtraction gives small cells back."""

    def primary_only(cells, additions, k=K):
        return {cell: f"<{k}" if 0 < value < k else value for cell, value in cells.items()}

    monkeypatch.setattr("graph.analysis.disclosure.protect", primary_only)
    figures, additions = published_figures(publish(municipality, K))
    recovered = attack(figures, additions)
    assert {cell: value for cell, value in recovered.items() if 0 < value < K}


@pytest.mark.parametrize("additions", ["_rest_additions", "_helper_additions"])
def test_the_attacker_recovers_small_cells_when_the_new_additions_are_ignored(
    municipality, monkeypatch, additions
):
    """The attacker's knowledge of the rest of the municipality and of brokers has teeth: a
    publication that protects without those additions gives small cells away."""
    monkeypatch.setattr(f"graph.analysis.disclosure._Figures.{additions}", lambda figures, scope: [])
    figures, additions_known = published_figures(publish(municipality, K))
    recovered = attack(figures, additions_known)
    assert {cell: value for cell, value in recovered.items() if 0 < value < K}


def test_helpers_with_a_link_are_protected_as_the_network_less_the_isolated():
    """In a neighbourhood of 20 helpers, 18 of them isolated, the 2 with a link must not follow
    from the two published counts."""
    residents = {f"R{n}": ("Haven", ()) for n in range(10)}
    helpers, support, awareness = {}, [], []
    for n in range(10):
        nurse, help_ = f"N{n}", f"H{n}"
        helpers |= {nurse: ("district_nurse", "Zorg"), help_: ("household_help", "Thuis")}
        support += [(nurse, f"R{n}", "nursing"), (help_, f"R{n}", "household")]
    awareness += [("N9", "H9", "R9"), ("H9", "N9", "R9")]
    analysis = analyse(make_snapshot(residents, helpers, support, awareness))
    assert (analysis.helper_network.helpers, analysis.helper_network.isolated_count) == (20, 18)
    publication = publish(analysis, K)
    figures, additions = published_figures(publication)
    recovered = attack(figures, additions)
    assert not {cell: value for cell, value in recovered.items() if 0 < value < K}
    network = publication.networks["Haven"]
    assert not (isinstance(network["helpers"], int) and isinstance(network["isolated_count"], int))
