"""Hostile and broken input files (issue 12): nothing lost or exposed silently, and bounded cost (SPEC §4).

Every hostile file is written by its test. The cases: a runaway quote, a stray Latin-1 byte,
two files for one table, a header without rows, absurd shapes (run in a subprocess with a
memory cap), a BSN where it does not belong, and a report of 500,000 rejected rows.
"""

import csv
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from carecircle.synthetic import generate_dataset
from graph.language import translate
from ingest import rawtable, readers
from ingest.bsn import BSN_MASK
from ingest.catalogue import CATALOGUE, FileLevelError, render
from ingest.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS
from ingest.report import EXAMPLES_PER_CODE, bounded_problems
from tests.datasets import BASE, ingest, problems, run_cli, write_dataset, write_workbook

TABLES = ("organisations", "helpers", "residents", "support", "awareness")
#: a memory cap for runs of absurd shapes: a small ingest needs about 600 MB of address space
MEMORY_CAP = 1024**3
RESIDENTS_HEADER = BASE["residents.csv"].splitlines()[0]


def _records(result) -> dict[str, list[dict]]:
    return {table: result.snapshot.records(table) for table in TABLES}


def _everything(result) -> str:
    """All a result would store or report, as one text to search."""
    return repr(_records(result)) + result.snapshot.name + json.dumps(result.report.as_dict(), default=str)


def _sheets(changes: dict[str, list[list]] | None = None) -> dict[str, list[list]]:
    sheets = {
        name[:-4]: [line.split(",") for line in text.strip("\n").split("\n")]
        for name, text in BASE.items()
        if name.endswith(".csv")
    }
    return {**sheets, **(changes or {})}


# --- the report: counts for every problem, a bounded number of examples ------------------------


def test_bounded_problems_keeps_the_first_examples_per_file_and_code_in_order():
    found = [
        {"file": file, "line": line, "column": None, "code": code, "message": "m"}
        for file, code, lines in (
            ("helpers.csv", "unknown_role", range(2, 6)),
            ("residents.csv", "missing_value", range(2, 9)),
            ("residents.csv", "invalid_bsn", range(9, 11)),
            ("support.csv", "unknown_role", range(2, 4)),
        )
        for line in lines
    ]
    kept, counts = bounded_problems(found, per_code=3)
    assert [(p["file"], p["code"], p["line"]) for p in kept] == [
        ("helpers.csv", "unknown_role", 2),
        ("helpers.csv", "unknown_role", 3),
        ("helpers.csv", "unknown_role", 4),
        ("residents.csv", "missing_value", 2),
        ("residents.csv", "missing_value", 3),
        ("residents.csv", "missing_value", 4),
        ("residents.csv", "invalid_bsn", 9),
        ("residents.csv", "invalid_bsn", 10),
        ("support.csv", "unknown_role", 2),
        ("support.csv", "unknown_role", 3),
    ]
    assert counts == {
        "helpers.csv": {"unknown_role": 4},
        "residents.csv": {"missing_value": 7, "invalid_bsn": 2},
        "support.csv": {"unknown_role": 2},
    }
    assert bounded_problems([]) == ([], {})


def test_a_small_report_keeps_every_problem_and_says_nothing_was_cut(tmp_path):
    result = ingest(write_dataset(tmp_path, {"helpers.csv": BASE["helpers.csv"] + "H9,kapper,,,\n"}))
    report = result.report.as_dict()
    assert report["rejected"] == [p.as_dict() for p in result.report.rejected]
    assert report["problem_counts"] == {"rejected": {"helpers.csv": {"unknown_role": 1}}, "warnings": {}}
    assert (report["examples_per_code"], report["truncated"]) == (EXAMPLES_PER_CODE, False)
    for key in ("schema", "dataset", "as_of", "files", "rejected", "warnings", "ignored_columns"):
        assert key in report


