"""The synthetic generator: determinism, the seed vignettes, canonical form, realistic shape."""

import csv
from collections import Counter, defaultdict
from datetime import date

import pytest

from carecircle.synthetic import _write_table, generate_dataset
from graph.schema import SCHEMA
from graph.vocabulary import DOMAINS, FUNDING, LEVELS, ORGANISATION_TYPES, RELATIONS, ROLES, role_kind
from ingest.cells import elfproef
from tests.datasets import ingest

AS_OF = date(2024, 6, 1)
FILES = ("residents", "helpers", "organisations", "support", "awareness")


def read(folder, table) -> list[dict]:
    with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    generate_dataset(folder, residents=2000, seed=7, as_of=AS_OF)
    return {table: read(folder, table) for table in FILES} | {"folder": folder}


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(tmp_path):
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_dataset(first, residents=300, seed=5)
    generate_dataset(second, residents=300, seed=5)
    generate_dataset(other, residents=300, seed=6)
    names = sorted(p.name for p in first.iterdir())
    assert names == [
        "awareness.csv",
        "dataset.toml",
        "helpers.csv",
        "organisations.csv",
        "residents.csv",
        "support.csv",
    ]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / "support.csv").read_bytes() != (other / "support.csv").read_bytes()


def test_canonical_form(dataset):
    raw = (dataset["folder"] / "support.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    assert (
        dataset["folder"] / "dataset.toml"
    ).read_text() == 'name = "Synthetisch ALTOO"\nas_of = 2024-06-01\n'
    assert list(dataset["support"][0]) == (
        [
            "helper_id",
            "resident_id",
            "domains",
            "hours_per_week",
            "start_date",
            "end_date",
            "funding",
            "delegated_by",
        ]
    )
    assert {h["role"] for h in dataset["helpers"]} <= set(ROLES.codes)
    assert {o["type"] for o in dataset["organisations"]} <= set(ORGANISATION_TYPES.codes)
    assert {h["relation"] for h in dataset["helpers"]} <= {"", *RELATIONS.codes}
    assert {a["level"] for a in dataset["awareness"]} == set(LEVELS.codes)
    assert {s["funding"] for s in dataset["support"]} <= set(FUNDING.codes)
    domains = {d for s in dataset["support"] for d in s["domains"].split("|")}
    needs = {d for r in dataset["residents"] if r["needs"] for d in r["needs"].split("|")}
    assert domains <= set(DOMAINS.codes) and needs <= set(DOMAINS.codes)
    for row in dataset["support"]:
        assert row["domains"], row
        for column in ("start_date", "end_date"):
            if row[column]:
                date.fromisoformat(row[column])
        if row["start_date"] and row["end_date"]:
            assert row["end_date"] >= row["start_date"]
        assert float(row["hours_per_week"]) >= 0


def test_every_reference_resolves_and_ids_are_unique(dataset):
    organisations = [o["organisation_id"] for o in dataset["organisations"]]
    helpers = {h["helper_id"]: h for h in dataset["helpers"]}
    residents = [r["resident_id"] for r in dataset["residents"]]
    assert len(set(organisations)) == len(organisations)
    assert len(helpers) == len(dataset["helpers"])
    assert len(set(residents)) == len(residents) == 2000
    assert {h["organisation_id"] for h in helpers.values()} <= {"", *organisations}
    supported = set()
    for row in dataset["support"]:
        assert row["helper_id"] in helpers and row["resident_id"] in set(residents)
        supported.add((row["helper_id"], row["resident_id"]))
        if row["delegated_by"]:
            assert role_kind(helpers[row["delegated_by"]]["role"]) == "formal"
    keys = [(a["helper_id"], a["about_helper_id"], a["resident_id"]) for a in dataset["awareness"]]
    assert len(set(keys)) == len(keys)
    for helper, about, resident in keys:
        assert helper != about
        assert (helper, resident) in supported and (about, resident) in supported
    repeated = Counter(tuple(row.values()) for row in dataset["support"])
    assert max(repeated.values()) == 1


def test_bsns_pass_the_elfproef_and_exactly_one_pair_is_shared(dataset):
    bsns = [r["bsn"] for r in dataset["residents"] if r["bsn"]]
    assert 0.8 < len(bsns) / 2000 < 0.95
    assert all(elfproef(bsn) for bsn in bsns)
    counts = Counter(bsns)
    assert sorted(counts.values())[-2:] == [1, 2]


