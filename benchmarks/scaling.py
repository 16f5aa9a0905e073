"""National scale on paper: ``python -m benchmarks.scaling`` (``make scaling``) writes docs/SCALING.md.

It loads a generated municipality into a real Bolt server (the ArcadeDB test server), then
analyses it one neighbourhood at a time as ``carecircle analyze --store bolt://…`` does, and
measures per neighbourhood: reading its part over Bolt, analysing it, and the memory the
results keep. From those per-resident costs it estimates a national run.
"""

import argparse
import os
import resource
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = 1_500_000
#: CBS: about 3,300 districts (wijken) in the Netherlands; the largest holds about 10 times the mean
DISTRICTS = 3_300
LARGEST_TO_MEAN = 10


def measure(residents: int, work: Path) -> dict:
    """Load ``residents`` residents over Bolt and analyse them neighbourhood by neighbourhood."""
    from benchmarks.bolt_server import BoltServer
    from carecircle.synthetic import generate_dataset
    from graph.analysis.parts import PartialAnalysis
    from graph.stores.neo4j import Neo4jStore
    from ingest.pipeline import ingest_dataset
    from ingest.pseudonym import Pseudonymiser

    generate_dataset(work / "data", residents=residents, seed=3, as_of=date(2024, 6, 1))
    snapshot = ingest_dataset(work / "data", pseudonymiser=Pseudonymiser(b"scaling")).snapshot
    rows = sum(
        len(snapshot.table(t)) for t in ("residents", "helpers", "organisations", "support", "awareness")
    )
    server = BoltServer(work / "bolt").start()
    try:
        database = server.create_database("scaling")
        with Neo4jStore(server.uri, user="root", password=server.password, database=database) as store:
            began = time.perf_counter()
            store.save(snapshot, {})
            loaded = time.perf_counter() - began
            partial = PartialAnalysis(snapshot.as_of)
            areas = []
            tracemalloc.start()
            for area in store.neighbourhoods():
                began = time.perf_counter()
                part = store.load(None, area)
                read = time.perf_counter() - began
                began = time.perf_counter()
                partial.add(part)
                analysed = time.perf_counter() - began
                areas.append(
                    {"area": area, "residents": len(part.residents), "read": read, "analyse": analysed}
                )
                del part
            began = time.perf_counter()
            partial.finish()
            finished = time.perf_counter() - began
            kept, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    finally:
        server.stop()
    return {
        "residents": residents,
        "rows": rows,
        "load": loaded,
        "areas": areas,
        "finish": finished,
        "kept_mib": kept / 2**20,
        "peak_traced_mib": peak / 2**20,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def report(result: dict) -> str:
    """The markdown of docs/SCALING.md: the measurements and the estimate drawn from them."""
    residents = result["residents"]
    read = sum(a["read"] for a in result["areas"])
    analyse = sum(a["analyse"] for a in result["areas"])
    per_resident = {
        "load": result["load"] / residents,
        "read": read / residents,
        "analyse": analyse / residents,
        "kept": result["kept_mib"] / residents,
    }
    largest = max(a["residents"] for a in result["areas"])
    part_mib = (result["peak_traced_mib"] - result["kept_mib"]) / largest
    national_largest = LARGEST_TO_MEAN * NATIONAL / DISTRICTS
    slowest = (
        "Loading"
        if per_resident["load"] >= per_resident["read"]
        else "Reading the districts' parts over Bolt"
    )
    finish_national = result["finish"] * NATIONAL / residents
    lines = [
        "# Scaling to the whole country (an estimate from measurements)",
        "",
        f"Measured by `make scaling` (`python -m benchmarks.scaling`) on {date.today().isoformat()}, "
        f"{os.cpu_count()} cores: a generated municipality of {residents:,} residents "
        f"({result['rows']:,} rows) "
        "loaded into the ArcadeDB Bolt test server of the test suite, then analysed one neighbourhood at a "
        "time, exactly as `carecircle analyze --store bolt://…` does.",
        "",
        "## Measured",
        "",
        "| neighbourhood | residents | read over Bolt | analyse |",
        "|---|---:|---:|---:|",
        *(
            f"| {a['area']} | {a['residents']:,} | {a['read']:.2f} s | {a['analyse']:.2f} s |"
            for a in result["areas"]
        ),
        "",
        f"- Loading ({result['rows']:,} rows, batched `UNWIND … MERGE`): {result['load']:.1f} s, "
        f"{1000 * per_resident['load']:.2f} ms a resident.",
        f"- Reading the parts: {1000 * per_resident['read']:.2f} ms a resident; analysing them: "
        f"{1000 * per_resident['analyse']:.2f} ms a resident; merging at the end (summaries, helper "
        f"network, betweenness): {result['finish']:.2f} s.",
        f"- Memory the results keep (resident rows, gaps, tallies, the helper network): "
        f"{result['kept_mib']:.0f} MiB, {1024 * per_resident['kept']:.1f} KiB a resident; one part at its "
        f"peak: about {1024 * part_mib:.1f} KiB a resident of the largest neighbourhood "
        f"({largest:,} residents). Peak resident set of the whole process: "
        f"{result['peak_rss_mib']:,.0f} MiB.",
        "",
        f"## Estimate for {NATIONAL:,} residents",
        "",
        f"Assumptions: the same mix of circles, gaps and awareness as the generated data; analysis per "
        f"district (*wijk*), of which the Netherlands has about {DISTRICTS:,}, the largest about "
        f"{LARGEST_TO_MEAN} times the mean ({national_largest:,.0f} residents); costs linear in residents, "
        "as the benchmarks show (docs/PERFORMANCE.md); one process on a machine like this one, "
        "against a server as fast as this test server.",
        "",
        "| what | estimate |",
        "|---|---:|",
        f"| loading all snapshots' rows once | {per_resident['load'] * NATIONAL / 3600:.1f} h |",
        f"| reading every district's part over Bolt | {per_resident['read'] * NATIONAL / 60:.0f} min |",
        f"| analysing the parts | {per_resident['analyse'] * NATIONAL / 60:.0f} min |",
        f"| merging (linear estimate) | {finish_national / 60:.0f} min |",
        f"| memory: results kept | {per_resident['kept'] * NATIONAL / 1024:.1f} GiB |",
        f"| memory: the largest district's part | {part_mib * national_largest:,.0f} MiB |",
        "",
        "What follows from it:",
        "",
        "- Reading and analysing district by district keeps the part in memory small whatever the "
        "country's size; what grows is the result itself (every resident's row and every gap), which "
        "an analysis of the whole country keeps until it writes its JSON. At national scale, run "
        "`analyze` per municipality or region (one database, or one `--database`, each), or write the "
        "results district by district; both keep memory to a few GiB.",
        f"- {slowest} is the slowest step. Loading runs once per snapshot, in batches of 2,000 rows, "
        "each its own transaction, and can be resumed after an interruption; reading is one query per "
        "table and district, so a server closer to the analysing machine, or districts analysed in "
        "parallel processes, shorten it.",
        "- The helper network's betweenness is estimated from 1,000 sampled sources above 1,000 helpers, "
        "so its cost grows linearly with the number of helpers and links.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "SCALING.md")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="carecircle-scaling-") as work:
        result = measure(options.residents, Path(work))
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(report(result), encoding="utf-8")
    print(f"wrote {options.out}")


if __name__ == "__main__":
    main()