@pytest.mark.slow
def test_500k_rejected_rows_make_a_small_report_that_still_counts_them_all(tmp_path):
    rows = 500_000
    residents = RESIDENTS_HEADER + "\n" + "".join(f"X{n},,,,,,\n" for n in range(rows))  # no neighbourhood
    residents += "R1,Stedenwijk,,,1933,,\nR2,Filmwijk,,,19x0,,\n"
    result = ingest(write_dataset(tmp_path, {"residents.csv": residents}))

    assert len(result.report.rejected) > rows  # in memory, complete (for --strict)
    report = result.report.as_dict()
    counts = report["problem_counts"]["rejected"]
    assert counts["residents.csv"] == {"missing_value": rows, "invalid_integer": 1}
    assert sum(n for file in counts.values() for n in file.values()) == len(result.report.rejected)
    missing = [p for p in report["rejected"] if p["code"] == "missing_value"]
    assert [p["line"] for p in missing] == list(range(2, 2 + EXAMPLES_PER_CODE))
    assert report["truncated"] is True
    assert [p["line"] for p in report["rejected"] if p["code"] == "invalid_integer"] == [rows + 3]
    assert result.report.files["residents.csv"] == {"read": rows + 2, "accepted": 1, "rejected": rows + 1}
    assert len(json.dumps(report).encode()) < 100_000


# --- runaway quotes ----------------------------------------------------------------------------


def _bsns(residents_csv: Path) -> list[str]:
    with residents_csv.open(encoding="utf-8", newline="") as handle:
        return [row["bsn"] for row in csv.DictReader(handle) if row["bsn"]]


@pytest.mark.slow
def test_one_unterminated_quote_rejects_its_row_and_keeps_the_1999_others(tmp_path):
    folder = generate_dataset(tmp_path / "data", residents=2000, seed=3).path
    whole = ingest(folder)
    residents = folder / "residents.csv"
    bsns = _bsns(residents)
    assert len(bsns) > 1000
    text = residents.read_text(encoding="utf-8")
    assert "\nR-EMMEN-1,Emmen-Centrum,Jan Hoekstra," in text  # line 3
    residents.write_text(text.replace(",Jan Hoekstra,", ',"Jan Hoekstra,'), encoding="utf-8")

    result = ingest(folder)

    assert [p for p in problems(result) if p[0] == "residents.csv"] == [
        ("residents.csv", 3, "name", "unclosed_quote")
    ]
    assert result.report.files["residents.csv"] == {"read": 2000, "accepted": 1999, "rejected": 1}
    kept = result.snapshot.records("residents")
    assert len(kept) == 1999 and "R-EMMEN-1" not in {r["resident_id"] for r in kept}
    assert max(len(r["name"] or "") for r in kept) < 100
    # the support and awareness rows of every other resident are all there
    for table in ("support", "awareness"):
        expected = [r for r in whole.snapshot.records(table) if r["resident_id"] != "R-EMMEN-1"]
        assert result.snapshot.records(table) == expected, table
    cascaded = [p for p in result.report.rejected if p.file != "residents.csv"]
    assert {(p.file, p.code) for p in cascaded} == {
        ("support.csv", "rejected_reference"),
        ("awareness.csv", "rejected_reference"),
    }
    assert all(p.message.endswith("'R-EMMEN-1': rejected at residents.csv:3") for p in cascaded)
    stored = repr(_records(result)) + json.dumps(result.report.as_dict())
    assert not [bsn for bsn in bsns if bsn in stored]


def test_a_genuine_multi_line_name_stays_valid(tmp_path):
    residents = (
        RESIDENTS_HEADER + "\n"
        'R1,Stedenwijk,"Mevrouw\nPiqué",,1933,true,\n'
        'R2,Filmwijk,"Jansen, meneer\n\n(broer van R1, zie ook\nnotitie)",,1940,false,\n'
        "R3,Filmwijk,De Vries,,1941,,\n"
    )
    result = ingest(write_dataset(tmp_path, {"residents.csv": residents}))
    assert result.report.rejected == []
    names = {r["resident_id"]: r["name"] for r in result.snapshot.records("residents")}
    assert names == {
        "R1": "Mevrouw\nPiqué",
        "R2": "Jansen, meneer\n\n(broer van R1, zie ook\nnotitie)",
        "R3": "De Vries",
    }
    assert list(readers.read_csv_table(tmp_path / "residents.csv").cells.index) == [2, 4, 8]


