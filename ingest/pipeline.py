"""The ingest pipeline: read, validate, cascade references, pseudonymise, and report (SPEC §3-4)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from graph.language import N_, translate, translate_plural
from graph.model import TABLES, Snapshot
from graph.schema import Table
from graph.vocabulary import role_kind
from ingest.bsn import BSN_MASK, mask_bsns
from ingest.catalogue import FileLevelError, Problem, render
from ingest.pseudonym import Pseudonymiser
from ingest.readers import DatasetSource, open_dataset
from ingest.report import IngestReport
from ingest.schemas import FILES
from ingest.validate import ValidatedTable, validate_table

__all__ = ["IngestReport", "IngestResult", "ingest_dataset"]


@dataclass
class IngestResult:
    """A validated, pseudonymised snapshot and the report of how it was made."""

    snapshot: Snapshot
    report: IngestReport


def ingest_dataset(
    path: Path,
    *,
    as_of: date | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    lang: str = "en",
    on_step: Callable[[str], None] | None = None,
    today: Callable[[], date] = date.today,
) -> IngestResult:
    """Read and validate the dataset at ``path`` (a folder or an .xlsx workbook).

    Row-level problems reject rows (and what refers to them) and are reported; only a
    file-level problem stops the ingest.

    Parameters
    ----------
    path : Path
        Dataset folder or workbook.
    as_of : date, optional
        Snapshot date; overrides dataset.toml. Without either, today's date with a warning.
    pseudonymiser : Pseudonymiser, optional
        Turns BSNs into pseudonyms; by default from the environment or the key file.
    lang : {"en", "nl"}
        Language of the messages.
    on_step : callable, optional
        Called with a short description before each step, for progress display.

    Raises
    ------
    FileLevelError
        On a file-level problem (SPEC §4); nothing has been written.
    """
    step = on_step or (lambda _: None)
    source = open_dataset(path, lang=lang)
    warnings: list[Problem] = []
    dataset_name, masked = mask_bsns(source.name)
    if masked:
        warnings.append(
            render("bsn_in_text", file=source.name_file, column="name", expected=BSN_MASK, lang=lang)
        )
    snapshot_date = as_of or source.as_of
    if snapshot_date is None:
        snapshot_date = today()
        warnings.append(
            render("as_of_defaulted", file=source.path.name, value=snapshot_date.isoformat(), lang=lang)
        )
    tables = {}
    for stem in FILES:  # in reading order: an id is known before a row can point at it
        tables[stem] = _read_validated(source, stem, step, lang)
    step(translate(N_("checking references"), lang))
    _cascade(tables, lang)
    report = IngestReport(dataset_name, snapshot_date, warnings=warnings)
    snapshot = Snapshot(dataset_name, snapshot_date)
    step(translate(N_("pseudonymising"), lang))
    pseudonymise = pseudonymiser or Pseudonymiser.from_environment()
    for stem, table in tables.items():
        if table is None:
            continue
        accepted = table.accepted()
        if stem == "support":
            accepted = _drop_repeated_rows(accepted, table, lang)
        elif stem == "awareness":
            accepted = _keep_latest_awareness(accepted, table, lang)
        elif stem == "residents":
            accepted = _pseudonymise(accepted, pseudonymise, table, lang)
        report.files[table.name] = {
            "read": table.read,
            "accepted": len(accepted),
            "rejected": len(table.rejected_lines),
        }
        report.rejected.extend(sorted(table.problems, key=_by_place))
        report.warnings.extend(sorted(table.warnings, key=_by_place))
        if table.ignored_columns:
            report.ignored_columns[table.name] = table.ignored_columns
        setattr(snapshot, stem, _snapshot_table(stem, accepted, tables))
    if tables["organisations"] is None:
        snapshot.organisations = _implied_organisations(snapshot.helpers)
    return IngestResult(snapshot, report)


def _by_place(problem: Problem) -> tuple:
    return (problem.line or 0, problem.column or "")


def _read_validated(
    source: DatasetSource, stem: str, step: Callable[[str], None], lang: str
) -> ValidatedTable | None:
    spec = FILES[stem]
    step(translate(N_("reading {file}"), lang, file=spec.file_name))
    raw = source.read(stem)
    if raw is None:
        if spec.required:
            raise FileLevelError(source.missing_problem(stem))
        return None
    step(
        translate_plural(
            "validating {file} ({count} row)",
            "validating {file} ({count} rows)",
            len(raw.cells),
            lang,
            file=raw.name,
        )
    )
    return validate_table(raw, spec, lang=lang)


def _cascade(tables: dict[str, ValidatedTable | None], lang: str) -> None:
    """Reject rows that point at unknown or rejected rows, in file order."""
    for stem, spec in FILES.items():
        table = tables[stem]
        if table is None:
            continue
        for column in spec.file_columns:
            if column.references is None:
                continue
            target = tables[column.references]
            if target is None:  # organisations.csv is optional: its ids are then taken as given
                continue
            _check_reference(table, column.name, target, FILES[column.references].key, lang)
        if stem == "support":
            _check_delegators(table, tables["helpers"], lang)


def _check_reference(
    table: ValidatedTable, column: str, target: ValidatedTable, id_column: str, lang: str
) -> None:
    ids = target.frame[id_column]
    rejected = ids.index.isin(target.rejected_lines)
    accepted_ids = set(ids[~rejected].dropna())
    # where each id was first rejected (ids are text or None)
    rejected_ids = ids[rejected & ids.notna()]
    rejected_ids = rejected_ids[~rejected_ids.duplicated(keep="first")]
    rejected_at = {identifier: f"{target.name}:{line}" for line, identifier in rejected_ids.items()}
    values = table.frame[column]
    for line in values.index[values.notna() & ~values.isin(accepted_ids)]:
        identifier = values[line]
        if identifier in rejected_at:
            problem = render(
                "rejected_reference",
                file=table.name,
                line=line,
                column=column,
                value=identifier,
                expected=rejected_at[identifier],
                lang=lang,
            )
        else:
            problem = render(
                "unknown_reference",
                file=table.name,
                line=line,
                column=column,
                value=identifier,
                lang=lang,
            )
        table.reject(problem)


def _check_delegators(table: ValidatedTable, helpers: ValidatedTable, lang: str) -> None:
    accepted = helpers.accepted()
    kinds = dict(zip(accepted["helper_id"], accepted["role"].map(role_kind), strict=True))
    delegators = table.frame["delegated_by"]
    delegators = delegators[delegators.isin(kinds)]
    for line, helper, kind in zip(delegators.index, delegators, delegators.map(kinds), strict=True):
        if kind != "formal":
            table.reject(
                render(
                    "delegator_not_formal",
                    file=table.name,
                    line=line,
                    column="delegated_by",
                    value=helper,
                    expected=kind,
                    lang=lang,
                )
            )


def _drop_repeated_rows(frame: pd.DataFrame, table: ValidatedTable, lang: str) -> pd.DataFrame:
    """Drop a support row that repeats an earlier one cell for cell (as text), with a warning."""
    text = _as_text_codes(frame, FILES["support"])
    repeated = text.duplicated(keep="first")
    first_line: dict[tuple, int] = {}
    for line, *key in text[text.duplicated(keep=False)].itertuples(name=None):
        first = first_line.setdefault(tuple(key), line)
        if first != line:
            table.warnings.append(
                render("duplicate_row", file=table.name, line=line, expected=first, lang=lang)
            )
    return frame[~repeated]


def _as_text_codes(frame: pd.DataFrame, spec: Table) -> pd.DataFrame:
    """Number each column's cells so that two get the same number exactly when their text does.

    Ids, codes, dates and lists of codes are equal exactly when their text is, so their
    numbers come from the values themselves; decimals go through their text, as -0.0 and
    0.0 are equal numbers but different text. A missing cell is -1 in every column.
    """
    decimals = {column.name for column in spec.columns if column.type == "decimal"}
    codes = {
        name: pd.factorize(values.astype(str) if name in decimals else values)[0]
        for name, values in frame.items()
    }
    return pd.DataFrame(codes, index=frame.index)


def _keep_latest_awareness(frame: pd.DataFrame, table: ValidatedTable, lang: str) -> pd.DataFrame:
    """Per (helper, about, resident): latest observed_on wins (none is oldest), then the later line."""
    order = frame.assign(_observed=_ordinals(frame["observed_on"]), _line=frame.index)
    order = order.sort_values(["_observed", "_line"])
    key = ["helper_id", "about_helper_id", "resident_id"]
    winners = order.drop_duplicates(key, keep="last")
    contested = order[order.duplicated(key, keep=False)]
    # a key's winner is its last row in `order`, so the contested rows hold every contested winner
    contested_winners = contested.drop_duplicates(key, keep="last")
    winner_line = {tuple(row): line for line, *row in contested_winners[key].itertuples(name=None)}
    for line, *row in contested[key].itertuples(name=None):
        won = winner_line[tuple(row)]
        if won != line:
            table.warnings.append(
                render(
                    "superseded_awareness",
                    file=table.name,
                    line=line,
                    column="observed_on",
                    value=row[1],
                    expected=won,
                    lang=lang,
                )
            )
    return frame.loc[np.sort(winners.index.to_numpy())]


def _ordinals(days: pd.Series) -> np.ndarray:
    """The day number of each date, -1 for none (so none sorts first); each date converted once."""
    codes, distinct = pd.factorize(days)
    return np.array([*(day.toordinal() for day in distinct), -1], dtype=np.int64)[codes]


def _pseudonymise(
    frame: pd.DataFrame, pseudonymise: Pseudonymiser, table: ValidatedTable, lang: str
) -> pd.DataFrame:
    """Replace ``bsn`` by ``bsn_pseudonym`` and warn when two residents share one."""
    # a list, not Series.map: map turns None into NaN
    pseudonyms = [pseudonymise(bsn) if isinstance(bsn, str) else None for bsn in frame["bsn"]]
    frame = frame.drop(columns=["bsn"]).assign(
        bsn_pseudonym=pd.Series(pseudonyms, index=frame.index, dtype=object)
    )
    # only a pseudonym that occurs more than once can make a warning
    shared = frame["bsn_pseudonym"]
    shared = shared.notna() & shared.duplicated(keep=False)
    first: dict[str, tuple[int, str]] = {}
    rows = zip(frame.index[shared], frame["bsn_pseudonym"][shared], frame["resident_id"][shared], strict=True)
    for line, pseudonym, resident in rows:
        if pseudonym in first:
            first_line, first_resident = first[pseudonym]
            table.warnings.append(
                render(
                    "same_person",
                    file=table.name,
                    line=line,
                    column="bsn",
                    value=resident,
                    expected=first_resident,
                    found=first_line,
                    lang=lang,
                )
            )
        else:
            first[pseudonym] = (line, resident)
    return frame


def _snapshot_table(stem: str, frame: pd.DataFrame, tables: dict) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    if stem == "helpers":
        frame = frame.assign(kind=frame["role"].map(role_kind).astype(object))
        # a relation only describes informal caregivers
        frame["relation"] = frame["relation"].where(frame["kind"].eq("caregiver"), None)
    for column in FILES[stem].columns:
        if column.default is not None:
            frame[column.name] = frame[column.name].where(frame[column.name].notna(), column.default)
    frame = frame[list(TABLES[stem])].astype(object)
    return frame.where(frame.notna(), None)


def _implied_organisations(helpers: pd.DataFrame) -> pd.DataFrame:
    """Without organisations.csv, every organisation_id a helper names is an organisation, named
    by its id."""
    ids = sorted(helpers["organisation_id"].dropna().unique())
    columns = {column: [None] * len(ids) for column in TABLES["organisations"]}
    return pd.DataFrame({**columns, "organisation_id": ids, "name": ids}, dtype=object)
