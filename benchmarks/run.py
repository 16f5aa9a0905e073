"""carecircle's performance run (SPEC §9): ``python -m benchmarks.run`` (``make bench``).

For each size it generates a municipality, then measures, each in a fresh process: the
baseline (pandas with the pyarrow engine reading the same CSV files, nothing more), ingest
(per phase), analyze, the team's agenda (against an earlier snapshot of the same residents), and
the dashboard's resident-circle and overview callbacks (p50 and p95, server-side, over many
requests), with the peak memory of each. Every time is set beside the
baseline of the same size in the same run, and the results go to ``docs/PERFORMANCE.md`` with
a log-log plot of time against residents (``docs/performance.png``).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.page_weight import page_weight_section

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 60_000, 100_000)
TARGETS = {
    "ratio": 4.0,  # ingest + analyze, against the baseline, at 60k
    "memory_mib": 2048,
    "scaling": 12.0,  # 100k against 10k
    "circle_p95": 0.150,
    "overview_p95": 1.0,
    "agenda": 2.0,  # agenda (with an earlier snapshot), against analyze, at 60k (issue 14)
}
#: the earlier snapshot the agenda compares with: the same residents, three months before
EARLIER = "2024-03-01"


def measure(sizes: list[int], requests: int, work: Path) -> list[dict]:
    """Generate and measure every size; return one result per size."""
    results = []
    for size in sizes:
        folder = work / f"n{size}"
        data, store = folder / "data", folder / "carecircle.db"
        store.unlink(missing_ok=True)
        generated = _timed(
            [sys.executable, "-m", "carecircle", "generate", str(data), "--residents", str(size)]
        )
        # the baseline is quick: take the median of three, against a cold first start
        baseline = sorted((_worker("baseline", data) for _ in range(3)), key=lambda b: b["wall"])[1]
        ingest = _worker("ingest", data, store)
        earlier = folder / "earlier"
        _timed(
            [
                sys.executable,
                "-m",
                "carecircle",
                "generate",
                str(earlier),
                "--residents",
                str(size),
                "--as-of",
                EARLIER,
            ]
        )
        _worker("ingest", earlier, store)
        analyze = _worker("analyze", store, folder / "analysis.json")
        agenda = _worker("agenda", store, folder / "agenda.json")
        evaluation = _worker("evaluate", store, folder / "evaluation.json")
        dashboard = _worker("dashboard", store, requests)
        startup = _worker("startup")
        results.append(
            {
                "residents": size,
                "startup": startup["wall"],
                "rows": baseline["rows"],
                "generate": generated,
                "baseline": baseline,
                "ingest": ingest,
                "analyze": analyze,
                "agenda": agenda,
                "evaluate": evaluation,
                "dashboard": dashboard,
            }
        )
        print(_line(results[-1]), flush=True)
    return results


def _timed(command: list) -> float:
    began = time.perf_counter()
    subprocess.run([str(part) for part in command], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - began


def _worker(task: str, *arguments) -> dict:
    """Run one task in a fresh interpreter; its wall time (start-up and imports included) as ``wall``."""
    began = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.workers", task, *map(str, arguments)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - began
    return result


def _line(result: dict) -> str:
    return (
        f"{result['residents']:>7,} residents: baseline {result['baseline']['wall']:.2f} s, "
        f"ingest {result['ingest']['wall']:.2f} s, analyze {result['analyze']['wall']:.2f} s, "
        f"agenda {result['agenda']['wall']:.2f} s, evaluate {result['evaluate']['wall']:.2f} s, "
        f"circle p95 {1000 * result['dashboard']['circle']['p95']:.0f} ms, "
        f"overview p95 {1000 * result['dashboard']['overview']['p95']:.0f} ms"
    )


#: the tasks whose peak memory counts
_MEASURED = ("ingest", "analyze", "agenda", "evaluate", "dashboard")


def agenda_ratio(result: dict) -> float:
    """The agenda (the newest snapshot against the one before) against analyze, each a fresh process."""
    return result["agenda"]["wall"] / result["analyze"]["wall"]


def evaluate_ratio(result: dict) -> float:
    """The evaluation (analysing both stored snapshots, then the bootstrap) against analyze (one)."""
    return result["evaluate"]["wall"] / result["analyze"]["wall"]


def ratio(result: dict) -> float:
    """(ingest + analyze) / baseline, each as a fresh process (start-up and imports included)."""
    return (result["ingest"]["wall"] + result["analyze"]["wall"]) / result["baseline"]["wall"]


def report(results: list[dict], plot: Path | None) -> str:
    """The markdown of docs/PERFORMANCE.md."""
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (`python -m benchmarks.run`) on "
        f"{datetime.now(UTC).date().isoformat()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores. Every task runs in a fresh process; "
        "*wall* includes the interpreter's start and the imports, as a user's install has them "
        "(matplotlib, installed for this report's plot, is hidden from the tasks). Ingest, analyze "
        "and agenda run with the cycle collector paused, as the `carecircle` command does; the "
        "agenda's peak memory includes the second process in which it works out the earlier "
        "snapshot's gaps. Evaluate analyses both stored snapshots (the earlier and the newest) and "
        "then bootstraps the pilot (Stedenwijk) against the rest 2,000 times. The "
        "**baseline** is pandas "
        "(pyarrow engine) only reading the same five CSV files, in a fresh process of its own: every "
        "ratio sets a time beside the baseline of the same size, measured in the same run. "
        "The dashboard's page weight (the bytes of a first visit, what the residents grid sends to a "
        "browser, and how soon it shows rows, at 2,000 and 60,000 residents) is measured by "
        "`make page-weight` into "
        "[PAGE_WEIGHT.md](PAGE_WEIGHT.md); its table is under *Dashboard page weight* below.",
        "",
        "| residents | rows | generate | baseline (read) | ingest | analyze | ingest + analyze / baseline "
        "| agenda (/ analyze) | evaluate (/ analyze) | peak memory | circle p50 / p95 | overview p50 / p95 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        memory = max(r[task]["peak_memory_mib"] for task in _MEASURED)
        lines.append(
            f"| {r['residents']:,} | {r['rows']:,} | {r['generate']:.1f} s "
            f"| {r['baseline']['wall']:.2f} s ({r['baseline']['read']:.2f} s) "
            f"| {r['ingest']['wall']:.2f} s | {r['analyze']['wall']:.2f} s | {ratio(r):.1f}× "
            f"| {r['agenda']['wall']:.2f} s ({agenda_ratio(r):.1f}×) "
            f"| {r['evaluate']['wall']:.2f} s ({evaluate_ratio(r):.1f}×) | {memory:,.0f} MiB "
            f"| {_ms(r['dashboard']['circle']['p50'])} / {_ms(r['dashboard']['circle']['p95'])} "
            f"| {_ms(r['dashboard']['overview']['p50'])} / {_ms(r['dashboard']['overview']['p95'])} |"
        )
    lines += [
        "",
        "## Phases",
        "",
        "| residents | task | phase | time | × baseline read |",
        "|---:|---|---|---:|---:|",
    ]
    for r in results:
        for task in ("ingest", "analyze", "agenda", "evaluate"):
            for phase, seconds in r[task]["phases"].items():
                lines.append(
                    f"| {r['residents']:,} | {task} | {phase} | {seconds:.2f} s "
                    f"| {seconds / r['baseline']['read']:.1f}× |"
                )
        lines.append(
            f"| {r['residents']:,} | dashboard | first page (analyse and cache the snapshot) "
            f"| {r['dashboard']['warm_up']:.2f} s | |"
        )
    lines += ["", "## Targets (SPEC §9)", "", *_targets(results)]
    lines += ["", "## Dashboard page weight", "", *_page_weight()]
    lines += [
        "",
        "## Reading the ratio",
        "",
        "The baseline is one Python process that imports pandas and lets pyarrow's C++ reader parse "
        "the files. Ingest and analyze are two processes that each start Python and import pandas, "
        "pandera, networkx and igraph before any work (measured in this run: "
        + ", ".join(f"{r['startup']:.2f} s at {r['residents']:,}" for r in results)
        + "), then validate every cell, pseudonymise and write the store (ingest), and read the snapshot "
        "back (whole up to 100,000 residents, above that one neighbourhood at a time), join its tables "
        "into circles, pairs and gaps, and word every gap (analyze). The joins run over whole tables "
        "(numpy) and each distinct wording of a gap is built once; what still costs Python work per "
        "row is SQLite handing every cell over as a Python value (and taking it back), parsing and "
        "checking every cell, and one object per gap. The "
        "time grows linearly with residents (see the plot), so the ratio is set by that work per row.",
    ]
    if plot is not None:
        lines += ["", f"![time against residents, log-log]({plot.name})"]
    return "\n".join(lines) + "\n"


def _page_weight() -> list[str]:
    """The table of docs/PAGE_WEIGHT.json (``make page-weight``), or how to make it."""
    measured = ROOT / "docs" / "PAGE_WEIGHT.json"
    if not measured.exists():
        return ["Not measured yet: run `make page-weight`."]
    return [
        "From [PAGE_WEIGHT.md](PAGE_WEIGHT.md) (`make page-weight`): the residents page for all "
        "neighbourhoods in headless Chromium, as issue 16 found the dashboard (before) and now, with "
        "its answers compressed and the grids paged on the server.",
        "",
        *page_weight_section(json.loads(measured.read_text(encoding="utf-8"))),
    ]


def _targets(results: list[dict]) -> list[str]:
    by_size = {r["residents"]: r for r in results}
    lines = []
    if 60_000 in by_size:
        r = by_size[60_000]
        memory = max(r[task]["peak_memory_mib"] for task in _MEASURED)
        lines += [
            _check(
                f"ingest + analyze at 60k: {ratio(r):.1f}× the baseline", ratio(r) <= TARGETS["ratio"], "≤ 4×"
            ),
            _check(f"peak memory at 60k: {memory:,.0f} MiB", memory < TARGETS["memory_mib"], "< 2 GiB"),
            _check(
                f"agenda at 60k: {agenda_ratio(r):.1f}× analyze", agenda_ratio(r) <= TARGETS["agenda"], "≤ 2×"
            ),
            _check(
                f"resident circle p95 at 60k: {_ms(r['dashboard']['circle']['p95'])}",
                r["dashboard"]["circle"]["p95"] < TARGETS["circle_p95"],
                "< 150 ms",
            ),
            _check(
                f"overview p95 at 60k: {_ms(r['dashboard']['overview']['p95'])}",
                r["dashboard"]["overview"]["p95"] < TARGETS["overview_p95"],
                "< 1 s",
            ),
        ]
    if 10_000 in by_size and 100_000 in by_size:
        small, large = by_size[10_000], by_size[100_000]
        growth = (large["ingest"]["wall"] + large["analyze"]["wall"]) / (
            small["ingest"]["wall"] + small["analyze"]["wall"]
        )
        lines.append(_check(f"100k against 10k: {growth:.1f}×", growth <= TARGETS["scaling"], "≤ 12×"))
        lines.append(
            _check(
                f"generating 100k: {large['generate']:.1f} s", large["generate"] < 60, "well under a minute"
            )
        )
    return lines or ["(the targets are checked on runs that include 10k, 60k and 100k residents)"]


def _check(text: str, met: bool, target: str) -> str:
    return f"- {'met' if met else '**not met**'}: {text} (target {target})"


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.0f} ms"


def draw(results: list[dict], path: Path) -> Path:
    """A log-log plot of time against residents: baseline, ingest, analyze."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["residents"] for r in results]
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    for label, values, style in (
        ("baseline: pandas (pyarrow) reads the CSV files", [r["baseline"]["wall"] for r in results], "o--"),
        ("ingest", [r["ingest"]["wall"] for r in results], "s-"),
        ("analyze", [r["analyze"]["wall"] for r in results], "^-"),
        ("ingest + analyze", [r["ingest"]["wall"] + r["analyze"]["wall"] for r in results], "D-"),
        ("agenda (against an earlier snapshot)", [r["agenda"]["wall"] for r in results], "v-"),
    ):
        axes.plot(sizes, values, style, label=label)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("residents")
    axes.set_ylabel("wall-clock time (s), fresh process")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="residents, comma-separated")
    parser.add_argument("--requests", type=int, default=200, help="callback requests per measurement")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument("--work", type=Path, help="folder for the generated data (default: a temporary one)")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from its saved JSON")
    options = parser.parse_args(argv)
    if options.report_only:
        results = json.loads(options.out.with_suffix(".json").read_text(encoding="utf-8"))
    else:
        sizes = [int(size) for size in options.sizes.split(",")]
        with tempfile.TemporaryDirectory(prefix="carecircle-bench-") as scratch:
            results = measure(sizes, options.requests, options.work or Path(scratch))
    options.out.parent.mkdir(parents=True, exist_ok=True)
    plot = draw(results, options.out.with_name("performance.png"))
    options.out.write_text(report(results, plot), encoding="utf-8")
    options.out.with_suffix(".json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {options.out}, {plot}")


if __name__ == "__main__":
    main()
