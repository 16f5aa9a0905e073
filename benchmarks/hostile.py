"""Hostile and broken inputs, measured: ``python -m benchmarks.hostile`` (``make hostile``).

Each case takes a generated municipality (2,000 residents with BSNs), breaks or bloats one file
the way a damaged export or an attacker would, and runs ``carecircle ingest`` on it in a fresh
process. It records what a user gets (exit status, the codes reported, how many residents were
kept), the wall time and the peak memory of that process, and whether any BSN of the dataset
turned up in the store, the report or the printed output. The table goes to
``docs/RELIABILITY.md`` by hand: what each case *must* do is asserted by the tests
(``tests/test_ingest_hostile.py``, ``tests/test_ingest_fuzz.py``); this run says what it costs.
"""

import argparse
import contextlib
import csv
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

__all__ = ["CASES", "Case", "run_case"]

RESIDENTS = 2_000
#: how the lines of an error printed by carecircle begin
_SAID = ("error", "internal error")
#: a run longer than this is stopped and reported as such
TIMEOUT = 600


@dataclass(frozen=True)
class Case:
    """One hostile input: a name, what it is, how to make it from a clean dataset folder, and
    optionally what to look up in the store afterwards (an SQL query of one value)."""

    name: str
    what: str
    make: Callable[[Path, Path], Path]  # (clean dataset folder, work folder) -> the dataset to ingest
    look_up: str | None = None


def _copy(clean: Path, work: Path) -> Path:
    folder = work / "dataset"
    folder.mkdir(parents=True)
    for path in clean.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def _edit(file: str, change: Callable[[str], str]) -> Callable[[Path, Path], Path]:
    """A case that changes the text of one CSV file of the dataset."""

    def make(clean: Path, work: Path) -> Path:
        folder = _copy(clean, work)
        path = folder / file
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        return folder

    return make


def _unterminated_quote(text: str) -> str:
    lines = text.splitlines(keepends=True)
    lines[2] = lines[2].replace(",Jan Hoekstra,", ',"Jan Hoekstra,', 1)  # R-EMMEN-1, as in the issue
    return "".join(lines)


def _latin1_byte(clean: Path, work: Path) -> Path:
    """One name pasted in Latin-1 into a UTF-8 file that holds other UTF-8 text ("Piqué")."""
    folder = _copy(clean, work)
    path = folder / "residents.csv"
    data = path.read_bytes().replace(b",Jan Hoekstra,", ",Jan Hoekstrà,".encode("latin-1"), 1)
    path.write_bytes(data)
    return folder


def _long_name(text: str) -> str:
    return text.replace("Mevrouw Piqué", "Piqué " * 10_000, 1)


def _bsn_in_free_text(text: str) -> str:
    return text.replace("Mevrouw Piqué", "Mevrouw Piqué 111222333", 1)


def _header_only(clean: Path, work: Path) -> Path:
    folder = _copy(clean, work)
    path = folder / "awareness.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return folder


def _two_files_one_table(clean: Path, work: Path) -> Path:
    folder = _copy(clean, work)
    (folder / "bewoners.csv").write_text("resident_id,neighbourhood\nR1,Stedenwijk\n", encoding="utf-8")
    return folder


def _million_columns(clean: Path, work: Path) -> Path:
    folder = _copy(clean, work)
    header = ",".join(["resident_id", "neighbourhood", *(f"c{i}" for i in range(1_000_000))])
    (folder / "residents.csv").write_text(header + "\nR1,Stedenwijk\n", encoding="utf-8")
    return folder


def _huge_cell(clean: Path, work: Path) -> Path:
    folder = _copy(clean, work)
    path = folder / "residents.csv"
    text = path.read_text(encoding="utf-8").replace("Mevrouw Piqué", '"' + "x" * 20_000_000 + '"', 1)
    path.write_text(text, encoding="utf-8")
    return folder


def _rejected_rows(clean: Path, work: Path) -> Path:
    folder = _copy(clean, work)
    with (folder / "support.csv").open("a", encoding="utf-8") as handle:
        handle.writelines(f"H-NOBODY-{i},R-PIQUE,household,1,,,wmo,\n" for i in range(500_000))
    return folder


def _random_bytes(clean: Path, work: Path) -> Path:
    folder = _copy(clean, work)
    (folder / "residents.csv").write_bytes(os.urandom(1_000_000))
    return folder


