"""An ingest killed midway leaves the store exactly as it was (SPEC §4, §7)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date

import pytest

from carecircle.synthetic import generate_dataset
from graph.stores import SqliteStore


@pytest.mark.slow
def test_killing_an_ingest_midway_leaves_the_previous_snapshot_intact(tmp_path):
    data = tmp_path / "data"
    generate_dataset(data, residents=20_000, seed=11, as_of=date(2024, 6, 1))
    store = tmp_path / "store.db"
    environment = {**os.environ, "CARECIRCLE_SECRET": "atomicity"}
    command = [sys.executable, "-m", "carecircle", "ingest", str(data), "--store", str(store)]
    first = subprocess.run([*command, "--as-of", "2024-06-01"], env=environment, capture_output=True)
    assert first.returncode == 0, first.stderr
    with SqliteStore(store) as before:
        (info,) = before.snapshots()
    before_bytes_size = store.stat().st_size

    # a second snapshot; kill it as soon as it has started writing to the store
    journal = store.with_name(store.name + "-journal")
    process = subprocess.Popen([*command, "--as-of", "2024-09-01"], env=environment)
    deadline = time.monotonic() + 240
    while not journal.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    assert process.poll() is None, "the ingest finished before it could be killed"
    assert journal.exists()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    with SqliteStore(store) as after:
        assert after.snapshots() == [info]
        snapshot = after.load()
        assert snapshot.as_of == date(2024, 6, 1)
        assert len(snapshot.residents) == info.counts["residents"] == 20_000
    assert sqlite3.connect(store).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert store.stat().st_size == before_bytes_size
