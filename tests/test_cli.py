"""The carecircle command end to end, as a user runs it: exit codes, summaries, files, privacy."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from tests.datasets import run_cli

RAW_BSNS = ("111222333", "123456782", "123456789")  # two valid, one failing the elfproef


run = run_cli


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def dataset(tmp_path) -> Path:
    return write(
        tmp_path / "stedenwijk",
        {
            "dataset.toml": 'name = "Stedenwijk"\nas_of = 2017-06-01\n',
            "residents.csv": (
                "clientnummer;wijk;naam;bsn;geboortejaar;woont_alleen;behoeften\n"
                "R1;Stedenwijk;Mevrouw Piqué;111222333;1933;ja;huishouden|verpleging\n"
                "R2;Stedenwijk;Meneer Jansen;123456782;1940;nee;\n"
                "R3;Stedenwijk;Mevrouw De Vries;123456789;1941;nee;\n"
                "R4;Stedenwijk;Dubbel;111222333;1933;ja;\n"
            ),
            "helpers.csv": (
                "helper_id,role,name,organisation_id\n"
                "H1,wijkverpleegkundige,Anna,ORG1\n"
                "H2,mantelzorger,Dochter,\n"
                "H3,kapper,Xander,\n"
            ),
            "organisations.csv": "organisation_id,name,type\nORG1,Zorggroep Almere,aanbieder\n",
            "support.csv": (
                "helper_id,resident_id,domains,hours_per_week\n"
                "H1,R1,verpleging,2.5\n"
                "H2,R1,huishouden,10\n"
                "H3,R1,klussen,1\n"
                "H1,R3,verpleging,1\n"
            ),
        },
    )


def everything_written(*paths: Path) -> bytes:
    data = b""
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            data += file.read_bytes()
    return data


def test_ingest_prints_a_summary_stores_the_snapshot_and_writes_the_report(dataset, tmp_path):
    result = run("ingest", str(dataset), "--store", "out/store.db", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Stedenwijk — as of 2017-06-01" in result.stdout
    assert "helpers.csv:4 [role] unknown_role: unknown role 'kapper'" in result.stdout
    assert (
        "support.csv:4 [helper_id] rejected_reference: unknown helper_id 'H3': rejected at helpers.csv:4"
        in (result.stdout)
    )
    report = json.loads((tmp_path / "out" / "ingest-report-2017-06-01.json").read_text())
    assert report["files"]["residents.csv"] == {"read": 4, "accepted": 3, "rejected": 1}
    assert report["files"]["support.csv"] == {"read": 4, "accepted": 2, "rejected": 2}
    assert report["written"] is True
    assert {w["code"] for w in report["warnings"]} == {"same_person"}
    with sqlite3.connect(tmp_path / "out" / "store.db") as connection:
        residents = connection.execute("SELECT resident_id FROM residents ORDER BY resident_id").fetchall()
    assert residents == [("R1",), ("R2",), ("R4",)]
    assert "Traceback" not in result.stderr


def test_dutch_summary_with_lang_nl(dataset, tmp_path):
    result = run("--lang", "nl", "ingest", str(dataset), "--store", "store.db", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "onbekende rol 'kapper'" in result.stdout
    assert "afgewezen" in result.stdout


def test_no_raw_bsn_in_store_report_output_or_exports(dataset, tmp_path):
    outputs = [
        run("ingest", str(dataset), "--store", "out/store.db", cwd=tmp_path),
        run("export", "--store", "out/store.db", "--format", "graphml", "out/g.graphml", cwd=tmp_path),
        run("export", "--store", "out/store.db", "--format", "gexf", "out/g.gexf", cwd=tmp_path),
        run("export", str(dataset), "--format", "csv", "out/csv", cwd=tmp_path),
        run("ingest", str(dataset), "--store", "out/strict.db", "--strict", cwd=tmp_path),
    ]
    printed = "".join(r.stdout + r.stderr for r in outputs)
    written = everything_written(tmp_path / "out")
    assert (tmp_path / "out" / "store.db").exists() and (tmp_path / "out" / "g.gexf").exists()
    for bsn in RAW_BSNS:
        assert bsn not in printed
        assert bsn.encode() not in written
    # the pseudonym is in the store, so the same person is still recognised
    with sqlite3.connect(tmp_path / "out" / "store.db") as connection:
        pseudonyms = connection.execute("SELECT bsn_pseudonym FROM residents ORDER BY resident_id").fetchall()
    assert pseudonyms[0] == pseudonyms[2] != pseudonyms[1]


def test_strict_refuses_to_write_anything_when_a_row_is_rejected(dataset, tmp_path):
    result = run("ingest", str(dataset), "--store", "store.db", "--strict", cwd=tmp_path)
    assert result.returncode == 2
    assert "--strict: rows were rejected, nothing was written" in result.stderr
    assert not (tmp_path / "store.db").exists()
    report = json.loads((tmp_path / "ingest-report-2017-06-01.json").read_text())
    assert report["written"] is False
    assert report["rejected"]


def test_strict_writes_a_clean_dataset(dataset, tmp_path):
    helpers = (dataset / "helpers.csv").read_text().replace("H3,kapper,Xander,\n", "")
    (dataset / "helpers.csv").write_text(helpers)
    support = (dataset / "support.csv").read_text().replace("H3,R1,klussen,1\n", "")
    (dataset / "support.csv").write_text(support)
    residents = (dataset / "residents.csv").read_text().replace("123456789", "")
    (dataset / "residents.csv").write_text(residents)

    result = run("ingest", str(dataset), "--store", "store.db", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "store.db").exists()


def test_file_level_error_exits_2_names_file_and_columns_and_writes_nothing(dataset, tmp_path):
    (dataset / "support.csv").write_text("helper,resident\nH1,R1\n")
    result = run("ingest", str(dataset), "--store", "store.db", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: support.csv:1: required column helper_id is missing; found columns: helper, resident"
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "store.db").exists()


def test_missing_dataset_and_bad_store_are_one_line_errors(tmp_path):
    missing = run("ingest", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.startswith("error: nowhere: not a dataset")
    no_store = run("export", "--store", "absent.db", "--format", "csv", "out", cwd=tmp_path)
    assert no_store.returncode == 2
    assert "no store here; run carecircle ingest first" in no_store.stderr
    usage = run("export", "a", "b", "c", "--format", "csv", cwd=tmp_path)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_generate_ingest_export_on_synthetic_data(tmp_path):
    generated = run("generate", "data", "--residents", "300", "--seed", "3", cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    ingested = run("ingest", "data", "--store", "store.db", cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    report = json.loads((tmp_path / "ingest-report-2024-06-01.json").read_text())
    assert report["rejected"] == []
    assert all(counts["accepted"] == counts["read"] for counts in report["files"].values())
    exported = run("export", "--store", "store.db", "--format", "graphml", "g.graphml", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    graph = nx.read_graphml(tmp_path / "g.graphml")
    residents = [n for n, d in graph.nodes(data=True) if d["node_type"] == "resident"]
    assert len(residents) == report["files"]["residents.csv"]["accepted"]
    assert "resident:R-PIQUE" in graph


def test_progress_stays_quiet_when_output_is_not_a_terminal(dataset, tmp_path):
    result = run("ingest", str(dataset), "--store", "store.db", cwd=tmp_path)
    assert "reading" not in result.stderr and "\x1b[" not in result.stdout + result.stderr


def test_progress_shows_on_a_terminal(dataset, tmp_path):
    import pty

    controller, terminal = pty.openpty()
    environment = {**os.environ, "CARECIRCLE_SECRET": "pty", "TERM": "xterm", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "carecircle", "ingest", str(dataset), "--store", "store.db"],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
    )
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=120) == 0
    os.close(controller)
    assert b"ingest" in seen and b"\x1b[" in seen


@pytest.mark.parametrize("process_ends", [False, True])
def test_batch_commands_pause_the_cycle_collector_and_only_the_process_itself_freezes(
    tmp_path, monkeypatch, process_ends
):
    import gc

    from click.testing import CliRunner

    import carecircle.synthetic
    from carecircle.cli import cli

    during, frozen = [], []
    generate_dataset = carecircle.synthetic.generate_dataset

    def watched(*args, **options):
        during.append(gc.isenabled())
        return generate_dataset(*args, **options)

    monkeypatch.setattr(carecircle.synthetic, "generate_dataset", watched)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(gc.isenabled()))
    result = CliRunner().invoke(
        cli, ["generate", str(tmp_path / "d"), "--residents", "20"], obj={"process_ends": process_ends}
    )
    assert result.exit_code == 0, result.output
    assert during == [False] and gc.isenabled()
    # freezing is for the carecircle process only, before the collector is back: no last walk at exit
    assert frozen == ([False] if process_ends else [])


def test_each_snapshot_gets_its_own_report_and_an_ingest_that_replaces_one_says_which(dataset, tmp_path):
    from datetime import date, datetime

    from graph.stores import SqliteStore

    june = run("ingest", str(dataset), "--store", "store.db", cwd=tmp_path)
    july = run("ingest", str(dataset), "--store", "store.db", "--as-of", "2017-07-01", cwd=tmp_path)
    with SqliteStore(tmp_path / "store.db") as store:
        first = store.snapshots()[0]
    again = run("--lang", "nl", "ingest", str(dataset), "--store", "store.db", cwd=tmp_path)

    assert [june.returncode, july.returncode, again.returncode] == [0, 0, 0], again.stderr
    assert sorted(path.name for path in tmp_path.glob("ingest-report*")) == [
        "ingest-report-2017-06-01.json",
        "ingest-report-2017-07-01.json",
    ]
    assert json.loads((tmp_path / "ingest-report-2017-07-01.json").read_text())["as_of"] == "2017-07-01"
    assert "replaced" not in june.stdout + july.stdout
    report = json.loads((tmp_path / "ingest-report-2017-06-01.json").read_text())
    assert report["replaced"] == {
        "as_of": "2017-06-01",
        "dataset": "Stedenwijk",
        "ingested_at": first.ingested_at,
    }
    when = datetime.fromisoformat(first.ingested_at).strftime("%Y-%m-%d %H:%M:%S UTC")
    assert (
        f"verving de peildatum 2017-06-01 die op {when} was ingelezen (dataset Stedenwijk)\n" in again.stdout
    )
    with SqliteStore(tmp_path / "store.db") as store:
        assert store.report(date(2017, 6, 1)) == report


def test_the_summary_counts_every_rejection_though_the_report_keeps_only_examples(dataset, tmp_path):
    support = dataset / "support.csv"
    support.write_text(support.read_text() + "".join(f"X{i},R1,huishouden,1\n" for i in range(150)))
    result = run("ingest", str(dataset), "--store", "store.db", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "ingest-report-2017-06-01.json").read_text())
    assert report["problem_counts"]["rejected"]["support.csv"]["unknown_reference"] == 150
    assert len(report["rejected"]) == 104 and report["truncated"] is True
    assert "\n154 rejected:\n" in result.stdout
    assert "\n  … 144 more (see the report)\n" in result.stdout


def test_a_report_without_counts_is_summarised_from_its_lists(capsys):
    from carecircle.cli import _print_summary

    problem = {"file": "support.csv", "column": "helper_id", "code": "unknown_reference", "message": "..."}
    report = {
        "dataset": "Oud",
        "as_of": "2017-06-01",
        "files": {},
        "rejected": [{**problem, "line": line} for line in range(2, 14)],
        "warnings": [],
        "ignored_columns": {},
        "written": True,
    }
    _print_summary(report, Path("ingest-report.json"), "store.db", "nl")
    printed = capsys.readouterr().out
    assert "\n12 afgewezen:\n  support.csv:2 [helper_id] unknown_reference: ...\n" in printed
    assert "\n  … nog 2 (zie het rapport)\nopgeslagen in store.db\n" in printed
