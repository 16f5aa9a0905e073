"""Row-level problems (SPEC §4): every code, where it points, the cascade, and nothing else lost."""

import json
from datetime import date

import pytest

from ingest.catalogue import CATALOGUE
from tests.datasets import BASE, ingest, problems, write_dataset

RAW_BSN = "111222333"


def _with_row(file: str, row: str) -> dict[str, str]:
    """BASE's file with one more row at the end (line = data rows + 2)."""
    return {file: BASE[file] + row + "\n"}


def _line_of_new_row(file: str) -> int:
    return BASE[file].count("\n") + 1


# (file, extra row, column, code)
ROW_ERRORS = [
    ("residents.csv", ",Stedenwijk,,,,,", "resident_id", "missing_value"),
    ("residents.csv", "R9,,,,,,", "neighbourhood", "missing_value"),
    ("residents.csv", "R9,Stedenwijk,,,19x3,,", "birth_year", "invalid_integer"),
    ("residents.csv", "R9,Stedenwijk,,,1850,,", "birth_year", "out_of_range"),
    ("residents.csv", "R9,Stedenwijk,,,,misschien,", "lives_alone", "invalid_boolean"),
    ("residents.csv", "R9,Stedenwijk,,123456789,,,", "bsn", "invalid_bsn"),
    ("residents.csv", "R9,Stedenwijk,,12345,,,", "bsn", "invalid_bsn"),
    ("residents.csv", "R1,Filmwijk,,,,,", "resident_id", "duplicate_id"),
    ("residents.csv", "R9,Stedenwijk,,,,,,extra cell", None, "wrong_cell_count"),
    ("residents.csv", 'R9,Stedenwijk,"Jansen,,,,', "name", "unclosed_quote"),
    ("residents.csv", "R9,Stedenwijk," + "x" * 1001 + ",,,,", "name", "cell_too_long"),
    ("helpers.csv", "H9,kapper,,,", "role", "unknown_role"),
    ("helpers.csv", "H9,,,,", "role", "missing_value"),
    ("helpers.csv", "H1,volunteer,,,", "helper_id", "duplicate_id"),
    ("helpers.csv", "H9,volunteer,,ORG9,", "organisation_id", "unknown_reference"),
    ("organisations.csv", "ORG1,Dubbel,", "organisation_id", "duplicate_id"),
    ("organisations.csv", "ORG9,,", "name", "missing_value"),
    ("support.csv", "H1,R2,nursing,twee,,,,", "hours_per_week", "invalid_decimal"),
    ("support.csv", "H1,R2,nursing,-1,,,,", "hours_per_week", "negative_hours"),
    ("support.csv", "H1,R2,nursing,,2017-02-30,,,", "start_date", "invalid_date"),
    ("support.csv", "H1,R2,nursing,,2017-06-01,2017-05-31,,", "end_date", "end_before_start"),
    ("support.csv", "H1,R2,,1,,,,", "domains", "missing_value"),
    ("support.csv", "H9,R2,nursing,1,,,,", "helper_id", "unknown_reference"),
    ("support.csv", "H1,R9,nursing,1,,,,", "resident_id", "unknown_reference"),
    ("support.csv", "H1,R2,nursing,1,,,,H9", "delegated_by", "unknown_reference"),
    ("support.csv", "H1,R2,nursing,1,,,,H3", "delegated_by", "delegator_not_formal"),
    ("awareness.csv", "H1,H1,R1,aware,,,", "about_helper_id", "self_awareness"),
    ("awareness.csv", "H1,H3,R1,misschien,,,", "level", "unknown_level"),
    ("awareness.csv", "H1,H3,R1,aware,,0,", "contact_every_days", "out_of_range"),
    ("awareness.csv", "H1,H3,R1,aware,,14.5,", "contact_every_days", "invalid_integer"),
    ("awareness.csv", "H1,H3,R1,aware,gisteren,,", "last_contact", "invalid_date"),
    ("awareness.csv", "H1,H9,R1,aware,,,", "about_helper_id", "unknown_reference"),
    ("awareness.csv", "H1,H3,R9,aware,,,", "resident_id", "unknown_reference"),
]


