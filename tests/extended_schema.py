"""A schema with more columns, pushed through every consumer in a fresh interpreter.

:func:`run_extended` makes a store with the schema as it is, then runs this module in a new
Python process, which declares the columns of :data:`EXTRA` in :data:`graph.schema.SCHEMA`
before anything else is imported (as if a maintainer had added them there), ingests a dataset
that has them, under their canonical and their Dutch names, and takes it through the SQLite
store (a new one, and the one made before), the graph and its exports, the analysis and the
synthetic generator, and optionally the Neo4j store. What each consumer made of the extra
columns comes back for :mod:`tests.test_schema` and :mod:`tests.test_store_neo4j` to check.
"""

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import graph.schema
from graph.schema import Column
from graph.vocabulary import DOMAINS, Vocabulary

_CHANNELS = Vocabulary("channel", {"phone": ("telefoon",), "visit": ("bezoek",)})

#: table -> (columns declared before the others, columns declared after them): first, so that a
#: consumer that counts on a column's position fails
EXTRA: dict[str, tuple[tuple[Column, ...], tuple[Column, ...]]] = {
    "residents": (
        (Column("alarm", "boolean", aliases=("personenalarm",)),),
        (Column("phone", "text", aliases=("telefoon",), privacy="personal"),),
    ),
    "helpers": ((Column("registered_on", "date", aliases=("geregistreerd_op",)),), ()),
    "organisations": ((Column("staff", "integer", aliases=("medewerkers",)),), ()),
    "support": (
        (Column("travel_minutes", "decimal", aliases=("reistijd",)),),
        (Column("planned", "codes", aliases=("gepland",), vocabulary=DOMAINS),),
    ),
    "awareness": (
        (Column("noted_by", "id", aliases=("genoteerd_door",), references="helpers"),),
        (Column("channel", "code", aliases=("kanaal",), vocabulary=_CHANNELS),),
    ),
}

#: column -> (Dutch header, the cells of the BASE dataset's rows, in order)
CELLS = {
    "alarm": ("personenalarm", ["ja", ""]),
    "phone": ("telefoon", ["06-12345678", ""]),
    "registered_on": ("geregistreerd_op", ["01-02-2016", "2016-03-04", "", ""]),
    "staff": ("medewerkers", ["120", ""]),
    "travel_minutes": ("reistijd", ["12.5", "", "0", "3"]),
    "planned": ("gepland", ["verpleging|Maaltijden", "", "", ""]),
    "noted_by": ("genoteerd_door", ["H4", ""]),
    "channel": ("kanaal", ["Telefoon", "brief"]),
}


def run_extended(work: Path, bolt: dict | None = None) -> dict:
    """Make ``work/old.db`` with the schema as it is, run this module on ``work`` in a new
    process, and return its result. ``bolt`` (uri, user, password, database) adds the Neo4j store.
    """
    from graph.stores import SqliteStore
    from tests.datasets import ingest, write_dataset

    plain = ingest(write_dataset(work / "plain")).snapshot
    with SqliteStore(work / "old.db") as store:
        store.save(plain, {})
    if bolt is not None:
        (work / "bolt.json").write_text(json.dumps(bolt), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "tests.extended_schema", str(work)],
        cwd=Path(__file__).parents[1],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads((work / "result.json").read_text(encoding="utf-8"))


def extend_schema() -> None:
    """Declare the :data:`EXTRA` columns (before any consumer of the schema is imported)."""
    graph.schema.SCHEMA = {
        name: replace(table, columns=(*EXTRA[name][0], *table.columns, *EXTRA[name][1]))
        for name, table in graph.schema.SCHEMA.items()
    }


def extended_dataset(folder: Path, *, dutch: bool, leave_out: str | None = None) -> Path:
    """The tests' BASE dataset with the extra columns, headed by their canonical or Dutch names;
    without the file ``leave_out``."""
    from tests.datasets import BASE, write_dataset

    files = {}
    for name, text in BASE.items():
        table = name.removesuffix(".csv")
        if table not in EXTRA:
            continue
        header, *rows = text.rstrip("\n").split("\n")
        before, after = ([column.name for column in columns] for columns in EXTRA[table])

        def heads(names: list[str]) -> list[str]:
            return [CELLS[n][0] if dutch else n for n in names]

        lines = [",".join([*heads(before), header, *heads(after)])]
        for index, row in enumerate(rows):
            cells = [[CELLS[n][1][index] for n in names] for names in (before, after)]
            lines.append(",".join([*cells[0], row, *cells[1]]))
        files[name] = "\n".join(lines) + "\n"
    if leave_out is not None:
        files[leave_out] = None
    return write_dataset(folder, files)


