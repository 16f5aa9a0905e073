"""Synthetic ALTOO-style datasets in canonical form, with the two seed vignettes (SPEC §6)."""

import csv
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from carecircle.synthetic.population import generate_population
from carecircle.synthetic.vignettes import emmen, pique
from ingest.schemas import FILES

__all__ = ["GeneratedDataset", "generate_dataset"]

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
    population = generate_population(residents - _VIGNETTE_RESIDENTS, random.Random(seed), as_of)
    vignettes = [pique(as_of), emmen(as_of)]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = {}
    for table in ("residents", "helpers", "organisations", "support", "awareness"):
        records = [row for vignette in vignettes for row in vignette[table]]
        records += getattr(population, table)
        with (out / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(FILES[table].column_names)
            writer.writerows(records)
        rows[table] = len(records)
    (out / "dataset.toml").write_text(f'name = "{name}"\nas_of = {as_of.isoformat()}\n', encoding="utf-8")
    return GeneratedDataset(out, rows)
