"""The store's own troubles as an operator meets them (SPEC §4): a damaged, locked, read-only or full
store, a report that cannot be written, two ingests at once; each through the real carecircle command."""

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from carecircle.synthetic import generate_dataset
from graph.errors import CarecircleError
from graph.stores import SqliteStore
from tests.datasets import ingest, run_cli, write_dataset

#: root ignores file modes; without these capabilities it is bound by them like any user
_BOUND_BY_FILE_MODES = (
    ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner") if os.geteuid() == 0 else ()
)
_ENVIRONMENT = {"CARECIRCLE_SECRET": "cli-test-secret"}
_UTC_TIME = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"


def run_bound_by_file_modes(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``carecircle ARGS`` as a user whom read-only files and folders stop (also when the tests
    run as root: then as root without the capabilities that override file modes)."""
    return subprocess.run(
        [*_BOUND_BY_FILE_MODES, sys.executable, "-m", "carecircle", *args],
        cwd=cwd,
        env={**os.environ, **_ENVIRONMENT},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_with_a_small_disk(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the shell ``script`` (with ``args`` as $1, $2, ...) in a private mount namespace, where it
    may mount a tiny tmpfs; ``$PYTHON -m carecircle`` is the command."""
    return subprocess.run(
        ["unshare", "-Urm", "sh", "-c", script, "sh", *args],
        cwd=cwd,
        env={**os.environ, **_ENVIRONMENT, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def municipality(tmp_path_factory) -> Path:
    """A synthetic dataset of 2,000 residents (a store of about 2 MB), snapshot 2024-06-01."""
    folder = tmp_path_factory.mktemp("faults") / "municipality"
    generate_dataset(folder, residents=2000, seed=4, as_of=date(2024, 6, 1))
    return folder


@pytest.fixture
def store(tmp_path) -> Path:
    """A store in its own folder holding the snapshot of 2017-06-01 (the small test dataset)."""
    path = tmp_path / "stores" / "store.db"
    with SqliteStore(path) as target:
        target.save(ingest(write_dataset(tmp_path / "june")).snapshot, {"files": {}})
    return path


@pytest.fixture
def july(tmp_path) -> Path:
    """The small test dataset as the snapshot of 2017-07-01."""
    return write_dataset(tmp_path / "july", {"dataset.toml": 'name = "July"\nas_of = 2017-07-01\n'})


def stored_dates(path: Path) -> list[str]:
    with SqliteStore(path) as target:
        return [info.as_of.isoformat() for info in target.snapshots()]


def corrupt_a_page_in_the_middle(path: Path) -> None:
    pages = path.stat().st_size // 4096  # SQLite's default page size
    with path.open("r+b") as handle:
        handle.seek(pages // 2 * 4096)
        handle.write(b"\xff" * 4096)


# --- damaged -------------------------------------------------------------------------------------


def test_a_damaged_store_is_refused_by_ingest_analyze_and_export_and_left_as_it_was(tmp_path, municipality):
    store = tmp_path / "store.db"
    with SqliteStore(store) as target:
        target.save(ingest(municipality).snapshot, {"files": {}})
    corrupt_a_page_in_the_middle(store)
    before = store.read_bytes()

    ingested = run_cli(
        "ingest", str(municipality), "--store", str(store), "--as-of", "2024-09-01", cwd=tmp_path
    )
    assert ingested.returncode == 2, ingested.stderr
    assert re.fullmatch(
        rf"error: the store {re.escape(str(store))} is damaged \(quick_check: Page \d+: [^\n]+\):"
        r" restore it from a backup; nothing was written\n",
        ingested.stderr,
    ), ingested.stderr
    assert "stored in" not in ingested.stdout
    assert store.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["store.db"]  # no journal, no report

    for command in (
        ["analyze", "--store", "store.db"],
        ["export", "--store", "store.db", "--format", "csv", "out"],
    ):
        result = run_cli(*command, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"error: the store {Path('store.db')} is damaged (quick_check: Page ")
        assert "Traceback" not in result.stderr
    dutch = run_cli("--lang", "nl", "analyze", "--store", "store.db", cwd=tmp_path)
    assert dutch.returncode == 2
    assert dutch.stderr.startswith("fout: de opslag store.db is beschadigd (quick_check: Page ")
    assert dutch.stderr.rstrip().endswith("zet een reservekopie terug")  # analyze writes nothing anyway
    assert store.read_bytes() == before


# --- locked --------------------------------------------------------------------------------------


def test_a_store_another_program_writes_to_is_reported_locked_after_the_busy_timeout(tmp_path, store, july):
    quick = {"CARECIRCLE_BUSY_TIMEOUT": "0.5"}
    other_writer = sqlite3.connect(store, isolation_level=None)
    try:
        other_writer.execute("BEGIN IMMEDIATE")  # what another ingest holds while it writes
        ingested = run_cli("ingest", str(july), "--store", str(store), cwd=tmp_path, env=quick)
        reading_meanwhile = run_cli("analyze", "--store", str(store), cwd=tmp_path, env=quick)
        other_writer.execute("ROLLBACK")
        other_writer.execute("BEGIN EXCLUSIVE")  # what a writer holds while it commits
        reading_blocked = run_cli("analyze", "--store", str(store), cwd=tmp_path, env=quick)
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()

    assert ingested.returncode == 2
    assert ingested.stderr == (
        f"error: the store {store} is locked: another program (another carecircle ingest?) has been"
        " writing to it for 0.5 s; wait until it has finished and try again; nothing was written\n"
    )
    assert "stored in" not in ingested.stdout
    assert reading_meanwhile.returncode == 0, (
        reading_meanwhile.stderr
    )  # a writer's reservation holds no reader
    assert reading_blocked.returncode == 2
    assert reading_blocked.stderr.startswith(f"error: the store {store} is locked")
    assert stored_dates(store) == ["2017-06-01"]
    assert not (store.parent / "ingest-report-2017-07-01.json").exists()


# --- read-only -----------------------------------------------------------------------------------


@pytest.mark.parametrize("read_only", ["file", "folder", "folder of a new store"])
def test_a_read_only_store_or_folder_exits_2_and_leaves_the_store_as_it_was(tmp_path, store, july, read_only):
    folder = store.parent
    target = folder / "new.db" if read_only == "folder of a new store" else store
    before = store.read_bytes()
    if read_only == "file":
        store.chmod(0o444)
    else:
        folder.chmod(0o555)
    try:
        result = run_bound_by_file_modes("ingest", str(july), "--store", str(target), cwd=tmp_path)
    finally:
        folder.chmod(0o755)
        store.chmod(0o644)

    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"error: cannot write the store {target}: the file or its folder is read-only; make both writable"
        " for this user, or choose another store with --store; nothing was written\n"
    )
    assert store.read_bytes() == before
    assert sorted(path.name for path in folder.iterdir()) == ["store.db"]  # no new store, journal or report


# --- full disk -----------------------------------------------------------------------------------


def test_a_full_disk_under_the_store_exits_2_and_leaves_the_store_as_it_was(tmp_path, store, municipality):
    disk = tmp_path / "disk"
    disk.mkdir()
    room = store.stat().st_size + 64 * 1024  # the store fits; a snapshot of 2,000 residents does not
    script = """
        mount -t tmpfs -o size="$1" tmpfs "$2" && cp "$3" "$2/store.db" || exit 99
        "$PYTHON" -m carecircle ingest "$4" --store "$2/store.db" --report "$5"
        echo "exit status $?"
        cmp "$3" "$2/store.db" && echo "same bytes"
        ls -A "$2"
    """
    result = run_with_a_small_disk(
        script, str(room), str(disk), str(store), str(municipality), str(tmp_path / "r.json"), cwd=tmp_path
    )

    assert result.stdout.splitlines() == ["exit status 2", "same bytes", "store.db"], (
        result.stdout + result.stderr
    )
    assert result.stderr == (
        f"error: the disk holding {disk / 'store.db'} is full; free space and try again;"
        " nothing was written\n"
    )
    assert not (tmp_path / "r.json").exists()


def test_a_full_disk_under_the_report_means_the_snapshot_is_not_stored(tmp_path, store, july):
    disk = tmp_path / "disk"
    disk.mkdir()
    before = store.read_bytes()
    script = """
        mount -t tmpfs -o size=4k tmpfs "$1" || exit 99
        head -c 65536 /dev/zero > "$1/filler" 2>/dev/null
        "$PYTHON" -m carecircle ingest "$2" --store "$3" --report "$1/report.json"
        echo "exit status $?"
        ls -A "$1"
    """
    result = run_with_a_small_disk(script, str(disk), str(july), str(store), cwd=tmp_path)

    assert result.stdout.splitlines() == ["exit status 2", "filler"], result.stdout + result.stderr
    assert result.stderr == (
        f"error: cannot write the report {disk / 'report.json'} (the disk is full); nothing was written;"
        " choose another place with --report\n"
    )
    assert stored_dates(store) == ["2017-06-01"]
    assert store.read_bytes() == before


# --- the report and the snapshot: both or neither ---------------------------------------------------


def test_a_read_only_report_folder_means_the_snapshot_is_not_stored(tmp_path, store, july):
    reports = tmp_path / "reports"
    reports.mkdir(mode=0o555)
    before = store.read_bytes()
    try:
        result = run_bound_by_file_modes(
            "ingest", str(july), "--store", str(store), "--report", str(reports / "july.json"), cwd=tmp_path
        )
    finally:
        reports.chmod(0o755)

    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"error: cannot write the report {reports / 'july.json'} (no permission to write there);"
        " nothing was written; choose another place with --report\n"
    )
    assert stored_dates(store) == ["2017-06-01"]
    assert store.read_bytes() == before
    assert list(reports.iterdir()) == []


def test_a_folder_in_the_way_of_the_report_means_the_snapshot_is_not_stored(tmp_path, store, july):
    (store.parent / "ingest-report-2017-07-01.json").mkdir()
    result = run_cli("--lang", "nl", "ingest", str(july), "--store", str(store), cwd=tmp_path)

    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"fout: kan het rapport {store.parent / 'ingest-report-2017-07-01.json'} niet schrijven"
        " (er staat een map met die naam); er is niets opgeslagen; kies een andere plek met --report\n"
    )
    assert stored_dates(store) == ["2017-06-01"]


def test_a_report_that_cannot_be_put_in_place_after_the_commit_says_the_snapshot_was_stored(
    tmp_path, store, july, monkeypatch
):
    from carecircle import cli

    def refuse(source, target):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setenv("CARECIRCLE_SECRET", "cli-test-secret")
    monkeypatch.setattr(cli.os, "replace", refuse)
    with pytest.raises(CarecircleError) as raised:
        cli.cli.main(["ingest", str(july), "--store", str(store)], standalone_mode=False, obj={})
    monkeypatch.undo()

    destination = store.parent / "ingest-report-2017-07-01.json"
    [temporary] = [path for path in store.parent.iterdir() if path.name.endswith(".tmp")]
    assert str(raised.value) == (
        f"the snapshot of 2017-07-01 WAS stored in {store}, but its report could not be put at {destination}"
        f" (no permission to write there); the report is in {temporary}, and stored with the snapshot"
    )
    assert stored_dates(store) == ["2017-06-01", "2017-07-01"]
    with SqliteStore(store) as target:
        assert json.loads(temporary.read_text()) == target.report(date(2017, 7, 1))
    assert not destination.exists()


# --- two ingests of one date at once ---------------------------------------------------------------


def test_two_ingests_of_one_date_at_once_wait_for_each_other_and_the_second_says_what_it_replaced(
    tmp_path, store
):
    datasets = {
        name: write_dataset(tmp_path / name, {"dataset.toml": f'name = "{name}"\nas_of = 2017-08-01\n'})
        for name in ("Noord", "Zuid")
    }
    ingest_command = (sys.executable, "-m", "carecircle", "ingest")
    other_writer = sqlite3.connect(store, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")  # both ingests reach the store while it is busy
    try:
        processes = {
            name: subprocess.Popen(
                [
                    *ingest_command,
                    str(folder),
                    "--store",
                    str(store),
                    "--report",
                    str(tmp_path / f"{name}.json"),
                ],
                cwd=tmp_path,
                env={**os.environ, **_ENVIRONMENT, "CARECIRCLE_BUSY_TIMEOUT": "300"},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name, folder in datasets.items()
        }
        _wait_until_both_have_opened(store, processes.values())
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()
    outputs = {name: process.communicate(timeout=300) for name, process in processes.items()}

    assert {name: process.returncode for name, process in processes.items()} == {"Noord": 0, "Zuid": 0}, (
        outputs
    )
    with SqliteStore(store) as target:
        [june, kept] = target.snapshots()
        stored_report = target.report(date(2017, 8, 1))
    first, second = sorted(datasets, key=lambda name: name == kept.name)
    assert (june.as_of, kept.as_of) == (date(2017, 6, 1), date(2017, 8, 1))
    assert "replaced" not in outputs[first][0]
    assert re.search(
        rf"^replaced the snapshot of 2017-08-01 ingested at {_UTC_TIME} \(dataset {first}\)$",
        outputs[second][0],
        re.MULTILINE,
    ), outputs[second][0]
    reports = {name: json.loads((tmp_path / f"{name}.json").read_text()) for name in datasets}
    assert "replaced" not in reports[first]
    assert reports[second]["replaced"]["as_of"] == "2017-08-01"
    assert reports[second]["replaced"]["dataset"] == first
    assert stored_report == reports[second]


def _wait_until_both_have_opened(store: Path, processes) -> None:
    """Wait until every process has the store file open (so it is in its save, waiting for the lock)."""

    def has_open(process) -> bool:
        for descriptor in Path(f"/proc/{process.pid}/fd").iterdir():
            try:
                if os.readlink(descriptor) == str(store):
                    return True
            except OSError:
                continue
        return False

    deadline = time.monotonic() + 300
    waiting = list(processes)
    while waiting and time.monotonic() < deadline:
        assert all(process.poll() is None for process in processes), (
            "an ingest ended before it reached the store"
        )
        waiting = [process for process in waiting if not has_open(process)]
        time.sleep(0.01)
    assert not waiting, "the ingests did not reach the store"


# --- serve -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("a folder in the way", "a folder of that name is in the way"),
        ("a read-only folder", "no permission to write there"),
        ("a missing folder in a read-only one", "no permission to write there"),
    ],
)
def test_serve_that_cannot_write_its_audit_log_exits_2_naming_it(tmp_path, case, reason):
    from benchmarks.bolt_server import free_port

    logs = tmp_path / "logs"
    logs.mkdir()
    options = {
        "a folder in the way": [],  # the default: carecircle-audit.log beside the store
        "a read-only folder": ["--audit-log", str(logs / "audit.log")],
        "a missing folder in a read-only one": ["--audit-log", str(logs / "new" / "audit.log")],
    }[case]
    audit_log = Path(options[-1]) if options else logs / "carecircle-audit.log"
    if options:
        logs.chmod(0o555)
    else:
        audit_log.mkdir()
    try:
        result = run_bound_by_file_modes(
            "serve",
            "--store",
            str(logs / "store.db"),
            "--port",
            str(free_port()),
            *options,
            cwd=tmp_path,
            timeout=120,
        )
    finally:
        logs.chmod(0o755)

    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"error: cannot write the audit log {audit_log} ({reason}); choose another with --audit-log\n"
    )


def test_an_unusable_busy_timeout_setting_is_a_one_line_error(tmp_path, store):
    result = run_cli("analyze", "--store", str(store), cwd=tmp_path, env={"CARECIRCLE_BUSY_TIMEOUT": "soon"})
    assert result.returncode == 2
    assert result.stderr == (
        "error: CARECIRCLE_BUSY_TIMEOUT must be a number of seconds of 0 or more, found 'soon'\n"
    )
