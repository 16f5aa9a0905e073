"""The synthetic series of ``carecircle demo``: between snapshots gaps are resolved and appear."""

import csv
from datetime import date
from itertools import pairwise

import pytest

from carecircle.synthetic import PILOT, generate_dataset, generate_series
from carecircle.synthetic.changes import SeriesChanges
from graph.analysis import analyse
from tests.datasets import ingest

FILES = ("residents", "helpers", "organisations", "support", "awareness")
DATES = [date(2023, 12, 1), date(2024, 3, 1), date(2024, 6, 1)]
VIGNETTES = {"R-PIQUE", *(f"R-EMMEN-{client}" for client in range(1, 7))}


def read(folder, table) -> list[dict]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def identity(gap) -> tuple:
    return gap.resident_id, gap.type, gap.helpers, gap.domains


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """A 2,000-resident series of three snapshots: per snapshot its rows and its analysis."""
    written = generate_series(tmp_path_factory.mktemp("series"), residents=2000, seed=7)
    assert [dataset.path.name for dataset in written] == [day.isoformat() for day in DATES]
    return [
        {table: read(dataset.path, table) for table in FILES}
        | {"folder": dataset.path, "analysis": analyse(ingest(dataset.path).snapshot)}
        for dataset in written
    ]


@pytest.fixture(scope="module")
def areas(series) -> dict[str, str]:
    return {row["resident_id"]: row["neighbourhood"] for row in series[-1]["residents"]}


def gap_ids(snapshot) -> set[tuple]:
    return {identity(gap) for gap in snapshot["analysis"].gaps}


def knows(snapshot, a, b, resident) -> bool:
    return any(
        row["helper_id"] == a
        and row["about_helper_id"] == b
        and row["resident_id"] == resident
        and row["level"] in ("aware", "coordinating")
        for row in snapshot["awareness"]
    )


def test_same_seed_gives_the_same_bytes_and_the_first_snapshot_is_the_generated_dataset(tmp_path):
    first = generate_series(tmp_path / "a", residents=300, seed=5)
    second = generate_series(tmp_path / "b", residents=300, seed=5)
    other = generate_series(tmp_path / "c", residents=300, seed=6)
    for one, two in zip(first, second, strict=True):
        for path in sorted(one.path.iterdir()):
            assert path.read_bytes() == (two.path / path.name).read_bytes(), path
    assert (first[-1].path / "awareness.csv").read_bytes() != (other[-1].path / "awareness.csv").read_bytes()
    # nothing has happened before the first snapshot: it is the one-snapshot dataset of its date
    alone = generate_dataset(tmp_path / "alone", residents=300, seed=5, as_of=DATES[0], pilot_boost=0.0)
    for path in sorted(alone.path.iterdir()):
        assert path.read_bytes() == (first[0].path / path.name).read_bytes(), path
    # later snapshots differ from their one-snapshot datasets only by the changes
    later = generate_dataset(tmp_path / "later", residents=300, seed=5, as_of=DATES[1], pilot_boost=0.12)
    assert (later.path / "support.csv").read_bytes() != (first[1].path / "support.csv").read_bytes()


def test_gaps_are_resolved_and_new_ones_appear_in_every_neighbourhood(series, areas):
    neighbourhoods = {area for resident, area in areas.items() if resident not in VIGNETTES}
    assert len(neighbourhoods) == 8
    resolved_types, new_types = set(), set()
    for earlier, later in pairwise(series):
        before, after = gap_ids(earlier), gap_ids(later)
        resolved, new = before - after, after - before
        for area in sorted(neighbourhoods):
            assert any(areas[gap[0]] == area for gap in resolved), (later["folder"].name, area)
            assert any(areas[gap[0]] == area for gap in new), (later["folder"].name, area)
        # the vignettes take no part: their gaps persist
        assert not [gap for gap in resolved | new if gap[0] in VIGNETTES]
        resolved_types |= {gap[1] for gap in resolved}
        new_types |= {gap[1] for gap in new}
    assert {"unaware_pair", "one_sided_awareness", "caregiver_unseen", "no_overview"} <= resolved_types
    assert {"uncoordinated_overlap", "unmet_need", "stale_contact", "unaware_pair"} <= new_types


def introduced_pairs(earlier, later) -> list[tuple]:
    """(resident, a, b) outside the pilot coordinating both ways in ``later`` and unaware in ``earlier``."""
    coordinating = {
        (row["resident_id"], row["helper_id"], row["about_helper_id"])
        for row in later["awareness"]
        if row["level"] == "coordinating"
    }
    area = {row["resident_id"]: row["neighbourhood"] for row in later["residents"]}
    return [
        (resident, a, b)
        for resident, a, b in sorted(coordinating)
        if a < b
        and (resident, b, a) in coordinating
        and area[resident] != PILOT
        and not knows(earlier, a, b, resident)
        and not knows(earlier, b, a, resident)
    ]


def test_an_introduced_pair_coordinates_both_ways_and_its_unaware_gap_is_resolved(series):
    earlier, later = series[0], series[1]
    pairs = introduced_pairs(earlier, later)
    assert pairs
    resident, a, b = pairs[0]
    rows = [
        row
        for row in later["awareness"]
        if row["resident_id"] == resident and {row["helper_id"], row["about_helper_id"]} == {a, b}
    ]
    assert len(rows) == 2
    for row in rows:
        assert row["level"] == "coordinating"
        contact = date.fromisoformat(row["last_contact"])
        assert DATES[0] < contact <= DATES[1] and (DATES[1] - contact).days <= 6
        assert row["observed_on"] == row["last_contact"]
        assert row["contact_every_days"] in ("", "7", "14", "28")
    assert rows[0]["contact_every_days"] == rows[1]["contact_every_days"]
    assert (resident, "unaware_pair", (a, b), ()) in gap_ids(earlier)
    assert not [gap for gap in gap_ids(later) if gap[0] == resident and gap[2] == (a, b)]
    # the introduction holds: still coordinating, with a recent contact, in the next snapshot
    assert (resident, a, b) in {(r, x, y) for r, x, y in introduced_pairs(earlier, series[2])}