def test_a_runaway_quote_stops_at_the_first_line_that_looks_like_a_row(tmp_path):
    residents = (
        RESIDENTS_HEADER + "\n"
        'R1,Stedenwijk,Piqué,,1933,true,"household\n'  # line 2: the quote in needs opens, never closes
        "nursing\n"  # line 3: one cell alone: could be part of a cell
        "R2,Filmwijk,Jansen,,1940,false,\n"  # line 4: 7 cells alone: a row
        "R3,Filmwijk,De Vries,,1941,,\n"
    )
    result = ingest(write_dataset(tmp_path, {"residents.csv": residents}))
    assert problems(result)[0] == ("residents.csv", 2, "needs", "unclosed_quote")
    assert [r["resident_id"] for r in result.snapshot.records("residents")] == ["R2", "R3"]
    message = result.report.rejected[0].message
    assert message.startswith(
        "the quote that opens in needs is not closed before a line that looks like a row"
    )


def test_a_quote_still_open_at_the_end_of_the_file_rejects_its_row(tmp_path):
    residents = BASE["residents.csv"] + 'R3,Filmwijk,"De Vries,,1941,,\nen nog wat'
    result = ingest(write_dataset(tmp_path, {"residents.csv": residents}))
    assert problems(result) == [("residents.csv", 4, "name", "unclosed_quote")]
    assert [r["resident_id"] for r in result.snapshot.records("residents")] == ["R1", "R2"]
    assert result.report.files["residents.csv"] == {"read": 3, "accepted": 2, "rejected": 1}


def test_a_quote_that_never_closes_in_the_header_refuses_the_file(tmp_path):
    residents = 'resident_id,"neighbourhood,name\nR1,Stedenwijk,Piqué\n'
    with pytest.raises(FileLevelError) as error:
        ingest(write_dataset(tmp_path, {"residents.csv": residents}))
    problem = error.value.problem
    assert (problem.file, problem.line, problem.code) == ("residents.csv", 1, "not_a_table")
    assert "the quote that opens in the header at 'neighbourhood,name' is never closed" in problem.message


def test_a_name_longer_than_a_name_rejects_its_row_without_showing_it(tmp_path):
    name = "Jan " + "x" * 50_000
    changes = {"residents.csv": BASE["residents.csv"] + f"R3,Filmwijk,{name},,1941,,\n"}
    result = ingest(write_dataset(tmp_path, changes))
    assert problems(result) == [("residents.csv", 4, "name", "cell_too_long")]
    message = result.report.rejected[0].message
    assert message.startswith(f"name is 50,004 characters long; at most {MAX_CELL_CHARS:,} are read")
    assert "xxx" not in message
    assert [r["resident_id"] for r in result.snapshot.records("residents")] == ["R1", "R2"]


def test_long_cells_in_an_ignored_column_are_fine(tmp_path):
    residents = (
        BASE["residents.csv"]
        .replace("needs\n", "needs,notities\n")
        .replace("nursing\n", "nursing," + "lange notitie " * 10_000 + "\n")
    )
    result = ingest(write_dataset(tmp_path, {"residents.csv": residents}))
    assert result.report.rejected == [] and len(result.snapshot.residents) == 2
    assert result.report.ignored_columns == {"residents.csv": ["notities"]}


# --- encodings ---------------------------------------------------------------------------------


def test_one_latin1_byte_in_a_utf8_file_is_reported_and_the_rest_stays_utf8(tmp_path):
    lines = [RESIDENTS_HEADER, "R1,Stedenwijk,Mevrouw Piqué,,1933,true,"]
    lines += [f"R{n},Stedenwijk,Bewoner {n},,1940,," for n in range(2, 6)]
    text = "\n".join(lines).encode("utf-8") + b"\nR6,Stedenwijk,Jos\xe9 Alder,,1941,,\n"
    result = ingest(write_dataset(tmp_path, {"residents.csv": text}))

    assert result.report.rejected == []
    assert problems(result, "warnings") == [("residents.csv", 7, "name", "invalid_utf8")]
    message = result.report.warnings[0].message
    assert message == "line is not valid UTF-8 (byte 0xe9); read as Windows-1252"
    residents = result.snapshot.records("residents")
    assert {r["neighbourhood"] for r in residents} == {"Stedenwijk"}
    assert residents[0]["name"] == "Mevrouw Piqué" and residents[-1]["name"] == "José Alder"


