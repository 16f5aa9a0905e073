"""Synthetic ALTOO-style datasets in canonical form, with the two seed vignettes (SPEC §6)."""

import csv
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import tomli_w

from carecircle.synthetic.changes import SeriesChanges
from carecircle.synthetic.population import PILOT, PILOT_BOOST, Population, generate_population
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
    population = _population(residents, seed, as_of, pilot_boost)
    return _write_dataset(out, population, as_of, name)


def _population(residents: int, seed: int, as_of: date, pilot_boost: float) -> Population:
    """The generated residents (all but the seven of the vignettes) of a dataset.

    Raises
    ------
    ValueError
        When ``residents`` is below 7.
    """
    if residents < _VIGNETTE_RESIDENTS:
        raise ValueError(f"residents must be at least {_VIGNETTE_RESIDENTS} (the two seed vignettes)")
    return generate_population(
        residents - _VIGNETTE_RESIDENTS, random.Random(seed), as_of, pilot_boost=pilot_boost
    )


def _write_dataset(out: Path, population: Population, as_of: date, name: str) -> GeneratedDataset:
    """Write the seed vignettes of ``as_of``, then ``population``, as a dataset in ``out``."""
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
    """Write one dataset per snapshot date into ``out/<as_of>/``, for the trends view and the agenda.

    The change model. Every snapshot starts from the same generated residents, helpers and
    support as :func:`generate_dataset` writes for its date (dates relative to it), with the
    pilot neighbourhood's helpers (Stedenwijk) ``pilot_gain`` likelier to know each other per
    snapshot (starting level with the others). The first snapshot is exactly
    ``generate_dataset(as_of=first date, pilot_boost=0)``. Between each two consecutive
    snapshots, in every neighbourhood (the pilot included, at the same rates), events are
    drawn from the earlier snapshot's rows and stay in every later snapshot:

    - **joins** (6% of the residents): a new helper (id ``HJ<step>-<n>``), whom nobody knows
      yet, starts between the snapshots on one of the resident's needs (a household help, a
      district nurse, an ambulant supporter, a social worker or a volunteer, by the need);
    - **departures** (4%): a helper who is not the caregiver, with open-ended support, in a
      circle of two or more, ends their support between the snapshots (the earlier snapshot
      does not show that end yet);
    - **introductions** (as many circles as bring the neighbourhood's mean awareness coverage
      back to where it was before the joins and departures, at least one): two helpers of a
      circle who did not know each other get coordinating awareness rows both ways, last
      contact at most 6 days before each later snapshot, contact every 14 days for a
      delegated task and otherwise an interval as often as the generated data has one (half
      of them: 7, 14 or 28 days);
    - **lapsed contacts** (15% of the agreed contacts that are not overdue, at least one): the
      pair's last contact is not renewed: later snapshots keep the date it had in the earlier one.

    So some gaps are resolved (unaware pairs, one-sided awareness, unseen caregivers, no
    overview, uncoordinated overlaps, delegations) and some appear (the new helper's unaware
    pairs and overlaps, unmet needs, stale contacts). Because the introductions balance the
    joins and departures, the other neighbourhoods' awareness coverage stays level and only
    ``pilot_gain`` makes the pilot improve. The seed vignettes (Mrs Piqué, the Emmen clients)
    take no part: they are the same in every snapshot, relative to its date, so all their
    gaps persist. The same arguments give byte-identical files.

    Parameters
    ----------
    out : Path
        Folder in which a folder per snapshot date is written.
    snapshots, months_apart : int
        How many snapshots, and how many months apart (see :func:`series_dates`).
    residents, seed : int
        As for :func:`generate_dataset`, in every snapshot (joined helpers come on top).
    last_as_of : date
        The date of the last snapshot.
    pilot_gain : float
        How much likelier the pilot's helpers know each other per snapshot.

    Examples
    --------
    >>> import tempfile
    >>> series = generate_series(Path(tempfile.mkdtemp()), residents=40, seed=1)
    >>> [s.path.name for s in series]
    ['2023-12-01', '2024-03-01', '2024-06-01']
    """
    dates = series_dates(last_as_of, snapshots, months_apart)
    changes = SeriesChanges(seed, dates)
    written = []
    for index, as_of in enumerate(dates):
        population = _population(residents, seed, as_of, index * pilot_gain)
        changes.apply(population, index)
        if index + 1 < len(dates):
            changes.plan(population, index + 1)
        written.append(_write_dataset(Path(out) / as_of.isoformat(), population, as_of, "Synthetisch ALTOO"))
    return written
