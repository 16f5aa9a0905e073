"""Synthetic ALTOO-style datasets in canonical form, with the two seed vignettes (SPEC §6)."""

import csv
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import tomli_w

from carecircle.synthetic.population import PILOT, PILOT_BOOST, generate_population
from carecircle.synthetic.vignettes import emmen, pique
from graph.schema import SCHEMA, Table

__all__ = ["PILOT", "GeneratedDataset", "generate_dataset", "generate_series", "series_dates"]

_VIGNETTE_RESIDENTS = 7


@dataclass(frozen=True)
class GeneratedDataset:
    """Where a dataset was written and how many rows each file has."""

    path: Path
    rows: dict[str, int]


def generate_dataset(
    out: Path,
    *,
    residents: int = 2000,
    seed: int = 7,
    as_of: date = date(2024, 6, 1),
    name: str = "Synthetisch ALTOO",
    pilot_boost: float = PILOT_BOOST,
) -> GeneratedDataset:
    """Write a synthetic dataset of ``residents`` residents to the folder ``out``.

    The two seed vignettes (Mrs Piqué and six Emmen clients, seven residents) are always
    included with fixed ids; the rest is drawn from ``seed``. The same arguments give
    byte-identical files.

    Parameters
    ----------
    out : Path
        Folder to write; created if needed. Existing dataset files in it are replaced.
    residents : int
        Total number of residents, at least 7.
    seed : int
        Seed of the random generator.
    as_of : date
        Snapshot date written to dataset.toml; all periods and contacts are relative to it.
    name : str
        Dataset name written to dataset.toml.
    pilot_boost : float
        How much likelier helpers in the pilot neighbourhood (Stedenwijk) know each other.

    Raises
    ------
    ValueError
        When ``residents`` is below 7.

    Examples
    --------
    >>> import tempfile
    >>> result = generate_dataset(Path(tempfile.mkdtemp()), residents=50, seed=1)
    >>> result.rows["residents"]
    50
    """
    if residents < _VIGNETTE_RESIDENTS:
        raise ValueError(f"residents must be at least {_VIGNETTE_RESIDENTS} (the two seed vignettes)")
    population = generate_population(
        residents - _VIGNETTE_RESIDENTS, random.Random(seed), as_of, pilot_boost=pilot_boost
    )
    vignettes = [pique(as_of), emmen(as_of)]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = {}
    for table, spec in SCHEMA.items():
        records = [row for vignette in vignettes for row in vignette[table]]
        records += getattr(population, table)
        _write_table(out / spec.file_name, spec, records)
        rows[table] = len(records)
    # tomli-w quotes the name: a quote, backslash or line break in it cannot break the file
    (out / "dataset.toml").write_text(tomli_w.dumps({"name": name, "as_of": as_of}), encoding="utf-8")
    return GeneratedDataset(out, rows)


def _write_table(path: Path, spec: Table, records: list[dict]) -> None:
    """Write rows (dicts of cells by column name) as the canonical CSV file of ``spec``: its
    columns in order, a column a row leaves out empty.

    Raises
    ------
    ValueError
        When a row names a column the file does not have, or leaves out a required one.
    """
    required = [column.name for column in spec.file_columns if column.required]
    for record in records:
        if not all(record.get(name) not in (None, "") for name in required):
            missing = [name for name in required if record.get(name) in (None, "")]
            raise ValueError(f"{spec.file_name}: a row without {', '.join(missing)}")
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, spec.column_names, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def series_dates(last: date, snapshots: int, months_apart: int) -> list[date]:
    """Snapshot dates ``months_apart`` months apart, oldest first, ending on ``last``.

    Examples
    --------
    >>> [d.isoformat() for d in series_dates(date(2024, 6, 1), 3, 3)]
    ['2023-12-01', '2024-03-01', '2024-06-01']
    """
    dates = []
    for step in range(snapshots - 1, -1, -1):
        months = last.year * 12 + last.month - 1 - step * months_apart
        dates.append(date(months // 12, months % 12 + 1, min(last.day, 28)))
    return dates


def generate_series(
    out: Path,
    *,
    snapshots: int = 3,
    months_apart: int = 3,
    residents: int = 2000,
    seed: int = 7,
    last_as_of: date = date(2024, 6, 1),
    pilot_gain: float = 0.12,
) -> list[GeneratedDataset]:
    """Write one dataset per snapshot date into ``out/<as_of>/``, for the trends view.

    The same residents, helpers and support appear in every snapshot (with dates relative
    to each snapshot date); helpers in the pilot neighbourhood (Stedenwijk) get to know each
    other better each time (``pilot_gain`` more likely per snapshot, starting level with the
    others), while the awareness rows of the other neighbourhoods stay as they were.

    Examples
    --------
    >>> import tempfile
    >>> series = generate_series(Path(tempfile.mkdtemp()), residents=40, seed=1)
    >>> [s.path.name for s in series]
    ['2023-12-01', '2024-03-01', '2024-06-01']
    """
    return [
        generate_dataset(
            Path(out) / as_of.isoformat(),
            residents=residents,
            seed=seed,
            as_of=as_of,
            pilot_boost=index * pilot_gain,
        )
        for index, as_of in enumerate(series_dates(last_as_of, snapshots, months_apart))
    ]
