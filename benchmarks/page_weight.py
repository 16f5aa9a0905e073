"""What the residents grid weighs in a browser: the bytes its callbacks send and the time until it
shows its first rows, at the demo's size and at 60,000 residents, for this code and (``--before``)
for an earlier commit, side by side; written to ``docs/PAGE_WEIGHT.md`` and ``docs/PAGE_WEIGHT.json``
(``make page-weight``). ``docs/PERFORMANCE.md`` (``make bench``) carries the table too.

Each size's store is made by ``carecircle demo --no-serve`` and served by ``carecircle serve`` of the
code measured (a fresh process); headless Chromium (Playwright) opens the overview and clicks
through to the residents page, as a user does, once to warm up (the server analyses the snapshot,
the browser caches the scripts) and then ``--repeats`` times in new tabs: the time runs from the
click until the grid's first row shows its figures, and the bytes are the bodies of the responses
to the grid's callbacks as they came over the wire (compressed, if the server compresses), counted
until the page is idle.
"""

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from benchmarks.load import make_store, start_server, stop_server

__all__ = ["main", "measure", "page_weight_section", "report"]

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "PAGE_WEIGHT.md"
GRID = "residents-grid"
#: the commit before the grids paged on the server (issue 16)
BEFORE = "fdc377e"
FIRST_ROW = f"#{GRID} .ag-center-cols-container .ag-row[row-index='0'] .ag-cell[col-id='gap_count']"


def measure(store: Path, work: Path, code: Path | None, repeats: int) -> dict:
    """Serve ``store`` with ``code`` (this checkout for None) and open its residents page ``repeats``
    times: the grid's bytes and rows, and the seconds to its first row, of each visit."""
    from playwright.sync_api import sync_playwright

    server = start_server(store, work, code)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            try:
                # one browser context: its cache holds the scripts (AG Grid's, loaded with the
                # first grid) after the first visit, which also has the snapshot analysed
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                _visit(context, server.url)
                visits = [_visit(context, server.url) for _ in range(repeats)]
            finally:
                browser.close()
    finally:
        stop_server(server)
    return {
        "bytes": statistics.median(v["bytes"] for v in visits),
        "rows": statistics.median(v["rows"] for v in visits),
        "seconds": statistics.median(v["seconds"] for v in visits),
        "visits": visits,
    }


def _visit(context, url: str) -> dict:
    """One visit in a new tab: the overview, then a click to the residents page."""
    page = context.new_page()
    page.set_default_timeout(300_000)
    responses: list = []
    try:
        page.goto(url + "/")
        page.locator("#key-figures").wait_for()
        page.wait_for_load_state("networkidle")
        page.on("requestfinished", lambda request: responses.append(request))
        start = time.perf_counter()
        page.locator("a[href='/residents']").first.click()
        page.wait_for_function(
            f"() => {{ const cell = document.querySelector({json.dumps(FIRST_ROW)});"
            " return cell !== null && cell.innerText.trim() !== ''; }"
        )
        seconds = time.perf_counter() - start
        page.wait_for_load_state("networkidle")
        sent = [_grid_response(request) for request in responses]
        return {
            "bytes": sum(size for size, _ in sent),
            "rows": sum(rows for _, rows in sent),
            "seconds": seconds,
        }
    finally:
        page.close()


def _grid_response(request) -> tuple[int, int]:
    """The size on the wire and the rows of the response to a request, if it is one of the grid's
    callbacks (0, 0 otherwise)."""
    if "/_dash-update-component" not in request.url or f"{GRID}." not in (request.post_data or ""):
        return 0, 0
    response = request.response()
    body = json.loads(response.body()) if response and response.status == 200 else {}
    grid = body.get("response", {}).get(GRID, {})
    rows = grid.get("rowData") or (grid.get("getRowsResponse") or {}).get("rowData") or []
    return request.sizes()["responseBodySize"], len(rows)


def code_of(commit: str, work: Path) -> Path:
    """The source tree of ``commit`` of this repository, unpacked into ``work`` (git archive)."""
    folder = work / f"code-{commit}"
    if not folder.exists():
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    return folder


def report(results: list[dict], before: str, repeats: int) -> str:
    """The markdown of docs/PAGE_WEIGHT.md."""
    lines = [
        "# Dashboard page weight",
        "",
        f"Measured by `make page-weight` (`python -m benchmarks.page_weight`) on "
        f"{datetime.now(UTC).date().isoformat()}, {platform.python_implementation()} "
        f"{platform.python_version()}, headless Chromium, on a machine shared with other work. The "
        f"residents page for all neighbourhoods, opened {repeats} times from the overview by a click "
        "after one visit to warm up (medians; the scripts cached, the snapshot analysed): what the "
        "residents grid's callbacks send (bytes over the wire, rows) and the time from the click until "
        "the grid shows its first row (loading the page's layout included). "
        f"*before* is commit `{before}`, which sent every row to the browser and sorted, filtered and "
        "searched there; *now* pages on the server (AG Grid's infinite row model): a block of 100 rows "
        "at a time, sorted, filtered and searched on the server.",
        "",
        *page_weight_section(results),
    ]
    return "\n".join(lines) + "\n"


def page_weight_section(results: list[dict]) -> list[str]:
    """The table of the results, a row per size and code."""
    lines = [
        "| residents | code | grid bytes | rows sent | time to the first rows (fastest–slowest) |",
        "|---:|---|---:|---:|---:|",
    ]
    for result in results:
        times = [visit["seconds"] for visit in result["visits"]]
        lines.append(
            f"| {result['residents']:,} | {result['code']} | {_size(result['bytes'])} "
            f"| {result['rows']:,.0f} | {result['seconds']:.2f} s ({min(times):.2f}–{max(times):.2f} s) |"
        )
    return lines


def _size(size: float) -> str:
    """A byte count as people read it.

    >>> _size(13_400_000), _size(41_200), _size(900)
    ('13.4 MB', '41.2 kB', '900 B')
    """
    if size >= 1e6:
        return f"{size / 1e6:.1f} MB"
    return f"{size / 1e3:.1f} kB" if size >= 1e3 else f"{size:.0f} B"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, nargs="+", default=[2_000, 60_000])
    parser.add_argument(
        "--before", default=BEFORE, help="the commit to measure beside this code ('' for none)"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, help="where the stores are kept (a temporary folder by default)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="carecircle-weight-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        codes = [(f"before ({args.before})", code_of(args.before, work))] if args.before else []
        codes.append(("now", None))
        results = []
        for residents in args.residents:
            store = make_store(residents, work, None)
            for label, code in codes:
                result = measure(store, work, code, args.repeats)
                results.append({"residents": residents, "code": label, **result})
                print(
                    f"{residents:,} residents, {label}: {_size(result['bytes'])}, {result['seconds']:.2f} s"
                )
    args.out.write_text(report(results, args.before, args.repeats), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
