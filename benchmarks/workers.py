"""One measurement in a fresh process: ``python -m benchmarks.workers TASK ARGS…`` prints JSON.

Each task runs in its own interpreter so that its peak memory (``ru_maxrss``) is its own and no
cache of an earlier task helps it. Times inside the task are measured with ``perf_counter``.

Tasks
    baseline DATA          pandas (pyarrow engine) reads the five CSV files, nothing more
    ingest DATA STORE      validate, pseudonymise and store one snapshot, phase by phase
    analyze STORE OUT      analyse the stored snapshot as the command does, write the JSON
    agenda STORE OUT       the team's agenda of the newest snapshot against the one before, as JSON
    evaluate STORE OUT     the evaluation of the pilot over every stored snapshot (SPEC §11), as JSON
    dashboard STORE N      server-side times of the resident-circle and overview callbacks
    startup                start Python and import what ingest and analyze need, nothing more
"""

import itertools
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

TABLES = ("residents", "helpers", "organisations", "support", "awareness")


def baseline(data: str) -> dict:
    import pandas as pd

    began = time.perf_counter()
    rows = sum(len(pd.read_csv(Path(data) / f"{table}.csv", engine="pyarrow")) for table in TABLES)
    return {"read": time.perf_counter() - began, "rows": rows}


def ingest(data: str, store: str) -> dict:
    from graph.stores import open_store
    from ingest.pipeline import ingest_dataset
    from ingest.pseudonym import Pseudonymiser

    marks = [("start", time.perf_counter())]
    result = ingest_dataset(
        Path(data),
        pseudonymiser=Pseudonymiser(b"benchmark"),
        on_step=lambda step: marks.append((step, time.perf_counter())),
    )
    marks.append(("storing", time.perf_counter()))
    with open_store(store) as target:
        target.save(result.snapshot, result.report.as_dict())
    marks.append(("end", time.perf_counter()))
    phases: dict[str, float] = {}
    for (step, began), (_, ended) in itertools.pairwise(marks):
        phase = "read CSV" if step.startswith("reading") or step == "start" else step
        phase = "validate" if step.startswith("validating") else phase
        phases[phase] = phases.get(phase, 0.0) + ended - began
    return {"phases": phases, "total": marks[-1][1] - marks[0][1], "rejected": len(result.report.rejected)}


def analyze(store: str, out: str) -> dict:
    from graph.analysis import analyse_stored, to_json
    from graph.analysis.report import json_bytes
    from graph.stores import open_store

    began = time.perf_counter()
    with open_store(store) as source:
        analysis = analyse_stored(source)  # as the command does
    analysed = time.perf_counter()
    Path(out).write_bytes(json_bytes(to_json(analysis)))  # as the command does
    ended = time.perf_counter()
    return {
        "phases": {"read and analyse": analysed - began, "write JSON": ended - analysed},
        "total": ended - began,
        "gaps": len(analysis.gaps),
    }


def agenda(store: str, out: str) -> dict:
    """As ``carecircle agenda --store STORE --out OUT`` does: the newest snapshot against the one before."""
    from carecircle.pair import stored_pair
    from graph.analysis import agenda_json, build_agenda
    from graph.analysis.report import json_bytes
    from graph.stores import open_store

    marks = [time.perf_counter()]
    with open_store(store) as source:
        dates = [info.as_of for info in source.snapshots()]
    with stored_pair(store, None, dates[-1], dates[-2] if len(dates) > 1 else None) as (current, earlier):
        marks.append(time.perf_counter())
        result = agenda_json(build_agenda(current, earlier))
    marks.append(time.perf_counter())
    Path(out).write_bytes(json_bytes(result))
    marks.append(time.perf_counter())
    phases = ("read T", "build the agenda (S's gaps worked out beside it)", "write JSON")
    return {**_timed_phases(phases, marks), "items": len(result["items"])}