def test_piqué_vignette(dataset):
    (piqué,) = [r for r in dataset["residents"] if r["resident_id"] == "R-PIQUE"]
    assert (piqué["neighbourhood"], piqué["birth_year"], piqué["lives_alone"]) == (
        "Stedenwijk",
        "1940",
        "true",
    )
    assert piqué["needs"] == "administration|chores|household|nursing|social_contact"
    roles = {
        h["helper_id"]: (h["role"], h["relation"]) for h in dataset["helpers"] if "PIQUE" in h["helper_id"]
    }
    assert roles == {
        "H-PIQUE-NURSE": ("district_nurse", ""),
        "H-PIQUE-HOUSEHOLD": ("household_help", ""),
        "H-PIQUE-VOLUNTEER": ("volunteer", ""),
        "H-PIQUE-DAUGHTER": ("informal_caregiver", "child"),
    }
    support = {s["helper_id"]: s["domains"] for s in dataset["support"] if s["resident_id"] == "R-PIQUE"}
    assert support == {
        "H-PIQUE-NURSE": "nursing",
        "H-PIQUE-HOUSEHOLD": "household",
        "H-PIQUE-VOLUNTEER": "administration|chores",
        "H-PIQUE-DAUGHTER": "household|meals|social_contact",
    }
    awareness = {
        (a["helper_id"][8:], a["about_helper_id"][8:]): a["level"]
        for a in dataset["awareness"]
        if a["resident_id"] == "R-PIQUE"
    }
    assert awareness == {
        ("NURSE", "HOUSEHOLD"): "aware",
        ("HOUSEHOLD", "NURSE"): "aware",
        ("NURSE", "DAUGHTER"): "aware",
        ("DAUGHTER", "NURSE"): "coordinating",
        ("DAUGHTER", "HOUSEHOLD"): "aware",
        ("HOUSEHOLD", "DAUGHTER"): "none",
        ("HOUSEHOLD", "VOLUNTEER"): "none",
        ("VOLUNTEER", "DAUGHTER"): "aware",
        ("DAUGHTER", "VOLUNTEER"): "aware",
    }


def test_emmen_vignette_has_delegations_with_fresh_stale_and_missing_contact(dataset):
    clients = [r for r in dataset["residents"] if r["resident_id"].startswith("R-EMMEN-")]
    assert [c["resident_id"] for c in clients] == [f"R-EMMEN-{i}" for i in range(1, 7)]
    assert {c["neighbourhood"] for c in clients} == {"Emmen-Centrum"}
    organisations = {o["organisation_id"]: (o["name"], o["type"]) for o in dataset["organisations"]}
    assert organisations["ORG-DOKTER-SCHOONMAAK"] == ("Dokter Schoonmaak", "main_provider")
    assert organisations["ORG-ICARE"] == ("Icare Thuisbegeleiding", "provider")
    delegated = [
        s for s in dataset["support"] if s["resident_id"].startswith("R-EMMEN-") and s["delegated_by"]
    ]
    assert len(delegated) == 6
    assert {(s["domains"], s["delegated_by"][:11]) for s in delegated} == {("administration", "H-EMMEN-AB-")}
    contact = {}
    for a in dataset["awareness"]:
        if a["resident_id"].startswith("R-EMMEN-"):
            days = (AS_OF - date.fromisoformat(a["last_contact"])).days if a["last_contact"] else None
            contact[a["resident_id"]] = (a["level"], a["contact_every_days"], days)
    assert contact == {
        "R-EMMEN-1": ("coordinating", "14", 5),
        "R-EMMEN-2": ("coordinating", "14", 20),
        "R-EMMEN-3": ("coordinating", "14", 28),
        "R-EMMEN-4": ("coordinating", "14", 29),
        "R-EMMEN-5": ("coordinating", "14", None),
        "R-EMMEN-6": ("aware", "", None),
    }


def test_vignettes_do_not_depend_on_seed_or_size(tmp_path):
    generate_dataset(tmp_path / "small", residents=7, seed=1)
    generate_dataset(tmp_path / "large", residents=400, seed=99)
    marks = ("PIQUE", "EMMEN", "ORG-ICARE", "ORG-DOKTER", "ORG-ZORGGROEP-ALMERE", "ORG-THUISHULP-ALMERE")
    for table in FILES:
        small = [r for r in read(tmp_path / "small", table) if any(m in str(r) for m in marks)]
        large = [r for r in read(tmp_path / "large", table) if any(m in str(r) for m in marks)]
        assert small == large and small, table


def test_as_of_moves_every_date_with_it(tmp_path):
    generate_dataset(tmp_path / "a", residents=50, seed=2, as_of=date(2024, 6, 1))
    generate_dataset(tmp_path / "b", residents=50, seed=2, as_of=date(2017, 6, 1))
    shift = date(2024, 6, 1) - date(2017, 6, 1)
    for a, b in zip(read(tmp_path / "a", "support"), read(tmp_path / "b", "support"), strict=True):
        if a["start_date"]:
            assert date.fromisoformat(a["start_date"]) - date.fromisoformat(b["start_date"]) == shift