@pytest.mark.parametrize(
    ("file", "row", "column", "code"), ROW_ERRORS, ids=[f"{e[0]}:{e[3]}" for e in ROW_ERRORS]
)
def test_row_error_rejects_only_that_row_and_says_where(tmp_path, file, row, column, code):
    base = ingest(write_dataset(tmp_path / "base"))
    result = ingest(write_dataset(tmp_path / "bad", _with_row(file, row)))

    assert problems(result) == [(file, _line_of_new_row(file), column, code)]
    problem = result.report.rejected[0]
    assert problem.message and "{" not in problem.message
    counts = result.report.files[file]
    assert counts["rejected"] == 1
    assert counts["accepted"] == base.report.files[file]["accepted"]
    for table in ("organisations", "helpers", "residents", "support", "awareness"):
        assert result.snapshot.records(table) == base.snapshot.records(table), table


def test_every_row_level_code_in_the_catalogue_is_tested():
    row_level = {
        "missing_value", "wrong_cell_count", "invalid_integer", "invalid_decimal", "invalid_date",
        "invalid_boolean", "invalid_bsn", "unknown_role", "unknown_level", "out_of_range",
        "negative_hours", "end_before_start", "self_awareness", "duplicate_id", "unknown_reference",
        "rejected_reference", "delegator_not_formal", "unclosed_quote", "cell_too_long",
    }  # fmt: skip
    assert row_level <= set(CATALOGUE)
    tested = {code for *_, code in ROW_ERRORS} | {"rejected_reference"}
    assert tested == row_level


def test_messages_name_the_value_and_the_first_line(tmp_path):
    result = ingest(write_dataset(tmp_path, _with_row("residents.csv", "R1,Filmwijk,,,,,")))
    assert result.report.rejected[0].message == "duplicate resident_id 'R1': first at line 2"
    result = ingest(write_dataset(tmp_path / "b", _with_row("helpers.csv", "H9,kapper,,,")))
    assert result.report.rejected[0].message.startswith(
        "unknown role 'kapper'; expected one of district_nurse"
    )


def test_rejection_cascades_from_organisation_to_helper_to_support_and_awareness(tmp_path):
    changes = {
        "organisations.csv": BASE["organisations.csv"].replace(
            "ORG2,Thuishulp,main_provider", "ORG2,,main_provider"
        ),
    }
    result = ingest(write_dataset(tmp_path, changes))

    assert problems(result) == [
        ("organisations.csv", 3, "name", "missing_value"),
        ("helpers.csv", 3, "organisation_id", "rejected_reference"),
        ("support.csv", 3, "helper_id", "rejected_reference"),
        ("awareness.csv", 2, "about_helper_id", "rejected_reference"),
    ]
    messages = [p.message for p in result.report.rejected]
    assert messages[1] == "unknown organisation_id 'ORG2': rejected at organisations.csv:3"
    assert messages[2] == "unknown helper_id 'H2': rejected at helpers.csv:3"
    assert messages[3] == "unknown about_helper_id 'H2': rejected at helpers.csv:3"
    assert [r["helper_id"] for r in result.snapshot.records("helpers")] == ["H1", "H3", "H4"]
    assert [r["helper_id"] for r in result.snapshot.records("support")] == ["H1", "H3", "H4"]
    assert len(result.snapshot.records("awareness")) == 1


def test_a_rejected_resident_takes_its_support_and_awareness_with_it(tmp_path):
    changes = {"residents.csv": BASE["residents.csv"].replace(RAW_BSN, "123456789")}
    result = ingest(write_dataset(tmp_path, changes))
    assert problems(result)[0] == ("residents.csv", 2, "bsn", "invalid_bsn")
    assert {(p.file, p.code) for p in result.report.rejected[1:]} == {
        ("support.csv", "rejected_reference"),
        ("awareness.csv", "rejected_reference"),
    }
    assert result.report.files["support.csv"] == {"read": 4, "accepted": 1, "rejected": 3}
    assert "rejected at residents.csv:2" in result.report.rejected[1].message


def test_a_row_with_several_problems_reports_each_and_counts_once(tmp_path):
    result = ingest(write_dataset(tmp_path, _with_row("support.csv", "H9,R9,nursing,-2,,,,")))
    assert sorted(problems(result)) == [
        ("support.csv", 6, "helper_id", "unknown_reference"),
        ("support.csv", 6, "hours_per_week", "negative_hours"),
        ("support.csv", 6, "resident_id", "unknown_reference"),
    ]
    assert result.report.files["support.csv"]["rejected"] == 1


