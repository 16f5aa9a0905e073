"""Files as they come: encodings, separators, quoting, workbooks, and file-level errors (SPEC §3-4)."""

from datetime import date, datetime
from pathlib import Path

import pytest

from ingest.catalogue import FileLevelError
from tests.datasets import BASE, ingest, problems, write_dataset, write_workbook

TABLES = ("organisations", "helpers", "residents", "support", "awareness")


def _same_snapshot(a, b) -> None:
    for table in TABLES:
        assert a.snapshot.records(table) == b.snapshot.records(table), table


def _as(text: str, separator: str) -> str:
    return text.replace(",", separator)


@pytest.fixture
def base(tmp_path):
    return ingest(write_dataset(tmp_path / "base"))


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_files(tmp_path, base, separator):
    files = {name: _as(text, separator) for name, text in BASE.items() if name.endswith(".csv")}
    result = ingest(write_dataset(tmp_path / "x", files))
    assert result.report.rejected == []
    _same_snapshot(result, base)


def test_decimal_comma_with_semicolons(tmp_path, base):
    files = {name: _as(text, ";") for name, text in BASE.items() if name.endswith(".csv")}
    files["support.csv"] = files["support.csv"].replace(";2.5;", ";2,5;").replace(";1.5;", ";1,5;")
    result = ingest(write_dataset(tmp_path / "x", files))
    assert result.report.rejected == []
    _same_snapshot(result, base)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")],
    ids=["utf-8", "bom", "cp1252"],
)
def test_encodings(tmp_path, base, encoding, bom):
    files = {name: bom + text.encode(encoding) for name, text in BASE.items() if name.endswith(".csv")}
    result = ingest(write_dataset(tmp_path / "x", files))
    assert result.report.rejected == []
    _same_snapshot(result, base)
    assert result.snapshot.records("residents")[0]["name"] == "Mevrouw Piqué"


def test_windows_1252_with_semicolons_as_dutch_excel_writes_them(tmp_path):
    residents = (
        "clientnummer;wijk;naam;geboortejaar\r\n"
        "R1;Stedenwijk;Mevrouw Piqué;1933\r\n"
        "R2;Filmwijk;Dhr. Ëlbers;1940\r\n"
    )
    result = ingest(write_dataset(tmp_path, {"residents.csv": residents.encode("cp1252")}))
    names = [r["name"] for r in result.snapshot.records("residents")]
    assert names == ["Mevrouw Piqué", "Dhr. Ëlbers"]


def test_quoted_cells_with_separators_and_newlines_keep_line_numbers(tmp_path):
    residents = (
        "resident_id,neighbourhood,name,birth_year\n"
        'R1,Stedenwijk,"Piqué, mevrouw",1933\n'
        'R2,Filmwijk,"Jansen\nmeneer",1940\n'
        "\n"
        "R3,Filmwijk,De Vries,19x1\n"
    )
    result = ingest(write_dataset(tmp_path, {"residents.csv": residents}))
    assert problems(result) == [("residents.csv", 6, "birth_year", "invalid_integer")]
    names = [r["name"] for r in result.snapshot.records("residents")]
    assert names == ["Piqué, mevrouw", "Jansen\nmeneer"]


def test_trailing_empty_cells_may_be_missing(tmp_path):
    residents = "resident_id,neighbourhood,name,bsn,birth_year\nR1,Stedenwijk\nR2,Filmwijk,,,\n"
    result = ingest(write_dataset(tmp_path, {"residents.csv": residents}))
    assert result.report.rejected == [] and len(result.snapshot.residents) == 2


def _workbook_rows(text: str) -> list[list]:
    return [line.split(",") for line in text.strip("\n").split("\n")]


def test_a_workbook_with_native_dates_numbers_and_booleans_equals_the_csv_folder(tmp_path, base):
    sheets = {name[:-4]: _workbook_rows(text) for name, text in BASE.items() if name.endswith(".csv")}
    sheets["residents"][1][4] = 1933  # native number
    sheets["residents"][1][5] = True  # native boolean
    sheets["residents"][2][5] = False
    sheets["support"][1][3] = 2.5
    sheets["support"][1][4] = datetime(2017, 1, 1)  # native Excel date
    sheets["support"][2][5] = date(2018, 1, 1)
    sheets["awareness"][2][4] = datetime(2017, 5, 20)
    sheets["awareness"][2][5] = 14
    workbook = write_workbook(tmp_path / "stedenwijk.xlsx", sheets)
    (tmp_path / "stedenwijk.toml").write_text('name = "Test"\nas_of = 2017-06-01\n')

    result = ingest(workbook)
    assert result.report.rejected == [] and result.report.warnings == []
    _same_snapshot(result, base)
    assert result.snapshot.as_of == date(2017, 6, 1)
    assert sorted(result.report.files) == ["awareness", "helpers", "organisations", "residents", "support"]


