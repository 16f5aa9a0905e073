"""The dashboard under load: ``python -m benchmarks.load`` (``make load``).

It makes the demo's store (three snapshots three months apart, by ``carecircle demo
--no-serve``) at a given size, starts the real server (``carecircle serve``) in a subprocess on
a free port of 127.0.0.1, and lets ``--clients`` threads replay the callbacks a browser sends —
the neighbourhood list, the overview, the residents grid, a resident's circle, finding each
other, the trends and the data quality — each user moving between the three snapshots at
random, for ``--seconds``. The request bodies are built from the server's own
``/_dash-dependencies``, as the browser builds them.

It prints, and writes as JSON with ``--out``: requests per second, latency (p50, p95 and max,
measured by the clients, per callback too), errors (answers other than 2xx, and requests that
failed), the waitress "Task queue depth" warnings and the tracebacks in the server's log, and
the server's peak memory.

``--code DIR`` makes the store and runs the server from another checkout (with this
environment's packages), to compare with the code before a change::

    git archive fdb6b07 | tar -x -C /tmp/before
    python -m benchmarks.load --residents 2000 --code /tmp/before
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from benchmarks.dash_client import callback_body
from dashboards import ids
from dashboards.paging import BLOCK, MAX_BLOCK

ROOT = Path(__file__).resolve().parent.parent
#: what the server writes to its log when requests wait for a free thread, and when a request failed
QUEUE_WARNING = "Task queue depth"
TRACEBACK = "Traceback (most recent call last)"
READY = "carecircle dashboard: "
#: the callbacks one user's visit replays, by the component each one fills (in a browser's order)
VISIT = (
    ids.AREA,
    ids.OVERVIEW_CONTENT,
    ids.RESIDENTS_GRID,
    ids.CIRCLE_CONTENT,
    ids.COLLAB_CONTENT,
    ids.COLLAB_COMPARISON,
    ids.TRENDS_CONTENT,
    ids.QUALITY_CONTENT,
)
#: how long one request may take before it counts as failed
REQUEST_TIMEOUT = 300.0


@dataclass
class Sample:
    """One request: which callback, when it ended (seconds since the run began), how long it took,
    and what went wrong (None when it answered 2xx)."""

    callback: str
    ended: float
    seconds: float
    error: str | None = None


@dataclass
class Replay:
    """What the clients need to act like browsers: the callbacks, the snapshots, residents, areas."""

    callbacks: dict[str, dict]
    snapshots: list[str]
    residents: list[str]
    neighbourhoods: list[str]
    pilot: str | None

    def body(
        self, output: str, snapshot: str, area: str | None, resident: str, rows: tuple[int, int] = (0, BLOCK)
    ) -> dict:
        """The JSON a browser posts for the callback that fills ``output`` (the residents grid asks
        for the ``rows`` from, to, most gaps first, as it does when it opens)."""
        values = {
            f"{ids.SNAPSHOT}.value": snapshot,
            f"{ids.AREA}.value": area,
            f"{ids.CIRCLE_RESIDENT}.data": resident,
            f"{ids.TRENDS_PILOT}.value": self.pilot,
            f"{ids.RESIDENTS_GRID}.getRowsRequest": {
                "startRow": rows[0],
                "endRow": rows[1],
                "sortModel": [{"colId": "gap_count", "sort": "desc"}],
                "filterModel": {},
            },
        }
        return callback_body(SimpleNamespace(callback_map=self.callbacks), output, values)


@dataclass
class Server:
    """A running ``carecircle serve`` subprocess and its log."""

    process: subprocess.Popen
    url: str
    log: Path
    peak_memory_mib: float | None = field(default=None)

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])


def run(
    residents: int, clients: int, seconds: float, work: Path, code: Path | None = None, seed: int = 1
) -> dict:
    """Make the store (unless ``work`` holds it), serve it, load it; return the measurements."""
    store = make_store(residents, work, code)
    server = start_server(store, work, code)
    try:
        replay = prepare(server)
        samples, elapsed = load(server, replay, clients, seconds, seed)
        server.peak_memory_mib = _peak_memory_mib(server.process.pid)
    finally:
        stop_server(server)
    log = server.log.read_text(encoding="utf-8", errors="replace")
    return summarise(samples, elapsed) | {
        "residents": residents,
        "clients": clients,
        "seconds": seconds,
        "code": str(code or ROOT),
        "snapshots": replay.snapshots,
        "queue_warnings": log.count(QUEUE_WARNING),
        "tracebacks": log.count(TRACEBACK),
        "server_peak_memory_mib": server.peak_memory_mib,
    }


def make_store(residents: int, work: Path, code: Path | None) -> Path:
    """The demo's store of ``residents`` residents in ``work`` (made by ``code``'s demo when missing)."""
    folder = work / f"n{residents}"
    store = folder / "carecircle.db"
    if not store.exists():
        demo = ["demo", "--no-serve", "--data", str(folder), "--residents", str(residents)]
        subprocess.run(
            [sys.executable, "-m", "carecircle", *demo],
            cwd=work,
            env=_environment(code),
            check=True,
            capture_output=True,
        )
    return store


def start_server(store: Path, work: Path, code: Path | None, timeout: float = 120.0) -> Server:
    """Start ``carecircle serve`` on a free port of 127.0.0.1 and wait until it says it is ready."""
    log = work / f"serve-{os.getpid()}-{time.monotonic_ns()}.log"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "carecircle", "serve", "--store", str(store), "--port", str(port)]
    command += ["--audit-log", str(work / "audit.log")]
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(
            command,
            cwd=work,
            env=_environment(code),
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if READY in text:
            url = text.split(READY, 1)[1].split()[0]
            return Server(process, url, log)
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped before it was ready:\n{text[-2000:]}")
        process_wait(process, 0.1)
    process.kill()
    raise RuntimeError(f"the server was not ready within {timeout:.0f} s")


def process_wait(process: subprocess.Popen, seconds: float) -> None:
    """Wait up to ``seconds`` for ``process`` to end (a pause between looks at its log)."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=seconds)