def test_warnings_keep_the_row(tmp_path):
    changes = {
        "support.csv": BASE["support.csv"] + "H1,R2,tuinieren,1,,,PGB,\nH1,R1,nursing,2.5,2017-01-01,,zvw,\n",
        "helpers.csv": BASE["helpers.csv"] + "H5,informal_caregiver,,,Achterneef\n",
        "organisations.csv": BASE["organisations.csv"] + "ORG3,Stichting,Coöperatie\n",
    }
    result = ingest(write_dataset(tmp_path, changes))
    assert result.report.rejected == []
    assert problems(result, "warnings") == [
        ("organisations.csv", 4, "type", "unknown_code"),
        ("helpers.csv", 6, "relation", "unknown_code"),
        ("support.csv", 6, "domains", "unknown_code"),
        ("support.csv", 6, "funding", "unknown_code"),
        ("support.csv", 7, None, "duplicate_row"),
    ]
    assert result.report.warnings[-1].message == "exact repeat of line 2; dropped"
    support = result.snapshot.records("support")
    assert len(support) == 5
    assert (support[-1]["domains"], support[-1]["funding"]) == (("tuinieren",), "pgb")
    assert result.snapshot.records("helpers")[-1]["relation"] == "achterneef"
    assert result.snapshot.records("organisations")[-1]["type"] == "coöperatie"


def test_a_support_row_repeats_another_when_its_values_read_the_same_however_written(tmp_path):
    rows = (
        "H1,R1,Verpleging,2.50,01-01-2017,,ZVW,\n"  # line 6: line 2 written otherwise
        "H2,R1,household,3.0,2017-01-01,2018-01-01,wmo,\n"  # line 7: line 3 again (3 reads as 3.0)
        "H4,R2,administration,0,,,informal,H1\n"  # line 8
        "H4,R2,administration,-0,,,informal,H1\n"  # line 9: -0.0 equals 0.0, but reads otherwise
        "H4,R2,administration,0.0,,,informal,H1\n"  # line 10: line 8 again
    )
    result = ingest(write_dataset(tmp_path, {"support.csv": BASE["support.csv"] + rows}))
    assert result.report.rejected == []
    repeats = [(p.line, p.message) for p in result.report.warnings]
    assert repeats == [
        (6, "exact repeat of line 2; dropped"),
        (7, "exact repeat of line 3; dropped"),
        (10, "exact repeat of line 8; dropped"),
    ]
    assert [str(row["hours_per_week"]) for row in result.snapshot.records("support")][-2:] == ["0.0", "-0.0"]


def test_awareness_latest_observation_wins_then_the_later_line(tmp_path):
    rows = (
        "H1,H3,R1,none,,,2017-05-01\n"  # line 4: superseded by line 5 (later observed_on)
        "H1,H3,R1,coordinating,2017-05-30,14,2017-05-20\n"  # line 5: wins
        "H1,H3,R1,aware,,,2017-03-01\n"  # line 6: older observation
        "H4,H1,R2,aware,,,\n"  # line 7: superseded by the later line 8
        "H4,H1,R2,coordinating,,,\n"  # line 8: wins
    )
    result = ingest(write_dataset(tmp_path, {"awareness.csv": BASE["awareness.csv"] + rows}))
    assert problems(result, "warnings") == [
        ("awareness.csv", 4, "observed_on", "superseded_awareness"),
        ("awareness.csv", 6, "observed_on", "superseded_awareness"),
        ("awareness.csv", 7, "observed_on", "superseded_awareness"),
    ]
    assert "replaced by line 5" in result.report.warnings[0].message
    assert "replaced by line 8" in result.report.warnings[2].message
    kept = {(r["helper_id"], r["about_helper_id"]): r for r in result.snapshot.records("awareness")}
    assert kept["H1", "H3"]["level"] == "coordinating"
    assert kept["H1", "H3"]["last_contact"] == date(2017, 5, 30)
    assert kept["H4", "H1"]["level"] == "coordinating"
    assert result.report.files["awareness.csv"] == {"read": 7, "accepted": 4, "rejected": 0}


