"""Write small datasets for tests: CSV folders in any encoding or separator, and xlsx workbooks."""

import os
import resource
import subprocess
import sys
from pathlib import Path

from ingest.pipeline import IngestResult, ingest_dataset
from ingest.pseudonym import Pseudonymiser

TEST_KEY = Pseudonymiser(b"test-secret")

#: A small valid dataset in canonical form: every file, every column.
BASE = {
    "organisations.csv": (
        "organisation_id,name,type\nORG1,Zorggroep Almere,provider\nORG2,Thuishulp,main_provider\n"
    ),
    "helpers.csv": (
        "helper_id,role,name,organisation_id,relation\n"
        "H1,district_nurse,Anna,ORG1,\n"
        "H2,household_help,Bea,ORG2,\n"
        "H3,informal_caregiver,Carla,,child\n"
        "H4,volunteer,Dirk,,\n"
    ),
    "residents.csv": (
        "resident_id,neighbourhood,name,bsn,birth_year,lives_alone,needs\n"
        "R1,Stedenwijk,Mevrouw Piqué,111222333,1933,true,household|nursing\n"
        "R2,Filmwijk,Meneer Jansen,,1940,false,\n"
    ),
    "support.csv": (
        "helper_id,resident_id,domains,hours_per_week,start_date,end_date,funding,delegated_by\n"
        "H1,R1,nursing,2.5,2017-01-01,,zvw,\n"
        "H2,R1,household,3,2017-01-01,2018-01-01,wmo,\n"
        "H3,R1,meals|social_contact,10,,,informal,\n"
        "H4,R2,administration,1.5,,,informal,H1\n"
    ),
    "awareness.csv": (
        "helper_id,about_helper_id,resident_id,level,last_contact,contact_every_days,observed_on\n"
        "H1,H2,R1,aware,,,2017-05-01\n"
        "H3,H1,R1,coordinating,2017-05-20,14,2017-05-01\n"
    ),
    "dataset.toml": 'name = "Test"\nas_of = 2017-06-01\n',
}


def write_dataset(folder: Path, changes: dict[str, str | bytes | None] | None = None) -> Path:
    """Write BASE with ``changes`` (file name -> text, bytes, or None to leave the file out)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {**BASE, **(changes or {})}
    for name, content in files.items():
        if content is None:
            continue
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def ingest(folder: Path, **options) -> IngestResult:
    """Ingest with the test key."""
    return ingest_dataset(folder, pseudonymiser=TEST_KEY, **options)


def stored_series(folder: Path, residents: int, seed: int) -> Path:
    """Generate the demo's three snapshots (the pilot improving) into ``folder``/datasets and
    store them in ``folder``/store.db; return ``folder``."""
    from carecircle.synthetic import generate_series
    from graph.stores import SqliteStore

    with SqliteStore(folder / "store.db") as store:
        for dataset in generate_series(folder / "datasets", residents=residents, seed=seed):
            store.save(ingest(dataset.path).snapshot, {})
    return folder


def problems(result: IngestResult, kind: str = "rejected") -> list[tuple]:
    """(file, line, column, code) of every rejection (or warning)."""
    return [(p.file, p.line, p.column, p.code) for p in getattr(result.report, kind)]


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write an .xlsx workbook: sheet name -> rows of native values (dates, numbers, booleans)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def run_cli(
    *args: str, cwd: Path, env: dict | None = None, memory_bytes: int | None = None
) -> subprocess.CompletedProcess:
    """Run ``carecircle ARGS`` as a user would, in ``cwd``, with a test pseudonymisation key.

    ``memory_bytes`` caps the process's address space (``RLIMIT_AS``): a guard against a
    runaway, which then ends in a MemoryError (exit status 3) instead of exhausting the machine.
    """
    environment = {**os.environ, "CARECIRCLE_SECRET": "cli-test-secret", **(env or {})}

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    return subprocess.run(
        [sys.executable, "-m", "carecircle", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=limit_memory if memory_bytes is not None else None,
    )
