"""The performance run keeps working: CI runs it at a small size (no timed assertions)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_benchmark_runs_at_a_small_size_and_writes_its_report(tmp_path):
    out = tmp_path / "PERFORMANCE.md"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--sizes", "300,600", "--requests", "10", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    text = out.read_text(encoding="utf-8")
    assert "| 300 |" in text and "| 600 |" in text and "× baseline read" in text
    results = json.loads(out.with_suffix(".json").read_text())
    assert [r["residents"] for r in results] == [300, 600]
    for result in results:
        assert result["baseline"]["rows"] > result["residents"]
        assert set(result["ingest"]["phases"]) >= {"read CSV", "validate", "storing"}
        assert result["dashboard"]["circle"]["requests"] == 10
        assert result["analyze"]["gaps"] > 0 and result["ingest"]["rejected"] == 0
        assert result["agenda"]["items"] > 0
        assert set(result["agenda"]["phases"]) == {
            "read T",
            "build the agenda (S's gaps worked out beside it)",
            "write JSON",
        }
        assert result["evaluate"]["snapshots"] == 2
        assert set(result["evaluate"]["phases"]) == {
            "read and analyse every snapshot (half beside)",
            "evaluate (bootstrap of 2,000)",
            "write JSON",
        }
    assert "evaluate (/ analyze)" in text
    plot = tmp_path / "performance.png"
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_the_load_run_replays_every_callback_at_a_small_size(tmp_path):
    from benchmarks.load import VISIT

    out = tmp_path / "load.json"
    size = ["--residents", "60", "--clients", "16", "--seconds", "3"]
    subprocess.run(
        [sys.executable, "-m", "benchmarks.load", *size, "--work", str(tmp_path), "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    result = json.loads(out.read_text())
    assert result["snapshots"] == ["2024-06-01", "2024-03-01", "2023-12-01"]
    assert set(result["callbacks"]) == set(VISIT)  # every user finishes the visit it began
    assert result["requests"] >= 16 * len(VISIT) and result["p50"] <= result["p95"] <= result["max"]
    assert result["errors"] == 0 and result["tracebacks"] == 0
    # 16 users against the server's 8 threads: waitress warned about its queue on most requests
    assert result["queue_warnings"] == 0


@pytest.mark.slow
def test_the_hostile_input_run_measures_its_cases_at_a_small_size(tmp_path):
    out = tmp_path / "hostile.json"
    only = "unterminated quote,BSN in a name,zip bomb,symlink loop"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.hostile", "--residents", "60", "--only", only, "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    results = {result["case"]: result for result in json.loads(out.read_text())}
    assert list(results) == ["unterminated quote", "BSN in a name", "zip bomb", "symlink loop"]
    assert "unclosed_quote" in results["unterminated quote"]["codes"]
    assert "bsn_in_text" in results["BSN in a name"]["codes"]
    assert results["zip bomb"]["exit"] == results["symlink loop"]["exit"] == 2
    assert "times its packed size" in results["zip bomb"]["first_error"]
    assert all(result["bsn_leaked"] == 0 and result["peak_mib"] > 0 for result in results.values())
    assert done.stdout.count("\n| ") == len(results)  # the table: a row per case below its header


@pytest.mark.slow
@pytest.mark.browser
def test_the_page_weight_run_measures_the_residents_grid_in_a_browser(tmp_path):
    out = tmp_path / "PAGE_WEIGHT.md"
    arguments = ["--residents", "300", "--repeats", "1", "--before", "", "--work", str(tmp_path)]
    subprocess.run(
        [sys.executable, "-m", "benchmarks.page_weight", *arguments, "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    (result,) = json.loads(out.with_suffix(".json").read_text())
    # the grid pages on the server: its first block of rows, not all of them
    assert (result["residents"], result["code"], result["rows"]) == (300, "now", 100)
    # a block of 100 rows as sent: compressed when the browser accepts it, a few kB, never nothing
    assert result["bytes"] > 1_000 and result["seconds"] > 0
    # a first visit with an empty cache receives the page, the scripts of Dash, Plotly and AG Grid
    # (compressed, yet hundreds of kB) and the callbacks' answers: more than the grid's rows alone
    assert result["first_visit_bytes"] > 500_000 and result["first_visit_seconds"] > 0
    assert "| 300 | now |" in out.read_text(encoding="utf-8")