def test_stray_bytes_in_a_multi_line_cell_are_reported_at_their_own_line(tmp_path):
    text = (RESIDENTS_HEADER + '\nR1,Stedenwijk,"Mevrouw Piqué\n').encode() + b'Caf\xe9",,1933,,\xff\n'
    text += "R2,Stedenwijk,Ëlbers-Ørsted,,1940,,\n".encode()  # more UTF-8 than stray bytes
    result = ingest(write_dataset(tmp_path, {"residents.csv": text}))
    assert problems(result, "warnings") == [
        ("residents.csv", 2, "needs", "unknown_code"),
        ("residents.csv", 3, "name", "invalid_utf8"),  # one warning for the line, at its first stray byte
    ]
    assert result.snapshot.records("residents")[0]["name"] == "Mevrouw Piqué\nCafé"
    # 0xff is ÿ in Windows-1252; needs holds it, an unknown domain kept as written
    assert result.snapshot.records("residents")[0]["needs"] == ("ÿ",)


def test_a_byte_windows_1252_leaves_undefined_becomes_a_replacement_character(tmp_path):
    text = (RESIDENTS_HEADER + "\nR1,Stedenwijk,Mevrouw Piqué,,1933,,\n").encode() + b"R2,Wijk \x81,,,,,\n"
    result = ingest(write_dataset(tmp_path, {"residents.csv": text}))
    assert problems(result, "warnings") == [("residents.csv", 3, "neighbourhood", "invalid_utf8")]
    assert result.snapshot.records("residents")[1]["neighbourhood"] == "Wijk \ufffd"


def test_a_whole_windows_1252_file_is_still_read_as_such_without_warnings(tmp_path):
    text = RESIDENTS_HEADER + "\nR1,Stedenwijk,Mevrouw Piqué,,1933,,\nR2,Filmwijk,Dhr. Ëlbers,,1940,,\n"
    result = ingest(write_dataset(tmp_path, {"residents.csv": text.encode("cp1252")}))
    assert result.report.warnings == [] and result.report.rejected == []
    assert [r["name"] for r in result.snapshot.records("residents")] == ["Mevrouw Piqué", "Dhr. Ëlbers"]


# --- file and sheet names ----------------------------------------------------------------------

DUTCH = {
    "organisations.csv": "Organisaties.csv",
    "helpers.csv": "hulpverleners.CSV",
    "residents.csv": "bewoners.csv",
    "support.csv": "Ondersteuning.txt",
    "awareness.csv": "bekendheid.csv",
}


def test_files_may_carry_their_dutch_names(tmp_path):
    base = ingest(write_dataset(tmp_path / "base"))
    folder = write_dataset(tmp_path / "nl")
    for english, dutch in DUTCH.items():
        (folder / english).rename(folder / dutch)
    result = ingest(folder)
    assert _records(result) == _records(base)
    assert sorted(result.report.files) == sorted(DUTCH.values())


def test_sheets_may_carry_their_dutch_names_written_in_any_case(tmp_path):
    base = ingest(write_dataset(tmp_path / "base"))
    sheets = {f" {DUTCH[f'{stem}.csv'].split('.')[0].upper()} ": rows for stem, rows in _sheets().items()}
    path = write_workbook(tmp_path / "wijk.xlsx", sheets)
    result = ingest(path, as_of=date(2017, 6, 1))
    assert _records(result) == _records(base)
    assert " BEWONERS " in result.report.files


@pytest.mark.parametrize(
    ("names", "found"),
    [
        (("residents.csv", "bewoners.csv"), "'bewoners.csv', 'residents.csv'"),
        (("residents.csv", "residents.txt"), "'residents.csv', 'residents.txt'"),
        (("residents.csv", "Bewoners.TSV"), "'Bewoners.TSV', 'residents.csv'"),
    ],
)
def test_two_files_for_one_table_are_refused_naming_both(tmp_path, names, found):
    folder = write_dataset(tmp_path, {"residents.csv": None})
    for name in names:
        (folder / name).write_text(BASE["residents.csv"], encoding="utf-8")
    (folder / names[1]).write_text(RESIDENTS_HEADER + "\nR1,Stedenwijk,,,,,\n", encoding="utf-8")  # smaller
    with pytest.raises(FileLevelError) as error:
        ingest(folder)
    assert error.value.problem.code == "ambiguous_file"
    assert error.value.problem.message == (
        f"more than one file or sheet is the table residents / bewoners: {found}; keep one and ingest again"
    )


