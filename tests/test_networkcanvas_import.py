"""The Network Canvas import (SPEC §12): the real export, care-shaped exports row by row, every error path."""

import csv
import json
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from ingest import archives
from ingest.catalogue import FileLevelError
from ingest.networkcanvas import dataset as dataset_module
from ingest.networkcanvas import export as export_module
from ingest.networkcanvas.pipeline import REPORT_NAME, import_networkcanvas
from tests.datasets import run_cli
from tests.networkcanvas_files import (
    CARE_MAPPING,
    FIXTURES,
    Alter,
    Interview,
    care_protocol,
    edit_row,
    export_files,
    write_export,
)

RADAR_MAPPING = """\
[ego]
resident_id = "networkCanvasCaseID"
neighbourhood_for_all = "Onderzoek"

[helpers]
node_type = "Person"
role_for_all = "other_informal"
name = "name"

[edges]
Close = "aware"
"""


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def data_rows(folder: Path, pattern: str) -> int:
    return sum(len(path.read_text().splitlines()) - 1 for path in folder.glob(pattern))


@pytest.fixture
def care_mapping(tmp_path) -> Path:
    path = tmp_path / "mapping.toml"
    path.write_text(CARE_MAPPING, encoding="utf-8")
    return path


def run_import(tmp_path, interviews, mapping, **options) -> tuple[dict, Path]:
    export = write_export(tmp_path / "export", interviews)
    out = tmp_path / "dataset"
    return import_networkcanvas(export, mapping, out, **options), out


def codes(report: dict, kind: str) -> list[tuple]:
    return [(p["file"], p["line"], p["column"], p["code"]) for p in report[kind]]


# --- the real export files --------------------------------------------------------------------


