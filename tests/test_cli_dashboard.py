"""``carecircle demo``, ``serve`` and ``users add`` on the command line, as a new user runs them."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboards.accounts import load_accounts
from graph.stores import SqliteStore


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(*args: str, cwd: Path, sigint: bool = False) -> subprocess.Popen:
    """Run ``carecircle ARGS`` as a shell's background job: SIGINT ignored, as it also is for the
    whole test run under some CI runners. With ``sigint`` as from a terminal, where Ctrl+C (SIGINT)
    interrupts it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARECIRCLE_USER")}
    return subprocess.Popen(
        [sys.executable, "-m", "carecircle", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible if sigint else _in_the_background,
    )


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Python then installs its KeyboardInterrupt


def _in_the_background() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited through exec: Ctrl+C cannot stop it


def wait_for_address(process: subprocess.Popen, seconds: float) -> tuple[str, float]:
    """The URL the command prints, and how long it took to print it."""
    began = time.monotonic()
    lines = []
    while time.monotonic() - began < seconds:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "http://" in line:
            return line.split("http://", 1)[1].split()[0].rstrip("/"), time.monotonic() - began
    process.kill()
    _, errors = process.communicate()
    raise AssertionError(f"no address printed: {lines} {errors}")


def stop(process: subprocess.Popen, signum: int = signal.SIGTERM) -> tuple[int, str]:
    """Stop the server as a service manager does (SIGTERM), or with ``signum``; return its exit
    status and what it wrote to stderr."""
    process.send_signal(signum)
    try:
        _, errors = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return process.returncode, errors


@pytest.mark.slow
def test_demo_generates_three_snapshots_and_serves_the_dashboard(tmp_path):
    port = free_port()
    process = start("demo", "--data", "demo", "--port", str(port), cwd=tmp_path)
    try:
        address, seconds = wait_for_address(process, 120)
        assert address == f"127.0.0.1:{port}"
        assert seconds < 60
        with urllib.request.urlopen(f"http://{address}/", timeout=30) as response:
            assert response.status == 200 and b"carecircle" in response.read()
        with urllib.request.urlopen(f"http://{address}/_dash-layout", timeout=30) as response:
            assert b"snapshot-select" in response.read()
    finally:
        status, errors = stop(process)
    assert status == 0 and "carecircle dashboard stopped" in errors and "Traceback" not in errors, errors
    with SqliteStore(tmp_path / "demo" / "carecircle.db") as store:
        assert [str(s.as_of) for s in store.snapshots()] == ["2023-12-01", "2024-03-01", "2024-06-01"]
    # the demo pseudonymises its synthetic BSNs with a key of its own, never the user's key file
    assert not Path(os.environ["CARECIRCLE_KEY_FILE"]).exists()


def test_demo_without_serving_prepares_the_data(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "carecircle",
            "--lang",
            "nl",
            "demo",
            "--data",
            "d",
            "--residents",
            "60",
            "--no-serve",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "voorbeeldgegevens: 60 bewoners, peildata 2023-12-01, 2024-03-01, 2024-06-01" in result.stdout
    assert sorted(p.name for p in (tmp_path / "d" / "datasets").iterdir()) == [
        "2023-12-01",
        "2024-03-01",
        "2024-06-01",
    ]


@pytest.mark.parametrize(
    ("signum", "sigint"),
    [(signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["ctrl-c", "sigterm-with-sigint-ignored"],
)
def test_serve_stops_cleanly_on_ctrl_c_and_on_sigterm(tmp_path, signum, sigint):
    port = free_port()
    empty = "empty.db"  # nothing to analyse: the server starts in seconds
    serve = ["serve", "--store", empty, "--port", str(port)]
    process = start("--lang", "nl", *serve, cwd=tmp_path, sigint=sigint)
    try:
        address, _ = wait_for_address(process, 60)
        with urllib.request.urlopen(f"http://{address}/", timeout=30) as response:
            assert response.status == 200
    finally:
        status, errors = stop(process, signum)
    assert status == 0
    assert errors.strip().splitlines()[-1] == "carecircle-dashboard gestopt"
    assert "Traceback" not in errors and "thread(s) still running" not in errors
    with socket.socket() as again:  # the server closed its socket: the port is free
        again.bind(("127.0.0.1", port))


def test_sigterm_while_the_demo_generates_stops_it_as_ctrl_c_does(tmp_path):
    # the signal arrives in the middle of generating: sent by the process itself, at that moment
    run_demo = (
        "import os, signal, sys\n"
        "import carecircle.synthetic\n"
        "carecircle.synthetic.generate_series = lambda *a, **k: os.kill(os.getpid(), signal.SIGTERM)\n"
        "from carecircle.cli import main\n"
        "sys.argv = ['carecircle', 'demo', '--data', 'demo', '--no-serve']\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", run_demo], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 143  # the shell's status of a command ended by SIGTERM: 128 + 15
    assert result.stderr.strip().splitlines()[-1] == "aborted" and "Traceback" not in result.stderr


def test_demo_on_a_taken_port_stops_before_it_generates_anything(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "carecircle", "demo", "--data", "demo", "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no datasets, no store


def test_serve_reports_a_port_in_use_in_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "carecircle", "serve", "--store", "x.db", "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # checked before anything else: no audit log, no store


def test_users_add_on_the_command_line(tmp_path):
    def add(*args):
        return subprocess.run(
            [sys.executable, "-m", "carecircle", "users", "add", *args, "--users", "users.toml"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert add("anna", "--role", "team", "--password", "short").returncode == 2
    done = add("anna", "--role", "team", "--password", "a sufficiently long one")
    assert done.returncode == 0 and "anna (team)" in done.stdout
    assert "a sufficiently long one" not in (tmp_path / "users.toml").read_text()
    accounts = load_accounts(tmp_path / "users.toml", environ={})
    assert accounts["anna"].role == "team"
    bad = add("Anna Smith", "--role", "team", "--password", "a sufficiently long one")
    assert bad.returncode == 2 and "may hold only lower-case letters" in bad.stderr