def test_file_level_messages_come_in_the_language_asked_for(tmp_path):
    folder = write_dataset(tmp_path, {"bewoners.csv": BASE["residents.csv"]})
    with pytest.raises(FileLevelError) as error:
        ingest(folder, lang="nl")
    assert str(error.value) == (
        "bewoners.csv: meer dan één bestand of werkblad is de tabel residents / bewoners: "
        "'bewoners.csv', 'residents.csv'; houd er één over en lees opnieuw in"
    )
    empty = write_dataset(tmp_path / "leeg", {"helpers.csv": b""})
    with pytest.raises(FileLevelError) as error:
        ingest(empty, lang="nl")
    assert str(error.value) == "helpers.csv: geen tabel: het bestand is leeg"


def test_two_sheets_whose_names_match_after_normalising_are_refused(tmp_path):
    sheets = _sheets()
    sheets["Residents "] = sheets["residents"][:2]  # the 1-row one
    with pytest.raises(FileLevelError) as error:
        ingest(write_workbook(tmp_path / "data.xlsx", sheets), as_of=date(2017, 6, 1))
    assert error.value.problem.code == "ambiguous_file"
    assert "'residents', 'Residents '" in error.value.problem.message


@pytest.mark.parametrize(
    ("make", "english", "dutch"),
    [
        (lambda path: path.symlink_to(path), "a symbolic link that points to itself", "naar zichzelf wijst"),
        (
            lambda path: path.symlink_to(path.with_name("gone.csv")),
            "a link to a file that is not there",
            "er niet is",
        ),
        (lambda path: path.mkdir(), "it is a folder", "het is een map"),
    ],
    ids=["link-loop", "dangling-link", "folder"],
)
def test_a_table_that_cannot_be_read_is_named_not_called_missing(tmp_path, make, english, dutch):
    dataset = write_dataset(tmp_path / "data", {"residents.csv": None})
    make(dataset / "residents.csv")
    file, _, code, message = _file_level(dataset)
    assert (file, code) == ("residents.csv", "not_a_table")
    assert message == f"not a table: the file cannot be read ({english})"
    assert dutch in _file_level(dataset, lang="nl")[3]


def test_a_header_without_rows_is_a_warning(tmp_path):
    result = ingest(write_dataset(tmp_path, {"awareness.csv": "helper_id,about_helper_id,resident_id\n\n\n"}))
    assert result.report.rejected == []
    assert problems(result, "warnings") == [("awareness.csv", 1, None, "no_rows")]
    assert result.report.warnings[0].message == "the table has a header but no rows"
    assert result.report.files["awareness.csv"] == {"read": 0, "accepted": 0, "rejected": 0}


def test_a_sheet_with_a_header_only_is_a_warning_too(tmp_path):
    sheets = _sheets({"awareness": [[], ["helper_id", "about_helper_id", "resident_id"]]})
    result = ingest(write_workbook(tmp_path / "data.xlsx", sheets), as_of=date(2017, 6, 1), lang="nl")
    assert problems(result, "warnings") == [("awareness", 2, None, "no_rows")]
    assert result.report.warnings[0].message == "de tabel heeft een kopregel maar geen rijen"


# --- bounded cost ------------------------------------------------------------------------------


def _file_level(dataset: Path, **options) -> tuple:
    with pytest.raises(FileLevelError) as error:
        ingest(dataset, **options)
    problem = error.value.problem
    return problem.file, problem.line, problem.code, problem.message


@pytest.mark.slow
def test_a_csv_with_a_million_header_columns_is_refused_in_bounded_memory(tmp_path):
    header = RESIDENTS_HEADER + "".join(f",extra{n}" for n in range(1_000_000 - 7))
    folder = write_dataset(tmp_path / "data", {"residents.csv": header + "\nR1,Stedenwijk\n"})
    assert (folder / "residents.csv").stat().st_size > 7_000_000
    done = run_cli("ingest", str(folder), "--store", "s.db", cwd=tmp_path, memory_bytes=MEMORY_CAP)
    assert done.returncode == 2, done.stderr
    assert (
        "residents.csv:1: the table is 1,000,000 columns wide here; carecircle reads at most 200"
        in done.stderr
    )
    assert "Traceback" not in done.stderr and not (tmp_path / "s.db").exists()


