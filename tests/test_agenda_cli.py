"""``carecircle agenda`` on the command line, as a district team member runs it before a meeting."""

import csv
import json
import zipfile
from datetime import date

import pytest

from graph.analysis import agenda_json, build_agenda
from graph.stores import SqliteStore
from tests.datasets import run_cli, stored_series

DATES = ("2023-12-01", "2024-03-01", "2024-06-01")


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    """Three snapshots of 120 residents in one store, and the folders they came from."""
    return stored_series(tmp_path_factory.mktemp("agenda"), residents=120, seed=5)


def _json(*args, cwd):
    result = run_cli("agenda", *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_stored_snapshot_is_compared_with_the_one_before_it_by_default(series):
    newest = _json("--store", "store.db", cwd=series)
    assert newest["schema"] == "carecircle.agenda/1"
    assert (newest["as_of"], newest["since"]) == ("2024-06-01", "2024-03-01")
    with SqliteStore(series / "store.db") as store:
        expected = agenda_json(build_agenda(store.load(date(2024, 6, 1)), store.load(date(2024, 3, 1))))
    assert newest == expected
    assert newest["items"] and {g["status"] for i in newest["items"] for g in i["gaps"]} <= {
        "new",
        "persisting",
    }
    middle = _json("--store", "store.db", "--as-of", "2024-03-01", cwd=series)
    assert (middle["as_of"], middle["since"]) == ("2024-03-01", "2023-12-01")
    first = _json("--store", "store.db", "--as-of", "2023-12-01", cwd=series)
    assert first["since"] is None and all(item["circle"] is None for item in first["items"])


def test_since_names_an_earlier_stored_snapshot(series):
    chosen = _json("--store", "store.db", "--since", "2023-12-01", cwd=series)
    assert (chosen["as_of"], chosen["since"]) == ("2024-06-01", "2023-12-01")
    missing = run_cli("agenda", "--store", "store.db", "--since", "2024-01-15", cwd=series)
    assert missing.returncode == 2 and missing.stdout == ""
    assert "2024-01-15" in missing.stderr and ", ".join(DATES) in missing.stderr
    later = run_cli("--lang", "nl", "agenda", "--store", "store.db", "--since", "2024-06-01", cwd=series)
    assert later.returncode == 2 and "ligt niet vóór de peildatum 2024-06-01" in later.stderr


def test_a_dataset_folder_has_no_earlier_snapshot(series):
    folder = series / "datasets" / "2024-06-01"
    from_folder = _json(str(folder), cwd=series)
    assert from_folder["since"] is None
    assert {gap["status"] for item in from_folder["items"] for gap in item["gaps"]} == {None}
    refused = run_cli("agenda", str(folder), "--since", "2024-03-01", cwd=series)
    assert refused.returncode == 2 and "--since needs --store" in refused.stderr


def test_top_and_neighbourhood_choose_the_items(series):
    whole = _json("--store", "store.db", cwd=series)
    top = _json("--store", "store.db", "--top", "3", cwd=series)
    assert top["items"] == whole["items"][:3] and top["meetings"] == whole["meetings"]
    area = whole["items"][0]["neighbourhood"]
    local = _json("--store", "store.db", "--neighbourhood", area, cwd=series)
    assert local["neighbourhood"] == area and local["items"]
    assert {item["neighbourhood"] for item in local["items"]} == {area}
    assert {meeting["neighbourhood"] for meeting in local["meetings"]} <= {area}
    unknown = run_cli("agenda", "--store", "store.db", "--neighbourhood", "Atlantis", cwd=series)
    assert unknown.returncode == 2 and "Atlantis" in unknown.stderr and area in unknown.stderr


def test_the_agenda_is_written_as_csv_xlsx_and_a_page_to_print(series, tmp_path):
    for args in (
        ["--format", "csv", "--out", str(tmp_path / "csv")],
        ["--format", "xlsx", "--out", str(tmp_path / "a.xlsx")],
    ):
        result = run_cli("agenda", "--store", "store.db", "--top", "5", *args, cwd=series)
        assert result.returncode == 0, result.stderr
    with (tmp_path / "csv" / "items.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["rank"] for row in rows] == ["1", "2", "3", "4", "5"]
    assert {"items", "gaps", "resolved", "meetings"} <= {p.stem for p in (tmp_path / "csv").iterdir()}
    with zipfile.ZipFile(tmp_path / "a.xlsx") as workbook:
        assert any(name.startswith("xl/worksheets/") for name in workbook.namelist())
    page = run_cli(
        "--lang", "nl", "agenda", "--store", "store.db", "--top", "2", "--format", "html", cwd=series
    )
    assert page.returncode == 0 and page.stdout.lower().startswith("<!doctype html>")
    assert '<html lang="nl">' in page.stdout and "<script" not in page.stdout
    assert "Agenda voor het casusoverleg, 1 juni 2024" in page.stdout
    no_out = run_cli("agenda", "--store", "store.db", "--format", "xlsx", cwd=series)
    assert no_out.returncode == 2 and "--out" in no_out.stderr


def test_the_earlier_snapshot_read_beside_gives_the_same_agenda(series, monkeypatch):
    from carecircle import pair
    from graph.analysis.agenda import earlier_gaps

    path, t, s = str(series / "store.db"), date(2024, 6, 1), date(2024, 3, 1)
    with SqliteStore(series / "store.db") as store:
        current, earlier = store.load(t), store.load(s)
    expected = agenda_json(build_agenda(current, earlier))
    assert agenda_json(build_agenda(current, earlier_gaps(earlier))) == expected
    with pair.stored_pair(path, None, t, s) as beside:  # a forked second process works out S
        assert agenda_json(build_agenda(*beside)) == expected
    monkeypatch.setattr(pair.sys, "platform", "darwin")  # no fork: S is read when asked for
    with pair.stored_pair(path, None, t, s) as after:
        assert agenda_json(build_agenda(*after)) == expected
    with pair.stored_pair(path, None, t, None) as (_, nothing):
        assert nothing() is None
    # a second process that cannot read S leaves it to the first, which reports the store's error
    assert pair._beside(str(series / "missing.db"), None, s) is None