def evaluate(store: str, out: str) -> dict:
    """As ``carecircle evaluate --store STORE --pilot Stedenwijk --out OUT`` does."""
    from carecircle.pair import stored_analyses
    from carecircle.synthetic import PILOT
    from graph.analysis.evaluation import evaluate as evaluate_pilot
    from graph.analysis.evaluation_words import evaluation_json
    from graph.analysis.report import json_bytes
    from graph.stores import open_store

    marks = [time.perf_counter()]
    with open_store(store) as source:
        days = [info.as_of for info in source.snapshots()]
    analyses = stored_analyses(store, None, days)
    marks.append(time.perf_counter())
    result = evaluation_json(evaluate_pilot(analyses, PILOT))
    marks.append(time.perf_counter())
    Path(out).write_bytes(json_bytes(result))
    marks.append(time.perf_counter())
    phases = ("read and analyse every snapshot (half beside)", "evaluate (bootstrap of 2,000)", "write JSON")
    return {**_timed_phases(phases, marks), "snapshots": len(analyses)}


def _timed_phases(phases: tuple[str, ...], marks: list[float]) -> dict:
    """Each phase's time between consecutive ``marks`` (one more than the phases), and the total."""
    return {
        "phases": {
            phase: ended - began for phase, began, ended in zip(phases, marks[:-1], marks[1:], strict=True)
        },
        "total": marks[-1] - marks[0],
    }


def dashboard(store: str, requests: str) -> dict:
    from benchmarks.dash_client import callback_body
    from dashboards import ids
    from dashboards.app import create_app

    count = int(requests)
    app = create_app(store)
    client = app.server.test_client()
    data = app.server.config["CARECIRCLE_SETTINGS"].data
    began = time.perf_counter()
    view = data.view()
    warm = time.perf_counter() - began
    as_of = view.as_of.isoformat()
    chooser = random.Random(1)
    residents = chooser.sample(sorted(view.residents), min(count, len(view.residents)))
    areas = [None, *view.neighbourhoods]

    def timed(output: str, inputs: dict) -> float:
        body = callback_body(app, output, inputs)
        started = time.perf_counter()
        response = client.post("/_dash-update-component", json=body)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed

    circle = [
        timed(ids.CIRCLE_CONTENT, {"circle-resident-id.data": r, "snapshot-select.value": as_of})
        for r in residents
    ]
    overview = [
        timed(ids.OVERVIEW_CONTENT, {"snapshot-select.value": as_of, "neighbourhood-select.value": a})
        for a in (areas * (count // len(areas) + 1))[:count]
    ]
    return {"warm_up": warm, "circle": _percentiles(circle), "overview": _percentiles(overview)}


def _percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "requests": len(ordered),
    }


def startup() -> dict:
    """Only start Python and import what ingest and analyze import: the fixed cost of each command."""
    import graph.analysis
    import graph.stores  # noqa: F401
    import ingest.pipeline  # noqa: F401

    return {}


TASKS = {
    "startup": startup,
    "baseline": baseline,
    "ingest": ingest,
    "analyze": analyze,
    "agenda": agenda,
    "evaluate": evaluate,
    "dashboard": dashboard,
}


#: what the carecircle command runs with its cycle collector paused (see carecircle.cli)
BATCH_TASKS = ("ingest", "analyze", "agenda")


def main(argv: list[str]) -> None:
    # matplotlib is installed for the benchmark's plot only, not with carecircle itself; igraph
    # imports it whenever it can (0.2 s), so a task would start slower than a user's command
    sys.modules["matplotlib"] = None
    from carecircle.collector import without_cycle_collection

    task, *arguments = argv
    if task in BATCH_TASKS:
        with without_cycle_collection(freeze_after=True):  # as the command does: the process ends
            result = TASKS[task](*arguments)
    else:
        result = TASKS[task](*arguments)
    # with the largest process the task started (the agenda works out S in a second process at the
    # same time): an upper bound of the memory the task held at once
    peaks = [resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    result["peak_memory_mib"] = sum(peaks) / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