@pytest.mark.slow
def test_a_workbook_with_one_cell_at_xfd1048576_is_refused_in_bounded_memory(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in _sheets().items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name == "residents":
            sheet["XFD1048576"] = "x"
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    assert openpyxl.load_workbook(path, read_only=True)["residents"].max_column == 16384  # as declared
    done = run_cli("ingest", str(path), "--as-of", "2017-06-01", cwd=tmp_path, memory_bytes=MEMORY_CAP)
    assert done.returncode == 2, done.stderr
    assert (
        "residents:1048576: the table is 16,384 columns wide here; carecircle reads at most 200"
        in done.stderr
    )
    assert "Traceback" not in done.stderr


def _with_padded_sheet(path: Path, sheet_file: str, padding: int) -> Path:
    """Rewrite a workbook with ``padding`` bytes of white space in one sheet's XML, streamed, as a
    zip bomb is made: a few hundred KB on disk that unpack to a great many."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    bomb = path.with_name("bomb.xlsx")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in parts.items():
            if name != sheet_file:
                out.writestr(name, content)
                continue
            head, tail = content.split(b"<sheetData>", 1)
            with out.open(name, "w") as part:
                part.write(head + b"<sheetData>")
                for _ in range(padding // 2**20):
                    part.write(b" " * 2**20)
                part.write(tail)
    return bomb


def test_a_workbook_that_unpacks_to_far_more_than_it_holds_is_refused_before_unpacking(tmp_path):
    path = write_workbook(tmp_path / "data.xlsx", _sheets())
    bomb = _with_padded_sheet(path, "xl/worksheets/sheet3.xml", 200 * 2**20)  # residents
    assert bomb.stat().st_size < 2**20
    _, _, code, message = _file_level(bomb, as_of=date(2017, 6, 1))
    assert code == "workbook_too_large"
    assert "xl/worksheets/sheet3.xml" in message and "times its packed size" in message
    # a part padded within reason is read as before
    modest = _with_padded_sheet(path, "xl/worksheets/sheet3.xml", 2 * 2**20)
    assert ingest(modest, as_of=date(2017, 6, 1)).report.rejected == []


def test_a_workbook_claiming_a_zip_version_python_cannot_read_is_refused_without_a_traceback(tmp_path):
    # found by the fuzz test: one flipped bit makes a part claim zip version 8.4 (NotImplementedError)
    path = write_workbook(tmp_path / "data.xlsx", _sheets())
    data = bytearray(path.read_bytes())
    directory = data.index(b"PK\x01\x02")  # the first entry of the central directory
    data[directory + 6] = 84  # the version needed to extract it
    path.write_bytes(bytes(data))
    _, _, code, message = _file_level(path, as_of=date(2017, 6, 1))
    assert code == "unreadable_workbook" and "NotImplementedError" in message


def test_a_workbook_that_unpacks_to_more_than_the_limit_in_all_is_refused(tmp_path, monkeypatch):
    from ingest import archives

    path = write_workbook(tmp_path / "data.xlsx", _sheets())
    monkeypatch.setattr(archives, "MAX_FILE_BYTES", 10_000)
    _, _, code, message = _file_level(path, as_of=date(2017, 6, 1), lang="nl")
    assert code == "workbook_too_large" and "MiB in totaal" in message


def test_a_workbook_is_read_by_the_cells_it_holds_with_their_own_rows(tmp_path):
    sheets = _sheets()
    residents = sheets["residents"]
    sheets["residents"] = [[], residents[0], residents[1], [], [], residents[2]]  # header on row 2
    path = write_workbook(tmp_path / "data.xlsx", sheets)
    book = openpyxl.load_workbook(path)
    book["residents"]["Z40"] = "stray"  # a filled cell beyond the header, within the limit
    book["residents"]["A90"] = None  # a row that is there but empty
    book.save(path)
    result = ingest(path, as_of=date(2017, 6, 1))
    assert problems(result) == [("residents", 40, None, "wrong_cell_count")]
    assert result.report.rejected[0].message == "the row has 26 cells where the header has 7"
    assert [r["resident_id"] for r in result.snapshot.records("residents")] == ["R1", "R2"]
    assert list(readers.read_sheet(path, "residents").cells.index) == [3, 6, 40]


def test_a_filled_cell_beyond_the_column_limit_refuses_a_csv_file(tmp_path):
    row = "R3,Filmwijk" + "," * MAX_COLUMNS + "x"
    dataset = write_dataset(tmp_path, {"residents.csv": BASE["residents.csv"] + row + "\n"})
    assert _file_level(dataset) == (
        "residents.csv",
        4,
        "too_many_columns",
        "the table is 202 columns wide here; carecircle reads at most 200: "
        "remove the columns it does not need (empty ones too) and ingest again",
    )


def test_a_csv_file_with_more_lines_than_rows_allowed_is_refused_before_it_is_parsed(tmp_path):
    lines = RESIDENTS_HEADER + "\n" + "\n" * MAX_ROWS + "R1,Stedenwijk\n"
    dataset = write_dataset(tmp_path, {"residents.csv": lines})
    file, line, code, message = _file_level(dataset, lang="nl")
    assert (file, line, code) == ("residents.csv", None, "too_many_rows")
    assert message.startswith("de tabel heeft meer dan 5.000.000 rijen")


def test_a_sheet_is_no_longer_read_once_it_passes_the_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(rawtable, "MAX_ROWS", 4)  # as many as helpers and support have
    sheets = _sheets({"residents": [RESIDENTS_HEADER.split(","), *([["R1", "Stedenwijk"]] * 5)]})
    path = write_workbook(tmp_path / "data.xlsx", sheets)
    assert _file_level(path, as_of=date(2017, 6, 1))[:3] == ("residents", None, "too_many_rows")


def test_a_csv_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 3 * 1024 * 1024)
    big = BASE["residents.csv"] + "R3,Filmwijk,," + " " * (4 * 1024 * 1024) + "\n"
    dataset = write_dataset(tmp_path, {"residents.csv": big})
    assert _file_level(dataset)[2:] == (
        "file_too_large",
        "the file is 5 MiB; carecircle reads CSV files of at most 3 MiB: check that this is the right file",
    )


# --- BSNs where they do not belong ---------------------------------------------------------------

BSN = "123456782"  # passes the 11-check


def test_a_bsn_in_free_text_is_masked_everywhere_and_reported_by_position_only(tmp_path):
    changes = {
        "residents.csv": BASE["residents.csv"]
        .replace("needs\n", f"needs,notes {BSN}\n")
        .replace("Meneer Jansen", "Meneer Jansen (1234.56.782)")
        .replace("nursing\n", "nursing,x\n"),
        "helpers.csv": BASE["helpers.csv"].replace("Carla,,child", f"Carla,,child {BSN}"),
        "organisations.csv": BASE["organisations.csv"].replace("Thuishulp", "Thuishulp 123 456 782"),
        "support.csv": BASE["support.csv"].replace("H4,R2,administration,", f"H4,R2,administration|{BSN},"),
        "dataset.toml": f'name = "Wijk {BSN}"\nas_of = 2017-06-01\n',
    }
    folder = write_dataset(tmp_path / f"data {BSN}", changes)
    result = ingest(folder)

    assert result.report.rejected == []
    assert sorted(p for p in problems(result, "warnings") if p[3] == "bsn_in_text") == sorted(
        [
            ("dataset.toml", None, "name", "bsn_in_text"),
            ("organisations.csv", 3, "name", "bsn_in_text"),
            ("helpers.csv", 4, "relation", "bsn_in_text"),
            ("residents.csv", 1, f"notes {BSN_MASK}", "bsn_in_text"),
            ("residents.csv", 3, "name", "bsn_in_text"),
            ("support.csv", 5, "domains", "bsn_in_text"),
        ]
    )
    everything = _everything(result)
    for written in (BSN, "1234.56.782", "123 456 782"):
        assert written not in everything
    assert result.snapshot.name == f"Wijk {BSN_MASK}"
    assert result.snapshot.records("residents")[1]["name"] == f"Meneer Jansen ({BSN_MASK})"
    assert result.snapshot.records("helpers")[2]["relation"] == f"child {BSN_MASK}"
    assert result.snapshot.records("organisations")[1]["name"] == f"Thuishulp {BSN_MASK}"
    assert result.snapshot.records("support")[3]["domains"] == (BSN_MASK, "administration")
    assert result.report.ignored_columns == {"residents.csv": [f"notes {BSN_MASK}"]}
    assert all(BSN_MASK in p.message for p in result.report.warnings if p.code == "bsn_in_text")


def test_a_bsn_named_folder_is_masked_as_the_dataset_name(tmp_path):
    folder = write_dataset(tmp_path / BSN, {"dataset.toml": "as_of = 2017-06-01\n"})
    result = ingest(folder)
    assert problems(result, "warnings") == [(BSN_MASK, None, "name", "bsn_in_text")]
    assert result.snapshot.name == BSN_MASK and BSN not in _everything(result)


def test_numbers_that_are_not_bsns_are_left_alone(tmp_path):
    names = {"R1": "Tel. 0612345678", "R2": "Nr 123456789 of 1234567820"}  # 10 digits; failing the check
    residents = RESIDENTS_HEADER + "\n" + "".join(f"{r},Wijk,{name},,,,\n" for r, name in names.items())
    result = ingest(write_dataset(tmp_path, {"residents.csv": residents}))
    assert result.report.warnings == []
    assert {r["resident_id"]: r["name"] for r in result.snapshot.records("residents")} == names


def test_a_bsn_in_a_number_column_rejects_the_row_and_never_shows(tmp_path):
    changes = {"residents.csv": BASE["residents.csv"] + f"R3,Filmwijk,,,{BSN},,\n"}
    result = ingest(write_dataset(tmp_path, changes))
    assert problems(result) == [("residents.csv", 4, "birth_year", "invalid_integer")]
    assert problems(result, "warnings") == [("residents.csv", 4, "birth_year", "bsn_in_text")]
    assert BSN not in _everything(result)


def test_an_id_that_is_a_bsn_is_kept_as_the_id_but_never_shown_in_a_message(tmp_path):
    changes = {
        "residents.csv": BASE["residents.csv"] + f"{BSN},Filmwijk,,,,,\n{BSN},Filmwijk,,,,,\n",
    }
    result = ingest(write_dataset(tmp_path, changes))
    assert [r["resident_id"] for r in result.snapshot.records("residents")] == ["R1", "R2", BSN]
    assert problems(result) == [("residents.csv", 5, "resident_id", "duplicate_id")]
    assert result.report.rejected[0].message == f"duplicate resident_id '{BSN_MASK}': first at line 4"


def test_render_masks_a_bsn_in_whatever_it_formats():
    problem = render(
        "out_of_range",
        file="residents.csv",
        line=4,
        column="birth_year",
        value=BSN,
        expected="from 1880 to 2100",
    )
    assert problem.message == f"birth_year must be from 1880 to 2100, found '{BSN_MASK}'"
    problem = render("missing_column", file=f"{BSN}.csv", line=1, column=f"x {BSN}", found="a, 1234.56.782")
    assert BSN not in repr(problem) and "1234.56.782" not in repr(problem)


def test_every_new_code_has_an_english_and_a_dutch_message():
    new = ["unclosed_quote", "cell_too_long", "invalid_utf8", "no_rows", "bsn_in_text"]
    new += ["ambiguous_file", "too_many_columns", "too_many_rows", "file_too_large", "workbook_too_large"]
    for code in new:
        english = CATALOGUE[code]
        assert english and translate(english, "nl") not in ("", english)


def test_the_exact_reader_reads_each_line_alone_once_at_most(tmp_path, monkeypatch):
    """A runaway quote does not make the reader go back: linear, however many quotes break."""
    alone = []
    original = csv.reader

    def counting(lines, **options):
        if isinstance(lines, tuple):  # one line read alone, to see whether it looks like a row
            alone.append(lines[0])
        return original(lines, **options)

    monkeypatch.setattr("ingest.csvrecords.csv.reader", counting)
    body = "".join(f'R{n},Wijk,"open {n},,,,\nS{n},Wijk,,,,,\n' for n in range(100))
    path = write_dataset(tmp_path, {"residents.csv": RESIDENTS_HEADER + "\n" + body}) / "residents.csv"
    table = readers.read_csv_table(path)
    assert [(p.line, p.code) for p in table.problems] == [(n, "unclosed_quote") for n in range(2, 202, 2)]
    assert list(table.cells.index) == list(range(2, 202))  # a rejected row keeps its cells before the quote
    assert table.cells.loc[2].tolist() == ["R0", "Wijk", "", "", "", "", ""]
    assert len(alone) == len(set(alone)) <= body.count("\n") + 1