def test_a_joined_helper_is_new_to_the_circle_and_nobody_knows_them_yet(series):
    earlier, later = series[0], series[1]
    known = {row["helper_id"] for row in earlier["helpers"]}
    joined = [row for row in later["helpers"] if row["helper_id"] not in known]
    assert joined and all(row["helper_id"].startswith("HJ1-") for row in joined)
    helper = joined[0]
    support = [row for row in later["support"] if row["helper_id"] == helper["helper_id"]]
    assert len(support) == 1
    row = support[0]
    assert DATES[0] < date.fromisoformat(row["start_date"]) <= DATES[1] and not row["end_date"]
    resident = row["resident_id"]
    needs = next(r["needs"] for r in later["residents"] if r["resident_id"] == resident).split("|")
    assert row["domains"] in needs
    assert not [
        r for r in later["awareness"] if helper["helper_id"] in (r["helper_id"], r["about_helper_id"])
    ]
    circle = next(r for r in later["analysis"].residents if r["resident_id"] == resident)
    unaware = {
        gap[2] for gap in gap_ids(later) - gap_ids(earlier) if gap[0] == resident and gap[1] == "unaware_pair"
    }
    others = circle["circle_size"] - 1
    assert len(unaware) == others and all(helper["helper_id"] in pair for pair in unaware)
    assert helper["helper_id"] in {r["helper_id"] for r in series[2]["helpers"]}


def test_a_departed_helper_leaves_the_circle_between_the_snapshots(series):
    earlier, later = series[0], series[1]
    open_before = {(r["helper_id"], r["resident_id"]) for r in earlier["support"] if not r["end_date"]}
    ended = [
        r
        for r in later["support"]
        if r["end_date"]
        and (r["helper_id"], r["resident_id"]) in open_before
        and DATES[0] < date.fromisoformat(r["end_date"]) < DATES[1]
    ]
    assert ended
    helper, resident = ended[0]["helper_id"], ended[0]["resident_id"]
    assert all(r["start_date"] < r["end_date"] for r in ended)
    gone = {gap for gap in gap_ids(earlier) - gap_ids(later) if gap[0] == resident}
    before = {gap for gap in gap_ids(earlier) if gap[0] == resident and helper in gap[2]}
    assert before <= gone  # every gap that named the departed helper is resolved
    assert not [gap for gap in gap_ids(later) if gap[0] == resident and helper in gap[2]]


def test_new_stale_contacts_outside_the_pilot_are_contacts_not_renewed(series, areas):
    for earlier, later in pairwise(series):
        stale = [
            gap
            for gap in gap_ids(later) - gap_ids(earlier)
            if gap[1] == "stale_contact" and areas[gap[0]] != PILOT
        ]
        assert stale
        for resident, _, (a, b), _ in stale:
            contacts = [
                {
                    r["last_contact"]
                    for r in snapshot["awareness"]
                    if r["resident_id"] == resident and {r["helper_id"], r["about_helper_id"]} == {a, b}
                }
                for snapshot in (earlier, later)
            ]
            assert contacts[0] == contacts[1] and contacts[1] != {""}, (resident, a, b)


def coverage(snapshot) -> dict[str, float]:
    return {
        summary.neighbourhood: summary.mean_awareness_coverage
        for summary in snapshot["analysis"].neighbourhoods
        if summary.neighbourhood != "Emmen-Centrum"
    }


def test_the_pilot_improves_and_the_other_neighbourhoods_stay_level(series):
    figures = [coverage(snapshot) for snapshot in series]
    pilot = [figure[PILOT] for figure in figures]
    assert pilot[0] < pilot[1] < pilot[2] and pilot[2] - pilot[0] > 0.05
    for area in figures[0]:
        if area != PILOT:
            values = [figure[area] for figure in figures]
            assert max(values) - min(values) < 0.01, area


def vignette_rows(snapshot_or_folder) -> dict[str, list[dict]]:
    tables = snapshot_or_folder if isinstance(snapshot_or_folder, dict) else None
    folder = None if tables else snapshot_or_folder
    rows = {}
    for table in ("residents", "support", "awareness"):
        records = tables[table] if tables else read(folder, table)
        rows[table] = [r for r in records if r["resident_id"] in VIGNETTES]
    return rows


def test_the_vignettes_are_the_same_in_every_snapshot_as_in_the_generated_dataset(series, tmp_path):
    for snapshot, day in zip(series, DATES, strict=True):
        alone = generate_dataset(tmp_path / day.isoformat(), residents=2000, seed=7, as_of=day)
        assert vignette_rows(snapshot) == vignette_rows(alone.path)
    # and so are their gaps in the last snapshot
    last = [g for g in series[-1]["analysis"].gaps if g.resident_id in VIGNETTES]
    expected = [g for g in analyse(ingest(alone.path).snapshot).gaps if g.resident_id in VIGNETTES]
    assert [(identity(g), g.details) for g in last] == [(identity(g), g.details) for g in expected]
    assert {g.resident_id for g in last} == {"R-PIQUE", "R-EMMEN-4", "R-EMMEN-5", "R-EMMEN-6"}


def test_steps_are_planned_in_order():
    changes = SeriesChanges(7, DATES)
    with pytest.raises(ValueError, match="out of order"):
        changes.plan(None, 2)
