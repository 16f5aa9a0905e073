"""What the dashboard weighs in a browser: the bytes a first visit transfers, and the bytes the residents
grid's callbacks send and the time until it shows its first rows, at the demo's size and at 60,000
residents, for this code and (``--before``) for an earlier commit, side by side; written to
``docs/PAGE_WEIGHT.md`` and ``docs/PAGE_WEIGHT.json`` (``make page-weight``). ``docs/PERFORMANCE.md``
(``make bench``) carries the table too.

Each size's store is made by ``carecircle demo --no-serve`` and served by ``carecircle serve`` of the
code measured (a fresh process); headless Chromium (Playwright) opens the overview and clicks
through to the residents page, as a user does. A *first visit* does so in a new browser context, its
cache empty: every byte the browser receives (headers and bodies as they came over the wire,
compressed if the server compresses) until the residents grid shows rows and the page is idle. The
server analyses the snapshot on the first visit only; the first visit measured is the second, so
that the analysis is no part of it. Then ``--repeats`` *repeat visits* in one context, the scripts
cached: the time runs from the click until the grid's first row shows its figures, and the bytes are
the bodies of the responses to the grid's callbacks, counted until the page is idle.
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
#: the dashboard as issue 16 found it: the commit before its answers were compressed and its grids paged
BEFORE = "fdc377e"
VIEWPORT = {"width": 1440, "height": 900}
FIRST_ROW = f"#{GRID} .ag-center-cols-container .ag-row[row-index='0'] .ag-cell[col-id='gap_count']"


def measure(store: Path, work: Path, code: Path | None, repeats: int) -> dict:
    """Serve ``store`` with ``code`` (this checkout for None), visit it once with an empty cache (after
    one visit that has the server analyse the snapshot) and ``repeats`` times with the scripts cached:
    the first visit's bytes and time, and the grid's bytes, rows and time to its first row of each
    repeat visit."""
    from playwright.sync_api import sync_playwright

    server = start_server(store, work, code)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            try:
                _first_visit(browser, server.url)  # the server analyses the snapshot
                first = _first_visit(browser, server.url)
                # one browser context: its cache holds the scripts (AG Grid's, loaded with the
                # first grid) after the first visit
                context = browser.new_context(viewport=VIEWPORT)
                _visit(context, server.url)
                visits = [_visit(context, server.url) for _ in range(repeats)]
            finally:
                browser.close()
    finally:
        stop_server(server)
    return {
        "first_visit_bytes": first["transferred"],
        "first_visit_seconds": first["seconds"],
        "bytes": statistics.median(v["bytes"] for v in visits),
        "rows": statistics.median(v["rows"] for v in visits),
        "seconds": statistics.median(v["seconds"] for v in visits),
        "visits": visits,
    }


def _first_visit(browser, url: str) -> dict:
    """A visit in a new browser context (an empty cache): :func:`_visit`, with every byte received."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        return _visit(context, url)
    finally:
        context.close()


def _visit(context, url: str) -> dict:
    """One visit in a new tab: the overview, then a click to the residents page. ``transferred``
    counts every response of the visit (headers and bodies over the wire), ``bytes`` and ``rows``
    those of the grid's callbacks; ``seconds`` runs from the click to the grid's first row."""
    page = context.new_page()
    page.set_default_timeout(300_000)
    everything: list = []
    responses: list = []
    page.on("requestfinished", lambda request: everything.append(request))
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
            "transferred": sum(_transferred(request) for request in everything),
        }
    finally:
        page.close()


def _transferred(request) -> int:
    """The bytes of a request's response as they came over the wire: headers and (encoded) body."""
    sizes = request.sizes()
    return sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0)


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
        f"{platform.python_version()}, headless Chromium, on a machine shared with other work. "
        "A **first visit** opens the overview in a new browser (its cache empty) and clicks through to "
        "the residents page for all neighbourhoods: every byte it receives (headers and bodies over the "
        "wire) until the grid shows rows and the page is idle, and the time from the click to the grid's "
        "first row (AG Grid's scripts load on this click). The server has analysed the snapshot before. "
        f"Then {repeats} **repeat visits** the same way, the scripts cached (medians): what the residents "
        "grid's callbacks send (bytes over the wire, rows) and the time from the click until the grid "
        "shows its first row (loading the page's layout included). "
        f"*before* is commit `{before}`, the dashboard as issue 16 found it: nothing compressed, and every "
        "row sent to the browser, sorted, filtered and searched there; *now* compresses scripts, styles "
        "and callback answers (flask-compress; the HTML page itself is left uncompressed against BREACH) "
        "and pages the grid on the server (AG Grid's infinite row model): a block of 100 rows at a time, "
        "sorted, filtered and searched on the server.",
        "",
        *page_weight_section(results),
    ]
    return "\n".join(lines) + "\n"


def page_weight_section(results: list[dict]) -> list[str]:
    """The table of the results, a row per size and code."""
    lines = [
        "| residents | code | first visit: transferred | first visit: time to the first rows "
        "| repeat visit: grid bytes | rows sent | repeat visit: time to the first rows (fastest–slowest) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        times = [visit["seconds"] for visit in result["visits"]]
        lines.append(
            f"| {result['residents']:,} | {result['code']} | {_size(result['first_visit_bytes'])} "
            f"| {result['first_visit_seconds']:.2f} s | {_size(result['bytes'])} "
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
                    f"{residents:,} residents, {label}: first visit {_size(result['first_visit_bytes'])}, "
                    f"{result['first_visit_seconds']:.2f} s; grid {_size(result['bytes'])}, "
                    f"{result['seconds']:.2f} s"
                )
    args.out.write_text(report(results, args.before, args.repeats), encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