def _workbook(clean: Path, work: Path, extra: Callable[[dict], None] = lambda sheets: None) -> Path:
    """The dataset as one workbook (``extra`` may change its sheets first)."""
    import openpyxl

    sheets = {}
    for path in sorted(clean.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[path.stem] = list(csv.reader(handle))
    extra(sheets)
    workbook = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = work / "dataset.xlsx"
    workbook.save(path)
    path.with_suffix(".toml").write_bytes((clean / "dataset.toml").read_bytes())
    return path


def _two_sheets(clean: Path, work: Path) -> Path:
    return _workbook(clean, work, lambda sheets: sheets.update({"Residents ": sheets["residents"][:2]}))


def _far_cell(clean: Path, work: Path) -> Path:
    """A workbook whose residents sheet holds one more cell, at XFD1048576, and says so."""
    path = _workbook(clean, work)
    return _rewrite_sheet(path, "residents", _with_far_cell)


def _with_far_cell(xml: str) -> str:
    """The sheet with one more cell at XFD1048576, its declared dimension saying so (as a
    spreadsheet program writes it)."""
    xml = re.sub(r"<dimension ref=\"[^\"]*\"/>", "", xml)
    xml = xml.replace("<sheetViews>", '<dimension ref="A1:XFD1048576"/><sheetViews>', 1)
    if "A1:XFD1048576" not in xml:
        xml = xml.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>', 1)
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return xml.replace("</sheetData>", far + "</sheetData>", 1)


def _zip_bomb(clean: Path, work: Path) -> Path:
    """A workbook whose residents sheet unpacks to 1 GB of white space (a few MB on disk)."""
    path = _workbook(clean, work)
    return _rewrite_sheet(path, "residents", lambda xml: xml, padding=10**9)


def _entity(clean: Path, work: Path) -> Path:
    """A workbook whose residents sheet declares an external entity (XXE) reading /etc/passwd."""
    path = _workbook(clean, work)

    def with_entity(xml: str) -> str:
        doctype = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        xml = xml.replace("?>", "?>" + doctype, 1)
        return xml.replace("<t>Mevrouw Piqué</t>", "<t>&secret;</t>", 1)

    return _rewrite_sheet(path, "residents", with_entity)


def _rewrite_sheet(path: Path, sheet: str, change: Callable[[str], str], padding: int = 0) -> Path:
    """Rewrite one sheet's XML inside the workbook at ``path``, with ``padding`` bytes of white
    space after ``<sheetData>`` (written a megabyte at a time)."""
    with zipfile.ZipFile(path) as source:
        names = source.namelist()
        contents = {name: source.read(name) for name in names}
    sheet_names = re.findall(r'<sheet [^>]*name="([^"]+)"', contents["xl/workbook.xml"].decode())
    index = sorted(
        (n for n in names if n.startswith("xl/worksheets/sheet")), key=lambda n: int(re.sub(r"\D", "", n))
    )
    target = index[sheet_names.index(sheet)]
    head, tail = change(contents[target].decode("utf-8")).encode("utf-8").split(b"<sheetData>", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in names:
            if name != target:
                out.writestr(name, contents[name])
                continue
            with out.open(name, "w", force_zip64=True) as part:
                part.write(head + b"<sheetData>")
                for _ in range(padding // 2**20):
                    part.write(b" " * 2**20)
                part.write(tail)
    return path


def _symlink_loop(clean: Path, work: Path) -> Path:
    folder = _copy(clean, work)
    (folder / "residents.csv").unlink()
    (folder / "residents.csv").symlink_to(folder / "residents.csv")
    return folder


CASES = (
    Case(
        "unterminated quote",
        "one quote never closed in residents.csv line 3",
        _edit("residents.csv", _unterminated_quote),
    ),
    Case(
        "stray Latin-1 byte",
        "one name in Latin-1 in a UTF-8 residents.csv",
        _latin1_byte,
        "SELECT group_concat(name, ', ') FROM residents WHERE resident_id IN ('R-PIQUE', 'R-EMMEN-1')",
    ),
    Case("name of 60,000 characters", "a name far longer than a name", _edit("residents.csv", _long_name)),
    Case(
        "BSN in a name",
        "a valid BSN written into a resident's name",
        _edit("residents.csv", _bsn_in_free_text),
    ),
    Case("header without rows", "awareness.csv holds its header only", _header_only),
    Case("two files, one table", "residents.csv beside bewoners.csv", _two_files_one_table),
    Case("two sheets, one table", "sheets 'residents' and 'Residents '", _two_sheets),
    Case("10⁶ header columns", "a 7 MB residents.csv one million columns wide", _million_columns),
    Case("cell of 20 MB", "one quoted cell of 20 million characters", _huge_cell),
    Case("500,000 rejected rows", "support.csv with 500,000 rows for unknown helpers", _rejected_rows),
    Case("random bytes", "residents.csv is 1 MB of random bytes", _random_bytes),
    Case("cell at XFD1048576", "a workbook whose one stray cell sits at XFD1048576", _far_cell),
    Case("zip bomb", "a workbook sheet unpacking to 1 GB of white space", _zip_bomb),
    Case("external entity (XXE)", "a workbook sheet reading /etc/passwd through an entity", _entity),
    Case("symlink loop", "residents.csv is a symbolic link to itself", _symlink_loop),
)


def run_case(case: Case, clean: Path, work: Path, bsns: list[str], memory_cap: int = 0) -> dict:
    """Make the case's input and ingest it in a fresh process (its address space capped at
    ``memory_cap`` bytes, when not 0); return what happened."""
    folder = work / re.sub(r"\W+", "-", case.name)
    folder.mkdir()
    dataset = case.make(clean, folder)
    store, report = folder / "store.db", folder / "report.json"
    command = [sys.executable, "-m", "carecircle", "ingest", str(dataset), "--store", str(store)]
    environment = {**os.environ, "CARECIRCLE_SECRET": "hostile-inputs"}
    outputs = [folder / "stdout.txt", folder / "stderr.txt"]
    began = time.perf_counter()
    measured = subprocess.run(
        [
            sys.executable,
            "-c",
            _MEASURE,
            json.dumps([*command, "--report", str(report)]),
            *map(str, outputs),
            str(memory_cap),
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - began
    status, peak = json.loads(measured.stdout)
    output, errors = (path.read_text(encoding="utf-8", errors="replace") for path in outputs)
    said = output + errors
    written = [path.read_bytes().decode("utf-8", "replace") for path in (store, report) if path.exists()]
    leaked = [bsn for bsn in bsns if any(bsn in text for text in (*written, said))]
    result = {
        "case": case.name,
        "what": case.what,
        "exit": status,
        "seconds": round(wall, 2),
        "peak_mib": peak,
        "bsn_leaked": len(leaked),
        "first_error": next((line for line in errors.splitlines() if line.startswith(_SAID)), ""),
    }
    if case.look_up and store.exists():
        with contextlib.closing(sqlite3.connect(store)) as connection:
            result["stored"] = connection.execute(case.look_up).fetchone()[0]
    if report.exists() and status == 0:
        found = json.loads(report.read_text(encoding="utf-8"))
        counts = found.get("problem_counts", {})
        codes = {code for kind in counts.values() for per_file in kind.values() for code in per_file}
        # a report of a version before problem_counts lists every problem
        codes |= {problem["code"] for kind in ("rejected", "warnings") for problem in found.get(kind, [])}
        result["codes"] = sorted(codes)
        result["residents_kept"] = next(
            (c["accepted"] for name, c in found["files"].items() if "residents" in name.lower()), None
        )
        result["report_bytes"] = report.stat().st_size
    return result


#: Runs a command and prints its exit status and its own peak memory (MiB), from ``wait4``. Run in
#: a fresh interpreter: Linux carries a process's high-water mark over fork and exec, so a command
#: started straight from this (large) process would report this process's peak as its own.
_MEASURE = f"""
import json, os, resource, subprocess, sys, time
command, cap = json.loads(sys.argv[1]), int(sys.argv[4])
limit = (lambda: resource.setrlimit(resource.RLIMIT_AS, (cap, cap))) if cap else None
with open(sys.argv[2], "w") as stdout, open(sys.argv[3], "w") as stderr:
    process = subprocess.Popen(command, stdout=stdout, stderr=stderr, preexec_fn=limit)
    deadline = time.monotonic() + {TIMEOUT}
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
        time.sleep(0.02)
print(json.dumps([os.waitstatus_to_exitcode(status), usage.ru_maxrss // 1024]))
"""


def table(results: list[dict]) -> str:
    """The results as a markdown table."""
    lines = [
        "| input | exit | what the user gets | residents kept | time | peak memory | BSNs leaked |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for result in results:
        if result["exit"] == 0:
            got = ", ".join(f"`{code}`" for code in result.get("codes", [])) or "accepted, no problem"
            got += f" (report {result['report_bytes'] / 1024:,.0f} KB)"
        else:
            got = result["first_error"].replace("|", "\\|")[:160]
        kept = "" if result.get("residents_kept") is None else f"{result['residents_kept']:,}"
        lines.append(
            f"| {result['case']}: {result['what']} | {result['exit']} | {got} | {kept} | "
            f"{result['seconds']:.1f} s | {result['peak_mib']:,} MiB | {result['bsn_leaked']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run every case (or those named) and print the table; ``--out`` also saves the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=RESIDENTS)
    parser.add_argument("--only", help="run only the cases whose names hold one of these (comma-separated)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument(
        "--memory-cap-mib", type=int, default=0, help="cap each ingest's address space (for older versions)"
    )
    options = parser.parse_args(argv)
    from carecircle.synthetic import generate_dataset

    with tempfile.TemporaryDirectory(prefix="carecircle-hostile-") as temporary:
        work = Path(temporary)
        clean = work / "clean"
        generate_dataset(clean, residents=options.residents, seed=7, as_of=date(2024, 6, 1))
        with (clean / "residents.csv").open(encoding="utf-8", newline="") as handle:
            bsns = sorted({row["bsn"] for row in csv.DictReader(handle) if row["bsn"]} | {"111222333"})
        results = []
        for case in CASES:
            if options.only and not any(part in case.name for part in options.only.split(",")):
                continue
            results.append(run_case(case, clean, work, bsns, options.memory_cap_mib * 1024**2))
            print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    if options.out:
        options.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))


if __name__ == "__main__":
    main()