def stop_server(server: Server) -> None:
    """Stop the server with SIGTERM, as a service manager does (also when this run ignores SIGINT, as a
    shell's background job does); kill it when it does not end within 30 seconds."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def prepare(server: Server) -> Replay:
    """Read what a browser reads first: the callbacks, the snapshot select, and (from the residents
    grid of the newest snapshot) resident ids and neighbourhoods."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
    try:
        dependencies = _get_json(connection, "/_dash-dependencies")
        callbacks = {dependency["output"]: dependency for dependency in dependencies}
        snapshots = [option["value"] for option in _snapshot_options(_get_json(connection, "/_dash-layout"))]
        if not snapshots:
            raise RuntimeError("the server shows no snapshot")
        replay = Replay(callbacks, snapshots, [], [], None)
        rows = _every_grid_row(connection, replay, snapshots[0])
    finally:
        connection.close()
    replay.residents = sorted(row["resident_id"] for row in rows)
    replay.neighbourhoods = sorted({row["neighbourhood"] for row in rows})
    replay.pilot = "Stedenwijk" if "Stedenwijk" in replay.neighbourhoods else replay.neighbourhoods[0]
    return replay


def load(
    server: Server, replay: Replay, clients: int, seconds: float, seed: int = 1
) -> tuple[list[Sample], float]:
    """``clients`` users, each replaying visits to a random snapshot until ``seconds`` have passed
    (the visit under way then is finished).

    Returns every request's :class:`Sample` and the time from the start to the last answer.
    """
    samples: list[Sample] = []
    began = time.perf_counter()
    deadline = began + seconds

    def user(number: int) -> None:
        chooser = random.Random(seed * 1000 + number)
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
        mine = []
        try:
            while time.perf_counter() < deadline:
                snapshot = chooser.choice(replay.snapshots)
                area = chooser.choice([None, *replay.neighbourhoods])
                resident = chooser.choice(replay.residents)
                for output in VISIT:  # a visit once begun is finished
                    body = replay.body(output, snapshot, area, resident)
                    started = time.perf_counter()
                    try:
                        status, _ = _post(connection, body)
                        error = None if 200 <= status < 300 else f"HTTP {status}"
                    except (OSError, http.client.HTTPException) as failure:
                        error = type(failure).__name__
                        connection.close()  # the next request opens a new connection
                    ended = time.perf_counter()
                    mine.append(Sample(output, ended - began, ended - started, error))
        finally:
            connection.close()
            samples.extend(mine)

    threads = [threading.Thread(target=user, args=(n,), name=f"user-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = max((s.ended for s in samples), default=time.perf_counter() - began)
    return samples, elapsed


def summarise(samples: list[Sample], elapsed: float) -> dict:
    """Requests per second, latency percentiles and errors, overall and per callback."""
    by_callback: dict[str, list[Sample]] = {}
    for sample in samples:
        by_callback.setdefault(sample.callback, []).append(sample)
    later = [s for s in samples if s.ended >= elapsed / 2]
    return {
        "requests": len(samples),
        "elapsed": elapsed,
        "per_second": len(samples) / elapsed if elapsed else 0.0,
        **_latency(samples),
        "errors": sum(1 for s in samples if s.error),
        "error_kinds": sorted({s.error for s in samples if s.error}),
        "callbacks": {name: _latency(group) for name, group in sorted(by_callback.items())},
        # once the first analyses are done: the requests that ended in the second half of the run
        "second_half": {"per_second": 2 * len(later) / elapsed if elapsed else 0.0, **_latency(later)},
    }


def _latency(samples: list[Sample]) -> dict:
    times = sorted(s.seconds for s in samples)
    if not times:
        return {"count": 0, "p50": None, "p95": None, "max": None}
    return {
        "count": len(times),
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "max": times[-1],
    }


def line(result: dict) -> str:
    """One line for a person: the figures of a run."""
    return (
        f"{result['residents']:,} residents, {result['clients']} clients, {result['seconds']:.0f} s: "
        f"{result['per_second']:.1f} req/s, p50 {_ms(result['p50'])}, p95 {_ms(result['p95'])}, "
        f"max {_ms(result['max'])} (second half: {result['second_half']['per_second']:.1f} req/s, "
        f"p95 {_ms(result['second_half']['p95'])}), {result['errors']} errors, "
        f"{result['queue_warnings']} queue warnings, {result['tracebacks']} tracebacks, "
        f"server peak {result['server_peak_memory_mib'] or 0:,.0f} MiB"
    )


def _ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{1000 * seconds:,.0f} ms"


def _environment(code: Path | None) -> dict[str, str]:
    environment = {**os.environ, "PYTHONHASHSEED": "0", "CARECIRCLE_LANG": "en"}
    if code is not None:
        environment["PYTHONPATH"] = str(Path(code).resolve())
    return environment


def _get_json(connection: http.client.HTTPConnection, path: str):
    connection.request("GET", path)
    response = connection.getresponse()
    payload = response.read()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return json.loads(payload)


def _every_grid_row(connection: http.client.HTTPConnection, replay: Replay, snapshot: str) -> list[dict]:
    """Every row of the residents grid of ``snapshot``, asked for a block at a time (the grid pages
    on the server), as a browser scrolling to its end gets them."""
    rows: list[dict] = []
    while True:
        body = replay.body(ids.RESIDENTS_GRID, snapshot, None, "", (len(rows), len(rows) + MAX_BLOCK))
        status, payload = _post(connection, body)
        if status != 200:
            raise RuntimeError(f"the residents grid answered {status}")
        block = json.loads(payload)["response"][ids.RESIDENTS_GRID]["getRowsResponse"]
        rows += block["rowData"]
        if not block["rowData"] or len(rows) >= block["rowCount"]:
            return rows


def _post(connection: http.client.HTTPConnection, body: dict) -> tuple[int, bytes]:
    connection.request(
        "POST",
        "/_dash-update-component",
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    response = connection.getresponse()
    return response.status, response.read()


def _snapshot_options(layout) -> list[dict]:
    """The options of the header's snapshot select, found in the page layout's JSON."""
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == ids.SNAPSHOT:
                return node["props"].get("data") or []
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return []


def _peak_memory_mib(pid: int) -> float | None:
    """A process's peak resident memory (Linux ``VmHWM``), or None where that cannot be read."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for entry in status.splitlines():
        if entry.startswith("VmHWM:"):
            return int(entry.split()[1]) / 1024
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=2000, help="residents per snapshot (demo: 2000)")
    parser.add_argument("--clients", type=int, default=20, help="users replaying callbacks at once")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the users keep going")
    parser.add_argument(
        "--work", type=Path, help="folder for the store and logs (kept; a store there is reused)"
    )
    parser.add_argument("--code", type=Path, help="run store and server from this checkout instead")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="carecircle-load-") as scratch:
        work = options.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        result = run(options.residents, options.clients, options.seconds, work, options.code)
    print(line(result), flush=True)
    if options.out is not None:
        options.out.parent.mkdir(parents=True, exist_ok=True)
        options.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