def test_fewer_than_seven_residents_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least 7"):
        generate_dataset(tmp_path, residents=6)


def test_shape_is_realistic(dataset):
    residents = dataset["residents"]
    older = sum(AS_OF.year - int(r["birth_year"]) >= 65 for r in residents) / len(residents)
    assert 0.7 < older < 0.9
    assert len({r["neighbourhood"] for r in residents}) >= 6
    helpers = {h["helper_id"]: h for h in dataset["helpers"]}
    caseload = defaultdict(set)
    for row in dataset["support"]:
        caseload[row["helper_id"]].add(row["resident_id"])

    def mean_caseload(role):
        loads = [len(caseload[h]) for h, helper in helpers.items() if helper["role"] == role]
        return sum(loads) / len(loads)

    assert mean_caseload("district_nurse") > 2 * mean_caseload("household_help") > 2 * 1
    with_caregiver = {
        row["resident_id"]
        for row in dataset["support"]
        if helpers[row["helper_id"]]["role"] == "informal_caregiver"
    }
    assert 0.55 < len(with_caregiver) / len(residents) < 0.85
    hours = defaultdict(float)
    for row in dataset["support"]:
        if helpers[row["helper_id"]]["role"] == "informal_caregiver":
            hours[row["helper_id"]] += float(row["hours_per_week"])
    assert 0.08 < sum(h > 8 for h in hours.values()) / len(hours) < 0.35
    assert any(len(caseload[c]) == 2 for c in hours)
    ended = sum(bool(r["end_date"]) and date.fromisoformat(r["end_date"]) < AS_OF for r in dataset["support"])
    planned = sum(
        bool(r["start_date"]) and date.fromisoformat(r["start_date"]) > AS_OF for r in dataset["support"]
    )
    assert ended > 50 and planned > 50


def test_colleagues_know_each_other_more_often_and_caregivers_are_often_unseen(dataset):
    helpers = {h["helper_id"]: h for h in dataset["helpers"]}
    circles = defaultdict(set)
    for row in dataset["support"]:
        circles[row["resident_id"]].add(row["helper_id"])
    known = {
        (a["helper_id"], a["about_helper_id"], a["resident_id"])
        for a in dataset["awareness"]
        if a["level"] in ("aware", "coordinating")
    }
    tallies = defaultdict(lambda: [0, 0])
    for resident, circle in circles.items():
        for a in circle:
            for b in circle:
                if a == b:
                    continue
                org_a, org_b = helpers[a]["organisation_id"], helpers[b]["organisation_id"]
                kind_a, kind_b = (role_kind(helpers[h]["role"]) for h in (a, b))
                if kind_a == kind_b == "formal":
                    group = "same organisation" if org_a == org_b else "other organisation"
                elif kind_a == "formal" and kind_b == "caregiver":
                    group = "formal about caregiver"
                else:
                    continue
                tallies[group][0] += (a, b, resident) in known
                tallies[group][1] += 1
    share = {group: known / total for group, (known, total) in tallies.items()}
    assert share["same organisation"] > share["other organisation"] + 0.2
    assert share["formal about caregiver"] < 0.6


@pytest.mark.parametrize("name", ['Wijk "Noord"', "Wijk\\Zuid", 'Oost "\\" west\nregel twee'])
def test_a_dataset_name_with_quotes_backslashes_or_line_breaks_survives_generate_and_ingest(tmp_path, name):
    generate_dataset(tmp_path, residents=20, seed=3, as_of=AS_OF, name=name)
    result = ingest(tmp_path)
    assert (result.snapshot.name, result.snapshot.as_of) == (name, AS_OF)
    assert not [problem.code for problem in result.report.warnings if problem.file == "dataset.toml"]


def test_rows_are_written_by_column_name_and_bad_rows_are_refused(tmp_path):
    """A row is a dict by column name: a column it leaves out is empty; one without a required
    value, or naming a column the file does not have, is refused."""
    spec, path = SCHEMA["organisations"], tmp_path / "organisations.csv"
    _write_table(
        path,
        spec,
        [
            {"type": "provider", "name": "Zorg", "organisation_id": "O1"},
            {"organisation_id": "O2", "name": "X"},
        ],
    )
    assert path.read_text() == "organisation_id,name,type\nO1,Zorg,provider\nO2,X,\n"
    with pytest.raises(ValueError, match="without name"):
        _write_table(path, spec, [{"organisation_id": "O3", "name": ""}])
    with pytest.raises(ValueError, match="colour"):
        _write_table(path, spec, [{"organisation_id": "O3", "name": "Y", "colour": "red"}])
