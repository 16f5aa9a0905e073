"""The same analysis from a dataset folder, an xlsx workbook and the store; analyze on the command line."""

import csv
import json
import re
from datetime import date

import pytest

from carecircle.synthetic import generate_dataset
from graph.analysis import analyse, analyse_stored, report, to_json
from graph.stores import SqliteStore
from tests.datasets import ingest, run_cli, write_workbook

AS_OF = date(2024, 6, 1)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("generated") / "data"
    generate_dataset(path, residents=400, seed=21, as_of=AS_OF)
    return path


def _native(cell: str):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
        return date.fromisoformat(cell)
    if re.fullmatch(r"\d+\.\d+", cell):
        return float(cell)
    return cell if cell != "" else None


def _workbook(folder, path):
    sheets = {}
    for table in ("residents", "helpers", "organisations", "support", "awareness"):
        with (folder / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        sheets[table] = [rows[0], *([_native(c) for c in row] for row in rows[1:])]
    return write_workbook(path, sheets)


def test_folder_workbook_and_store_give_the_same_json(folder, tmp_path):
    from_folder = to_json(analyse(ingest(folder).snapshot))
    workbook = ingest(_workbook(folder, tmp_path / "data.xlsx"), as_of=AS_OF)
    assert workbook.report.rejected == []
    from_workbook = to_json(analyse(workbook.snapshot))
    with SqliteStore(tmp_path / "store.db") as store:
        store.save(ingest(folder).snapshot, {})
    with SqliteStore(tmp_path / "store.db") as store:
        from_store = to_json(analyse(store.load()))
    assert from_folder == from_workbook == from_store
    assert len(from_folder["residents"]) == 400 and from_folder["gaps"]


def test_a_stored_snapshot_is_read_whole_when_small_and_by_neighbourhood_when_large(
    folder, tmp_path, monkeypatch
):
    snapshot = ingest(folder).snapshot
    expected = to_json(analyse(snapshot))
    areas = sorted(set(snapshot.residents["neighbourhood"]))
    seen = []
    with SqliteStore(tmp_path / "store.db") as store:
        store.save(snapshot, {})
        older = ingest(folder, as_of=date(2023, 6, 1)).snapshot
        store.save(older, {})
        for limit, parts in ((len(snapshot.residents), [None]), (len(snapshot.residents) - 1, areas)):
            monkeypatch.setattr(report, "READ_WHOLE_UP_TO", limit)
            seen.clear()
            analysis = analyse_stored(store, None, lambda *part: seen.append(part))
            assert to_json(analysis) == expected
            assert seen == [(area, position, len(parts)) for position, area in enumerate(parts, start=1)]
        assert to_json(analyse_stored(store, date(2023, 6, 1))) == to_json(analyse(older))


_run = run_cli


def test_analyze_from_dataset_and_from_store_and_snapshot_choice(folder, tmp_path):
    assert _run("ingest", str(folder), "--store", "store.db", cwd=tmp_path).returncode == 0
    later = _run("ingest", str(folder), "--store", "store.db", "--as-of", "2024-09-01", cwd=tmp_path)
    assert later.returncode == 0
    from_dataset = _run("analyze", str(folder), cwd=tmp_path)
    newest = _run("analyze", "--store", "store.db", cwd=tmp_path)
    chosen = _run("analyze", "--store", "store.db", "--as-of", "2024-06-01", cwd=tmp_path)
    assert from_dataset.returncode == newest.returncode == chosen.returncode == 0, newest.stderr
    assert json.loads(chosen.stdout) == json.loads(from_dataset.stdout)
    assert json.loads(newest.stdout)["as_of"] == "2024-09-01"
    assert json.loads(newest.stdout)["residents"] != json.loads(chosen.stdout)["residents"]
    missing = _run("analyze", "--store", "store.db", "--as-of", "2020-01-01", cwd=tmp_path)
    assert missing.returncode == 2
    assert "no snapshot of 2020-01-01; stored: 2024-06-01, 2024-09-01" in missing.stderr


def test_analyze_csv_table_and_policy(folder, tmp_path):
    result = _run("analyze", str(folder), "--format", "csv", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["gaps.csv", "neighbourhoods.csv", "organisations.csv", "residents.csv"]
    with (tmp_path / "out" / "gaps.csv").open() as handle:
        gaps = list(csv.DictReader(handle))
    assert {"R-PIQUE", "R-EMMEN-4"} <= {g["resident_id"] for g in gaps}
    assert any(g["helpers"] == "H-PIQUE-DAUGHTER|H-PIQUE-HOUSEHOLD" for g in gaps)

    printed = _run("analyze", str(folder), "--format", "csv", cwd=tmp_path)
    assert printed.stdout.startswith("resident_id,type,severity,helpers,domains,message,action\n")

    table = _run("--lang", "nl", "analyze", str(folder), "--format", "table", cwd=tmp_path)
    assert table.returncode == 0 and "Knelpunten per soort" in table.stdout and "Stedenwijk" in table.stdout
    assert "Mantelzorger niet in beeld" in table.stdout and "dichtheid" in table.stdout

    policy = _run("analyze", str(folder), "--role", "policy", cwd=tmp_path)
    document = json.loads(policy.stdout)
    assert "residents" not in document and "gaps" not in document
    assert "R-PIQUE" not in policy.stdout and "H-PIQUE" not in policy.stdout
    emmen = next(n for n in document["neighbourhoods"] if n["neighbourhood"] == "Emmen-Centrum")
    assert emmen["residents"] == 6 and emmen["gaps_by_type"]["stale_contact"] == "<5"
    policy_csv = _run(
        "analyze", str(folder), "--role", "policy", "--format", "csv", "--out", "p", cwd=tmp_path
    )
    assert policy_csv.returncode == 0
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["neighbourhoods.csv", "organisations.csv"]