def main(work: Path) -> None:
    extend_schema()
    from tests.datasets import ingest

    canonical = ingest(extended_dataset(work / "canonical", dutch=False))
    dutch = ingest(extended_dataset(work / "dutch", dutch=True))
    snapshot = canonical.snapshot
    implied = ingest(extended_dataset(work / "implied", dutch=False, leave_out="organisations.csv")).snapshot
    result = {
        "ingest": _extra_values(snapshot),
        "dutch_equal": _same_snapshots(snapshot, dutch.snapshot),
        "problems": [p.as_dict() for p in canonical.report.rejected + canonical.report.warnings],
        "named_helpers": sorted(snapshot.part({"R1"}).named_helpers()),
        "implied_organisations": implied.records("organisations"),
        "sqlite": _sqlite(snapshot, work / "new.db"),
        "old_store": _old_store(snapshot, work / "old.db"),
        "exports": _exports(snapshot, work / "exports"),
        "analysis": _analysis(snapshot),
        "generated": _generated(work / "generated"),
    }
    if (work / "bolt.json").exists():
        result["neo4j"] = _neo4j(snapshot, json.loads((work / "bolt.json").read_text()))
    (work / "result.json").write_text(json.dumps(result, default=str, indent=1), encoding="utf-8")


def _extra_values(snapshot) -> dict[str, dict[str, list]]:
    """Per table, each extra column's values, row by row."""
    values: dict[str, dict[str, list]] = {}
    for table, (first, last) in EXTRA.items():
        rows = snapshot.records(table)
        values[table] = {column.name: [row[column.name] for row in rows] for column in (*first, *last)}
    return values


def _same_snapshots(a, b) -> bool:
    from graph.model import TABLES

    return all(a.records(table) == b.records(table) for table in TABLES)


def _sqlite(snapshot, path: Path) -> dict:
    from graph.stores import SqliteStore

    with SqliteStore(path) as store:
        store.save(snapshot, {})
    with SqliteStore(path) as store:
        loaded = store.load()
        part = store.load(neighbourhood="Stedenwijk")
    return {
        "equal": _same_snapshots(loaded, snapshot),
        "part_equal": _same_snapshots(part, snapshot.part({"R1"})),
    }


def _old_store(snapshot, path: Path) -> dict:
    """A store made before the columns were declared: read as it is, then saved to."""
    from graph.stores import SqliteStore

    with SqliteStore(path) as store:
        before = store.load()
        store.save(replace(snapshot, as_of=date(2017, 7, 1)), {})
    with SqliteStore(path) as store:
        old, new = store.load(date(2017, 6, 1)), store.load(date(2017, 7, 1))
    return {
        "before": _extra_values(before),
        "old": _extra_values(old),
        "new_equal": _same_snapshots(new, replace(snapshot, as_of=date(2017, 7, 1))),
    }


def _exports(snapshot, folder: Path) -> dict:
    """The CSV exports of the team and of the policy graph, as lists of rows."""
    import csv

    from graph.build import build_graph
    from graph.export import export_graph, policy_graph

    graph = build_graph(snapshot)
    found = {}
    for role, exported in (("team", graph), ("policy", policy_graph(graph))):
        for path in export_graph(exported, folder / role, "csv"):
            with path.open(encoding="utf-8", newline="") as handle:
                found[f"{role}/{path.name}"] = list(csv.DictReader(handle))
    return found


def _analysis(snapshot) -> str:
    from graph.analysis import analyse, to_json

    return to_json(analyse(snapshot))


def _generated(folder: Path) -> dict:
    """The headers of a generated dataset, and the problems its ingest finds."""
    import csv

    from carecircle.synthetic import generate_dataset
    from graph.schema import SCHEMA
    from tests.datasets import ingest

    generate_dataset(folder, residents=30, seed=1)
    headers = {}
    for table in SCHEMA.values():
        with (folder / table.file_name).open(encoding="utf-8", newline="") as handle:
            headers[table.name] = next(csv.reader(handle))
    report = ingest(folder).report
    return {"headers": headers, "rejected": [p.as_dict() for p in report.rejected]}


def _neo4j(snapshot, server: dict) -> dict:
    from graph.stores.neo4j import Neo4jStore

    with Neo4jStore(
        server["uri"], user=server["user"], password=server["password"], database=server["database"]
    ) as store:
        store.save(snapshot, {})
        loaded = store.load()
        part = store.load(neighbourhood="Stedenwijk")
    return {
        "equal": _same_snapshots(loaded, snapshot),
        "part_equal": _same_snapshots(part, snapshot.part({"R1"})),
        "extra": _extra_values(loaded),
    }


if __name__ == "__main__":
    main(Path(sys.argv[1]))