def test_workbook_problems_name_the_sheet_and_its_row(tmp_path):
    sheets = {name[:-4]: _workbook_rows(text) for name, text in BASE.items() if name.endswith(".csv")}
    sheets["helpers"].insert(0, [])  # the header on row 2 of the sheet
    sheets["helpers"][3][1] = "kapper"
    result = ingest(write_workbook(tmp_path / "data.xlsx", sheets), as_of=date(2017, 6, 1))
    assert problems(result)[0] == ("helpers", 4, "role", "unknown_role")


def test_missing_sheet(tmp_path):
    sheets = {name[:-4]: _workbook_rows(text) for name, text in BASE.items() if name.endswith(".csv")}
    del sheets["support"]
    with pytest.raises(FileLevelError) as error:
        ingest(write_workbook(tmp_path / "data.xlsx", sheets))
    assert error.value.problem.code == "missing_sheet"
    assert str(error.value) == (
        "support: required sheet support is missing from the workbook; "
        "found sheets: organisations, helpers, residents, awareness"
    )


def _file_error(folder: Path) -> tuple:
    with pytest.raises(FileLevelError) as error:
        ingest(folder)
    problem = error.value.problem
    return problem.file, problem.code, problem.message


def test_missing_required_file_names_what_was_found(tmp_path):
    file, code, message = _file_error(write_dataset(tmp_path, {"support.csv": None}))
    assert (file, code) == ("support.csv", "missing_file")
    assert message == (
        "required file support.csv is missing; found: "
        "awareness.csv, dataset.toml, helpers.csv, organisations.csv, residents.csv"
    )


def test_missing_required_column_names_the_columns_found(tmp_path):
    file, code, message = _file_error(write_dataset(tmp_path, {"helpers.csv": "helper_id,naam\nH1,Anna\n"}))
    assert (file, code) == ("helpers.csv", "missing_column")
    assert message == "required column role is missing; found columns: helper_id, naam"


def test_a_column_named_twice(tmp_path):
    file, code, message = _file_error(
        write_dataset(tmp_path, {"helpers.csv": "helper_id,role,naam,name\nH1,gp,A,B\n"})
    )
    assert (file, code, message) == (
        "helpers.csv",
        "duplicate_column",
        "column name appears more than once (as naam, name)",
    )


@pytest.mark.parametrize(
    ("content", "code", "found"),
    [
        (b"", "not_a_table", "the file is empty"),
        (b"\n\n  \n", "not_a_table", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_a_table", "binary content (NUL bytes)"),
        (b"resident_id,neighbourhood\nR1,Wijk \x81\x8d\n", "undecodable", "0x81 at offset 34"),
    ],
    ids=["empty", "blank lines", "binary", "undecodable"],
)
def test_files_that_are_not_tables(tmp_path, content, code, found):
    file, actual_code, message = _file_error(write_dataset(tmp_path, {"residents.csv": content}))
    assert (file, actual_code) == ("residents.csv", code)
    assert found in message


def test_an_unreadable_workbook(tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(FileLevelError) as error:
        ingest(path)
    assert (error.value.problem.file, error.value.problem.code) == ("data.xlsx", "unreadable_workbook")


def test_not_a_dataset(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    for path in (tmp_path / "nowhere", tmp_path / "notes.txt"):
        with pytest.raises(FileLevelError) as error:
            ingest(path)
        assert error.value.problem.code == "not_a_dataset"


@pytest.mark.parametrize(
    "toml",
    ['name = "x"\nas_of = "1 juni"\n', "as_of = 2017-06-01T10:00:00\n", "name = \n"],
    ids=["text", "datetime", "broken"],
)
def test_bad_dataset_toml(tmp_path, toml):
    file, code, _ = _file_error(write_dataset(tmp_path, {"dataset.toml": toml}))
    assert (file, code) == ("dataset.toml", "bad_dataset_toml")


def test_file_names_match_case_insensitively(tmp_path, base):
    folder = write_dataset(tmp_path / "x")
    (folder / "residents.csv").rename(folder / "Residents.CSV")
    result = ingest(folder)
    _same_snapshot(result, base)
    assert "Residents.CSV" in result.report.files