def test_same_bsn_under_two_resident_ids_is_a_warning_without_the_number(tmp_path):
    changes = {"residents.csv": BASE["residents.csv"] + f"R3,Stedenwijk,Dubbel,{RAW_BSN},1933,ja,\n"}
    result = ingest(write_dataset(tmp_path, changes))
    assert problems(result, "warnings") == [("residents.csv", 4, "bsn", "same_person")]
    assert result.report.warnings[0].message == "resident 'R3' has the same bsn as resident 'R1' (line 2)"
    pseudonyms = [r["bsn_pseudonym"] for r in result.snapshot.records("residents")]
    assert pseudonyms[0] == pseudonyms[2] and pseudonyms[1] is None
    assert RAW_BSN not in json.dumps(result.report.as_dict())


def test_the_raw_bsn_appears_nowhere_in_snapshot_or_report(tmp_path):
    invalid = "123456789"
    changes = {
        "residents.csv": BASE["residents.csv"] + f"R3,Stedenwijk,,{invalid},,,\nR4,Stedenwijk,,{RAW_BSN},,,\n"
    }
    result = ingest(write_dataset(tmp_path, changes))
    serialised = json.dumps(result.report.as_dict()) + repr(result.snapshot.records("residents"))
    serialised += result.snapshot.residents.to_csv()
    for bsn in (RAW_BSN, invalid):
        assert bsn not in serialised
    assert "bsn" not in result.snapshot.residents.columns
    assert result.report.rejected[0].message == "bsn is not 9 digits passing the 11-check (value not shown)"


def test_level_defaults_to_aware_and_relation_only_describes_caregivers(tmp_path):
    changes = {
        "awareness.csv": "helper_id,about_helper_id,resident_id\nH1,H2,R1\n",
        "helpers.csv": BASE["helpers.csv"].replace("H4,volunteer,Dirk,,", "H4,volunteer,Dirk,,friend"),
    }
    result = ingest(write_dataset(tmp_path, changes))
    assert result.snapshot.records("awareness")[0]["level"] == "aware"
    relations = {r["helper_id"]: r["relation"] for r in result.snapshot.records("helpers")}
    assert relations == {"H1": None, "H2": None, "H3": "child", "H4": None}


def test_dutch_messages(tmp_path):
    result = ingest(write_dataset(tmp_path, _with_row("helpers.csv", "H9,kapper,,,")), lang="nl")
    assert result.report.rejected[0].message.startswith("onbekende rol 'kapper'; verwacht een van")


def test_ignored_columns_are_listed_once_per_file(tmp_path):
    changes = {"residents.csv": BASE["residents.csv"].replace("needs\n", "needs,postcode,Opmerking\n")}
    changes["residents.csv"] = changes["residents.csv"].replace("nursing\n", "nursing,1234AB,x\n")
    result = ingest(write_dataset(tmp_path, changes))
    assert result.report.ignored_columns == {"residents.csv": ["postcode", "Opmerking"]}
    assert result.report.rejected == []


def test_as_of_defaults_to_today_with_a_warning(tmp_path):
    result = ingest(write_dataset(tmp_path, {"dataset.toml": None}), today=lambda: date(2026, 1, 2))
    assert result.snapshot.as_of == date(2026, 1, 2)
    assert problems(result, "warnings") == [(tmp_path.name, None, None, "as_of_defaulted")]
    assert "2026-01-02" in result.report.warnings[0].message
    overridden = ingest(write_dataset(tmp_path / "x"), as_of=date(2020, 1, 1))
    assert overridden.snapshot.as_of == date(2020, 1, 1) and overridden.report.warnings == []


def test_optional_files_may_be_absent(tmp_path):
    result = ingest(write_dataset(tmp_path, {"organisations.csv": None, "awareness.csv": None}))
    assert result.report.rejected == []
    assert sorted(result.report.files) == ["helpers.csv", "residents.csv", "support.csv"]
    assert result.snapshot.records("organisations") == [
        {"organisation_id": "ORG1", "name": "ORG1", "type": None},
        {"organisation_id": "ORG2", "name": "ORG2", "type": None},
    ]
    assert result.snapshot.records("awareness") == []