def test_the_real_export_imports_without_rejections_and_ingest_accepts_every_row(tmp_path):
    mapping = tmp_path / "radar-mapping.toml"
    mapping.write_text(RADAR_MAPPING, encoding="utf-8")
    result = run_cli(
        "import-networkcanvas", str(FIXTURES), "--mapping", str(mapping), "--out", "out", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    report = json.loads((out / REPORT_NAME).read_text())
    assert report["rejected"] == []
    assert len(rows(out / "residents.csv")) == 10
    assert {row["neighbourhood"] for row in rows(out / "residents.csv")} == {"Onderzoek"}
    assert len(rows(out / "helpers.csv")) == data_rows(FIXTURES, "*_attributeList_Person.csv")
    assert {row["role"] for row in rows(out / "helpers.csv")} == {"other_informal"}
    assert len(rows(out / "awareness.csv")) == 2 * data_rows(FIXTURES, "*_edgeList_Close.csv")
    assert report["ignored_types"] == {"nodes": [], "edges": ["DrugTie", "SexTie"]}
    assert [p["code"] for p in report["warnings"]].count("ignored_edge_type") == 2
    # its interviews name two protocols ("IJE_RADAR_Protocol" and a copy, "… (1)"): the folder names it
    assert (out / "dataset.toml").read_text() == 'name = "network-canvas"\nas_of = 2024-12-17\n'
    assert "next: carecircle ingest out" in result.stdout

    ingested = run_cli("ingest", "out", "--store", "s.db", "--report", "r.json", cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    ingest_report = json.loads((tmp_path / "r.json").read_text())
    assert ingest_report["rejected"] == []
    assert all(counts["rejected"] == 0 for counts in ingest_report["files"].values())
    assert ingest_report["files"]["support.csv"]["accepted"] == len(rows(out / "support.csv"))


def test_the_real_export_without_tasks_shows_unaware_pairs_but_no_overlap_and_no_unmet_need(tmp_path):
    mapping = tmp_path / "radar-mapping.toml"
    mapping.write_text(RADAR_MAPPING, encoding="utf-8")
    import_networkcanvas(FIXTURES, mapping, tmp_path / "out")
    assert {row["domains"] for row in rows(tmp_path / "out" / "support.csv")} == {"unrecorded"}
    ingested = run_cli("ingest", "out", "--store", "s.db", cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    analysed = run_cli("analyze", "--store", "s.db", cwd=tmp_path)
    assert analysed.returncode == 0, analysed.stderr
    types = Counter(gap["type"] for gap in json.loads(analysed.stdout)["gaps"])
    # every helper's support is "tasks not recorded": it shares no task and covers no need
    assert types["uncoordinated_overlap"] == types["unmet_need"] == 0
    # yet every helper is in the circle: each pair of a circle without a Close tie is unaware
    circle_sizes = Counter(row["resident_id"] for row in rows(tmp_path / "out" / "support.csv"))
    tied = {
        (row["resident_id"], frozenset({row["helper_id"], row["about_helper_id"]}))
        for row in rows(tmp_path / "out" / "awareness.csv")
    }
    assert types["unaware_pair"] == sum(n * (n - 1) // 2 for n in circle_sizes.values()) - len(tied) > 0


# --- care-shaped exports, row by row -----------------------------------------------------------


def care_interview() -> Interview:
    return Interview(
        "case_1",
        "s1",
        resident="R1",
        needs=("Personal care", "Garden"),
        finish="2024-03-01T22:30:00.000Z",
        alters=[
            Alter("u-anna", "Anna", ("Nurse",), ("Personal care", "Meds"), "Zorg  Thuis ", 2.5),
            Alter("u-ben", "Ben", ("Support_worker",), ("Cleaning", "Garden"), "Zorg Thuis", None),
            Alter("u-cor", "Cor", ("Daughter",), (), "", 12, code="DAUGHTER-1"),
        ],
        ties={
            "Knows": [("u-anna", "u-ben"), ("u-anna", "u-cor")],
            "WorksWith": [("u-ben", "u-anna")],
        },
    )


def test_a_care_interview_becomes_the_dataset_row_by_row(tmp_path, care_mapping):
    export = write_export(tmp_path / "export", [care_interview()])
    # damaged: Network Canvas writes UTC; this sessionFinish is the same instant with an offset
    edit_row(export / "case_1_s1_ego.csv", 2, {"sessionFinish": "2024-03-02T00:30:00.000+02:00"})
    out = tmp_path / "dataset"
    report = import_networkcanvas(export, care_mapping, out)

    assert rows(out / "residents.csv") == [
        {"resident_id": "R1", "neighbourhood": "Haven", "needs": "garden|personal_care"}
    ]
    assert rows(out / "helpers.csv") == [
        {
            "helper_id": "nc:u-anna",
            "role": "district_nurse",
            "name": "Anna",
            "organisation_id": "nc:Zorg Thuis",
        },
        {
            "helper_id": "nc:u-ben",
            "role": "ambulant_supporter",
            "name": "Ben",
            "organisation_id": "nc:Zorg Thuis",
        },
        {"helper_id": "nc:DAUGHTER-1", "role": "informal_caregiver", "name": "Cor", "organisation_id": ""},
    ]
    assert rows(out / "organisations.csv") == [{"organisation_id": "nc:Zorg Thuis", "name": "Zorg Thuis"}]
    assert rows(out / "support.csv") == [
        {
            "helper_id": "nc:u-anna",
            "resident_id": "R1",
            "domains": "medication|personal_care",
            "hours_per_week": "2.5",
        },
        {"helper_id": "nc:u-ben", "resident_id": "R1", "domains": "garden|household", "hours_per_week": ""},
        {
            "helper_id": "nc:DAUGHTER-1",
            "resident_id": "R1",
            "domains": "unrecorded",
            "hours_per_week": "12.0",
        },
    ]
    awareness = {
        (r["helper_id"], r["about_helper_id"]): (r["level"], r["observed_on"])
        for r in rows(out / "awareness.csv")
    }
    # the date as written in sessionFinish, not converted to UTC (that would be 2024-03-01 22:30)
    assert awareness == {
        ("nc:u-anna", "nc:u-ben"): ("coordinating", "2024-03-02"),
        ("nc:u-ben", "nc:u-anna"): ("coordinating", "2024-03-02"),
        ("nc:u-anna", "nc:DAUGHTER-1"): ("aware", "2024-03-02"),
        ("nc:DAUGHTER-1", "nc:u-anna"): ("aware", "2024-03-02"),
    }
    assert report["as_of"] == "2024-03-02"
    # one protocol: the dataset is named after it
    assert report["dataset"] == care_protocol().name
    ego, persons = "case_1_s1_ego.csv", "case_1_s1_attributeList_Person.csv"
    assert codes(report, "warnings") == [
        (ego, 2, "Needs", "unknown_code"),
        (persons, 3, "Tasks", "unknown_code"),
        (persons, 4, "Tasks", "no_domains"),
    ]
    assert report["rejected"] == []
    assert report["files"][persons] == {"read": 3, "accepted": 3, "rejected": 0}
    assert report["files"]["case_1_s1_edgeList_WorksWith.csv"] == {"read": 1, "accepted": 1, "rejected": 0}


def test_the_converted_dataset_ingests_and_analyze_finds_its_gaps(tmp_path, care_mapping):
    _, out = run_import(tmp_path, [care_interview()], care_mapping)
    result = run_cli("analyze", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    gaps = {(gap["type"], tuple(gap["helpers"])) for gap in json.loads(result.stdout)["gaps"]}
    # Ben and Cor do not know each other; Cor (caregiver) is known to the nurse; nobody knows all three
    assert ("unaware_pair", ("nc:DAUGHTER-1", "nc:u-ben")) in gaps
    assert ("caregiver_unseen", ("nc:DAUGHTER-1",)) not in gaps
    assert ("no_overview", ()) not in gaps  # Anna knows both others
    assert ("unmet_need", ()) not in gaps


@pytest.mark.parametrize(
    ("roles", "code", "expected_in_message"),
    [
        (
            ("Hairdresser",),
            "unknown_role",
            "unknown role 'Hairdresser'; expected one of Nurse, Support worker",
        ),
        ((), "missing_value", "Role is empty"),
        (("Nurse", "Neighbour"), "several_options", "several options of Role are true (Nurse, Neighbour)"),
    ],
)
def test_a_helper_without_exactly_one_mapped_role_is_rejected_and_its_ties_with_it(
    tmp_path, care_mapping, roles, code, expected_in_message
):
    interview = care_interview()
    interview.alters[1].roles = roles
    report, out = run_import(tmp_path, [interview], care_mapping)
    persons = "case_1_s1_attributeList_Person.csv"
    assert codes(report, "rejected")[0] == (persons, 3, "Role", code)
    assert expected_in_message in report["rejected"][0]["message"]
    tie = report["rejected"][1]
    assert (tie["file"], tie["line"], tie["code"]) == (
        "case_1_s1_edgeList_Knows.csv",
        2,
        "rejected_reference",
    )
    assert tie["message"] == f"unknown networkCanvasTargetUUID 'u-ben': rejected at {persons}:3"
    assert "nc:u-ben" not in (out / "helpers.csv").read_text() + (out / "awareness.csv").read_text()
    assert report["files"][persons] == {"read": 3, "accepted": 2, "rejected": 1}


def test_ties_to_unknown_nodes_and_to_themselves_are_rejected_and_nodeids_are_the_fallback(
    tmp_path, care_mapping
):
    interview = care_interview()
    interview.ties = {"Knows": [("u-anna", "u-ben"), ("u-cor", "u-cor"), ("u-ben", "u-cor")]}
    export = write_export(tmp_path / "export", [interview])
    edges = export / "case_1_s1_edgeList_Knows.csv"
    # damaged: the first tie to a node the interview does not have (the writer refuses to write it)
    edit_row(edges, 2, {"to": "99", "networkCanvasTargetUUID": "u-nobody"})
    # damaged: the third tie without UUIDs, so from/to (nodeIDs: Ben, Cor) are the fallback
    edit_row(edges, 4, {"networkCanvasSourceUUID": "", "networkCanvasTargetUUID": ""})
    report = import_networkcanvas(export, care_mapping, tmp_path / "out")
    assert codes(report, "rejected") == [
        (edges.name, 2, "networkCanvasTargetUUID", "unknown_reference"),
        (edges.name, 3, "networkCanvasTargetUUID", "self_awareness"),
    ]
    pairs = {(r["helper_id"], r["about_helper_id"]) for r in rows(tmp_path / "out" / "awareness.csv")}
    assert pairs == {("nc:u-ben", "nc:DAUGHTER-1"), ("nc:DAUGHTER-1", "nc:u-ben")}


def test_negative_hours_reject_the_helper(tmp_path, care_mapping):
    interview = care_interview()
    interview.alters[0].hours = -2
    report, _ = run_import(tmp_path, [interview], care_mapping)
    persons = "case_1_s1_attributeList_Person.csv"
    assert codes(report, "rejected")[0] == (persons, 2, "Hours", "negative_hours")


def test_hours_that_are_no_number_reject_the_helper(tmp_path, care_mapping):
    export = write_export(tmp_path / "export", [care_interview()])
    persons = export / "case_1_s1_attributeList_Person.csv"
    edit_row(persons, 2, {"Hours": "veel"})  # damaged: the writer writes only numbers in a number variable
    report = import_networkcanvas(export, care_mapping, tmp_path / "dataset")
    assert codes(report, "rejected")[0] == (persons.name, 2, "Hours", "invalid_decimal")


@pytest.mark.parametrize(
    ("field", "column"), [("resident", "ResidentID"), ("neighbourhood", "Neighbourhood")]
)
def test_an_ego_without_resident_or_neighbourhood_rejects_the_interview_and_everything_in_it(
    tmp_path, care_mapping, field, column
):
    other = Interview("case_2", "s2", resident="R2", alters=[Alter("u-dirk", "Dirk")])
    broken = care_interview()
    setattr(broken, field, "")
    report, out = run_import(tmp_path, [broken, other], care_mapping)
    rejected = codes(report, "rejected")
    assert rejected[0] == ("case_1_s1_ego.csv", 2, column, "missing_value")
    assert [code for *_, code in rejected[1:]] == ["rejected_reference"] * 6  # 3 alters, 3 ties
    assert report["rejected"][1]["message"].endswith("rejected at case_1_s1_ego.csv:2")
    assert [row["resident_id"] for row in rows(out / "residents.csv")] == ["R2"]
    assert [row["helper_id"] for row in rows(out / "helpers.csv")] == ["nc:u-dirk"]


def test_a_later_interview_of_a_resident_replaces_the_earlier_one_with_a_warning(tmp_path, care_mapping):
    early = care_interview()
    late = Interview(
        "case_1b", "s9", resident="R1", finish="2024-04-01T10:00:00.000Z", alters=[Alter("u-eva", "Eva")]
    )
    report, out = run_import(tmp_path, [late, early], care_mapping)
    warning = next(p for p in report["warnings"] if p["code"] == "superseded_interview")
    assert (warning["file"], warning["line"]) == ("case_1_s1_ego.csv", 2)
    assert "case_1b_s9_ego.csv" in warning["message"]
    assert [row["helper_id"] for row in rows(out / "helpers.csv")] == ["nc:u-eva"]
    assert rows(out / "awareness.csv") == []
    assert report["as_of"] == "2024-04-01"
    assert report["files"]["case_1_s1_attributeList_Person.csv"] == {"read": 3, "accepted": 0, "rejected": 0}


def test_one_identity_in_two_interviews_is_one_helper_with_the_later_role(tmp_path, care_mapping):
    first = Interview(
        "case_1", "s1", resident="R1", alters=[Alter("u-1", "Gerda", ("Neighbour",), code="G-7", hours=3)]
    )
    second = Interview(
        "case_2",
        "s2",
        resident="R2",
        finish="2024-05-01T10:00:00.000Z",
        alters=[Alter("u-2", "Gerda B.", ("Support_worker",), code="G-7", hours=4)],
    )
    report, out = run_import(tmp_path, [second, first], care_mapping)
    assert rows(out / "helpers.csv") == [
        {"helper_id": "nc:G-7", "role": "ambulant_supporter", "name": "Gerda B.", "organisation_id": ""}
    ]
    assert [(r["resident_id"], r["hours_per_week"]) for r in rows(out / "support.csv")] == [
        ("R1", "3.0"),
        ("R2", "4.0"),
    ]
    warning = next(p for p in report["warnings"] if p["code"] == "role_changed")
    assert (warning["file"], warning["line"]) == ("case_1_s1_attributeList_Person.csv", 2)
    assert "neighbour" in warning["message"] and "case_2_s2_attributeList_Person.csv:2" in warning["message"]


def test_a_bsn_in_a_name_or_organisation_is_masked_and_never_written(tmp_path, care_mapping):
    interview = care_interview()
    interview.alters[0].name = "Anna 111222333"
    interview.alters[1].organisation = "Zorg 123456782"
    report, out = run_import(tmp_path, [interview], care_mapping)
    written = "".join(path.read_text() for path in out.iterdir())
    assert "111222333" not in written and "123456782" not in written
    assert "Anna [BSN]" in (out / "helpers.csv").read_text()
    assert ("case_1_s1_attributeList_Person.csv", 2, "name", "bsn_in_text") in codes(report, "warnings")
    assert ("case_1_s1_attributeList_Person.csv", 3, "Organisation", "bsn_in_text") in codes(
        report, "warnings"
    )


def test_unmapped_node_and_edge_types_are_ignored_and_listed(tmp_path, care_mapping):
    interview = care_interview()
    interview.ties["Dislikes"] = [("u-ben", "u-cor")]
    export = write_export(tmp_path / "export", [interview])
    # the same interview's places, as a protocol with a second node type adds them
    place = Interview("case_1", "s1", alters=[Alter("p-market", "Markt", (), ())])
    places = export_files([place], care_protocol(node_type="Place"))
    (export / "case_1_s1_attributeList_Place.csv").write_bytes(places["case_1_s1_attributeList_Place.csv"])
    report = import_networkcanvas(export, care_mapping, tmp_path / "out")
    assert report["ignored_types"] == {"nodes": ["Place"], "edges": ["Dislikes"]}
    assert {p["code"] for p in report["warnings"]} >= {"ignored_node_type", "ignored_edge_type"}
    assert "case_1_s1_edgeList_Dislikes.csv" not in report["files"]


def test_a_csv_file_that_is_no_export_file_is_not_read_and_said_so(tmp_path, care_mapping):
    export = write_export(tmp_path / "export", [care_interview()])
    (export / "notes.csv").write_text("resident_id,note\nR1,x\n", encoding="utf-8")
    (export / "protocol.netcanvas").write_text("{}", encoding="utf-8")  # not CSV: passed over in silence
    report = import_networkcanvas(export, care_mapping, tmp_path / "out")
    ignored = [(p["file"], p["line"]) for p in report["warnings"] if p["code"] == "ignored_file"]
    assert ignored == [("notes.csv", None)]
    assert "notes.csv" not in report["files"] and report["rejected"] == []


def test_as_of_is_the_option_else_the_latest_interview(tmp_path, care_mapping):
    report, out = run_import(tmp_path, [care_interview()], care_mapping, as_of=date(2024, 6, 1))
    assert report["as_of"] == "2024-06-01"
    assert "as_of = 2024-06-01" in (out / "dataset.toml").read_text()


# --- file-level problems: exit status 2, nothing written -------------------------------------


def zip_of(archive: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """Pack ``files`` (name -> content) side by side into the zip ``archive``; return them."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for name, content in files.items():
            handle.writestr(name, content)
    return files


def assert_refused(tmp_path, export, mapping, code, *in_message):
    out = tmp_path / "never"
    with pytest.raises(FileLevelError) as raised:
        import_networkcanvas(export, mapping, out)
    assert raised.value.problem.code == code
    for text in in_message:
        assert text in str(raised.value)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".never")]


def test_an_export_without_ego_files_is_refused(tmp_path, care_mapping):
    export = tmp_path / "export"
    export.mkdir()
    (export / "notes.txt").write_text("x")
    assert_refused(tmp_path, export, care_mapping, "no_interviews", "notes.txt")


def test_an_interview_without_its_ego_file_is_refused(tmp_path, care_mapping):
    export = write_export(tmp_path / "export", [care_interview(), Interview("case_2", "s2", resident="R2")])
    (export / "case_1_s1_ego.csv").unlink()  # damaged: the writer always writes an ego file
    assert_refused(tmp_path, export, care_mapping, "interview_without_ego", "case_1_s1")


@pytest.mark.parametrize(
    ("column", "code", "variable"),
    [("Hours", "missing_variable", "Hours"), ("Role_", "missing_options", "Role")],
)
def test_a_mapped_variable_missing_from_a_file_is_refused(tmp_path, care_mapping, column, code, variable):
    export = write_export(tmp_path / "export", [care_interview()])
    path = export / "case_1_s1_attributeList_Person.csv"
    # damaged: the header renamed, as a protocol without that variable would have it
    path.write_text(path.read_text().replace(column, "Other" if column == "Hours" else "Rol_"))
    assert_refused(tmp_path, export, care_mapping, code, path.name, variable, "nodeID")


def test_a_node_type_in_no_interview_is_refused(tmp_path, care_mapping):
    export = write_export(tmp_path / "export", [care_interview()])
    care_mapping.write_text(CARE_MAPPING.replace('node_type = "Person"', 'node_type = "Helper"'))
    assert_refused(tmp_path, export, care_mapping, "missing_node_type", "Helper", "Person")


def test_something_else_than_an_export_is_refused(tmp_path, care_mapping):
    assert_refused(tmp_path, tmp_path / "nowhere", care_mapping, "not_an_export")
    (tmp_path / "broken.zip").write_bytes(b"not a zip")
    assert_refused(tmp_path, tmp_path / "broken.zip", care_mapping, "not_an_export")


def test_a_zip_imports_as_the_folder_does(tmp_path, care_mapping):
    interviews = [care_interview(), Interview("case_2", "s2", resident="R2", alters=[Alter("u-x")])]
    folder = write_export(tmp_path / "export", interviews)
    archive = tmp_path / "export.zip"
    # the writer's files in a folder of the zip, beside a protocol file: what the import must look past
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for name, content in export_files(interviews).items():
            handle.writestr(f"networkCanvasExport/{name}", content)
        handle.writestr("networkCanvasExport/", "")
        handle.writestr("protocol.netcanvas.json", "{}")
    from_folder = import_networkcanvas(folder, care_mapping, tmp_path / "a")
    from_zip = import_networkcanvas(archive, care_mapping, tmp_path / "b")
    assert from_zip == from_folder
    for name in ("residents.csv", "helpers.csv", "support.csv", "awareness.csv", "dataset.toml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_zip_claiming_a_version_method_or_password_python_cannot_meet_is_refused(tmp_path, care_mapping):
    archive = tmp_path / "export.zip"
    zip_of(archive, export_files([care_interview()]))
    data = bytearray(archive.read_bytes())
    data[data.index(b"PK\x01\x02") + 6] = 84  # the first entry claims zip version 8.4
    archive.write_bytes(bytes(data))
    assert_refused(tmp_path, archive, care_mapping, "not_an_export")
    data[data.index(b"PK\x01\x02") + 6] = 20  # readable again, but compressed with an unknown method
    data[data.index(b"PK\x01\x02") + 10] = 77
    archive.write_bytes(bytes(data))
    assert_refused(tmp_path, archive, care_mapping, "not_a_table")
    data[data.index(b"PK\x01\x02") + 10] = 8  # deflated again, but marked as encrypted
    data[data.index(b"PK\x01\x02") + 8] |= 1
    archive.write_bytes(bytes(data))
    assert_refused(tmp_path, archive, care_mapping, "not_a_table", "RuntimeError")


def test_a_zip_member_over_the_limit_is_refused_unread(tmp_path, care_mapping, monkeypatch):
    archive = tmp_path / "export.zip"
    files = zip_of(archive, export_files([care_interview()]))
    biggest = max(len(content) for content in files.values())
    monkeypatch.setattr(export_module, "MAX_FILE_BYTES", biggest - 1)
    monkeypatch.setattr(export_module, "read_csv_bytes", lambda *a, **k: pytest.fail("read"))
    assert_refused(tmp_path, archive, care_mapping, "file_too_large")


def test_zip_members_over_the_limit_together_are_refused(tmp_path, care_mapping, monkeypatch):
    archive = tmp_path / "export.zip"
    files = zip_of(archive, export_files([care_interview()]))
    sizes = [len(content) for content in files.values()]
    # each member under the limit, all of them together over it (the check of every zip archive)
    monkeypatch.setattr(archives, "MAX_FILE_BYTES", sum(sizes) - 1)
    assert_refused(tmp_path, archive, care_mapping, "archive_too_large")


# --- the output folder: replaced whole, never someone else's ---------------------------------


def test_an_earlier_import_is_replaced_and_a_foreign_folder_refused(tmp_path, care_mapping):
    _, out = run_import(tmp_path, [care_interview()], care_mapping)
    (out / "stale.csv").write_text("old")
    export = tmp_path / "export"
    import_networkcanvas(export, care_mapping, out)
    assert not (out / "stale.csv").exists() and (out / "helpers.csv").exists()

    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("precious")
    with pytest.raises(FileLevelError) as raised:
        import_networkcanvas(export, care_mapping, foreign)
    assert raised.value.problem.code == "foreign_output"
    assert [p.name for p in foreign.iterdir()] == ["thesis.docx"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_failure_while_writing_leaves_the_earlier_import_as_it_was(tmp_path, care_mapping, monkeypatch):
    _, out = run_import(tmp_path, [care_interview()], care_mapping)
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    written = []

    def failing(path, columns, table_rows):
        written.append(path.name)
        if len(written) == 3:
            raise KeyboardInterrupt
        return original(path, columns, table_rows)

    original = dataset_module._write_csv
    monkeypatch.setattr(dataset_module, "_write_csv", failing)
    with pytest.raises(KeyboardInterrupt):
        import_networkcanvas(tmp_path / "export", care_mapping, out)
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# --- the command ---------------------------------------------------------------------------------


def import_in_dutch(folder: Path, mapping: Path):
    """``carecircle --lang nl import-networkcanvas export --mapping MAPPING --out out`` in ``folder``."""
    arguments = ["--lang", "nl", "import-networkcanvas", "export", "--mapping", str(mapping)]
    return run_cli(*arguments, "--out", "out", cwd=folder)


def test_the_command_exits_2_with_a_dutch_message_and_writes_nothing(tmp_path, care_mapping):
    export = write_export(tmp_path / "export", [care_interview(), Interview("case_2", "s2", resident="R2")])
    (export / "case_1_s1_ego.csv").unlink()  # damaged: the writer always writes an ego file
    result = import_in_dutch(tmp_path, care_mapping)
    assert result.returncode == 2
    assert "het interview case_1_s1 heeft geen egobestand" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_command_summarises_in_dutch(tmp_path, care_mapping):
    interview = care_interview()
    interview.alters[1].roles = ("Hairdresser",)
    write_export(tmp_path / "export", [interview])
    result = import_in_dutch(tmp_path, care_mapping)
    assert result.returncode == 0, result.stderr
    assert "3 afgewezen:" in result.stdout  # the helper, and its two ties
    assert (
        "case_1_s1_attributeList_Person.csv:3 [Role] unknown_role: onbekende rol 'Hairdresser'"
        in result.stdout
    )
    assert "volgende stap: carecircle ingest out" in result.stdout


def test_the_date_falls_back_to_session_start_and_a_second_ego_row_is_rejected(tmp_path, care_mapping):
    interview = care_interview()
    interview.start = "2024-02-28T09:00:00.000Z"
    export = write_export(tmp_path / "export", [interview])
    ego = export / "case_1_s1_ego.csv"
    edit_row(ego, 2, {"sessionFinish": "soon"})  # damaged: the writer writes only real times
    # damaged: a second ego row, which the writer never writes
    lines = ego.read_text().splitlines()
    ego.write_text("\r\n".join([*lines, lines[1].replace("R1", "R9")]) + "\r\n")
    report = import_networkcanvas(export, care_mapping, tmp_path / "out")
    assert report["as_of"] == "2024-02-28"
    assert {r["observed_on"] for r in rows(tmp_path / "out" / "awareness.csv")} == {"2024-02-28"}
    assert (ego.name, 2, "sessionFinish", "invalid_date") in codes(report, "warnings")
    assert codes(report, "rejected") == [(ego.name, 3, None, "extra_ego_row")]
    assert [row["resident_id"] for row in rows(tmp_path / "out" / "residents.csv")] == ["R1"]


def test_without_any_interview_date_or_as_of_the_snapshot_is_today_with_a_warning(tmp_path, care_mapping):
    export = write_export(tmp_path / "export", [care_interview()])
    # damaged: the writer writes only real times
    edit_row(export / "case_1_s1_ego.csv", 2, {"sessionFinish": "", "sessionStart": ""})
    report = import_networkcanvas(export, care_mapping, tmp_path / "out", today=lambda: date(2025, 1, 2))
    assert report["as_of"] == "2025-01-02"
    (warning,) = [p for p in report["warnings"] if p["code"] == "no_interview_date"]
    assert "2025-01-02" in warning["message"] and "--as-of" in warning["message"]
    assert [row["observed_on"] for row in rows(tmp_path / "out" / "awareness.csv")] == [""] * 4
