"""A real Bolt server for the tests: ArcadeDB with its Bolt plugin, from the arcadedb-embedded wheel.

Run as a script it *is* the server (ArcadeDB's JVM runs inside this Python process):
``python benchmarks/bolt_server.py ROOT PASSWORD BOLT_PORT HTTP_PORT``. Imported, :class:`BoltServer`
starts that script in a subprocess on 127.0.0.1, waits until it answers, creates databases
through ArcadeDB's HTTP server API, and stops (or kills) it.

What we learnt about ArcadeDB 26.10 here, and rely on:
- SIGTERM must reach a Python handler installed before the JVM starts; without one the
  process crashes on the way out and leaves its databases unclosed.
- Logs go to the working directory: the server runs inside its root folder and writes to a
  file, never to a pipe (a full pipe would block it).
- ``host`` must be set to 127.0.0.1 for every listener to bind there; the heap is capped.
- Databases are created with ``POST /api/v1/server {"command": "create database NAME"}``;
  Cypher's ``CREATE DATABASE`` is not supported.
"""

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"


def serve(root: str, password: str, bolt_port: int, http_port: int) -> None:
    """Run ArcadeDB until SIGTERM or SIGINT, then stop it cleanly."""
    os.makedirs(root, exist_ok=True)
    os.chdir(root)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    import arcadedb_embedded

    server = arcadedb_embedded.ArcadeDBServer(
        root_path=root,
        root_password=password,
        config={
            "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "bolt_port": bolt_port,
            "http_port": http_port,
            "host": HOST,
        },
        jvm_kwargs={"heap_size": os.environ.get("CARECIRCLE_TEST_BOLT_HEAP", "768m")},
    )
    server.start()
    print("\nBOLT SERVER READY", flush=True)
    while not stopping.wait(0.2):
        pass
    server.stop()


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class BoltServer:
    """An ArcadeDB Bolt server in a subprocess, with a fresh root folder and password."""

    def __init__(self, root: Path, password: str = "carecircle-test-password") -> None:
        self.root = Path(root)
        self.password = password
        self.process: subprocess.Popen | None = None
        self.bolt_port = self.http_port = 0

    @property
    def uri(self) -> str:
        """The Bolt address of the running server."""
        return f"bolt://{HOST}:{self.bolt_port}"

    def start(self, timeout: float = 120) -> "BoltServer":
        """Start on free ports (again on the same root after :meth:`kill`) and wait until it answers."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.bolt_port, self.http_port = free_port(), free_port()
        log = (self.root / "server.log").open("a", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                sys.executable,
                __file__,
                str(self.root),
                self.password,
                str(self.bolt_port),
                str(self.http_port),
            ],
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Bolt test server stopped: see {self.root / 'server.log'}")
            if self._ready():
                return self
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(
            f"the Bolt test server did not start in {timeout} s: see {self.root / 'server.log'}"
        )

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{self.http_port}/api/v1/ready", timeout=1):
                pass
            with socket.create_connection((HOST, self.bolt_port), timeout=1):
                return True
        except OSError:
            return False

    def create_database(self, name: str) -> str:
        """Create database ``name`` through the server API; return the name."""
        credentials = base64.b64encode(f"root:{self.password}".encode()).decode()
        request = urllib.request.Request(
            f"http://{HOST}:{self.http_port}/api/v1/server",
            data=json.dumps({"command": f"create database {name}"}).encode(),
            headers={"Authorization": f"Basic {credentials}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert json.loads(response.read())["result"] == "ok"
        return name

    def stop(self) -> None:
        """Stop the server cleanly (SIGTERM), or kill it if it does not stop."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """Kill the server at once, as a crash or a power cut would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=60)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
