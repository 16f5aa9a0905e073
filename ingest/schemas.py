"""What each input file holds (SPEC §3), as :data:`graph.schema.SCHEMA` declares it, and its row rules."""

import pandas as pd
import pandera.pandas as pa

from graph.language import N_
from graph.schema import SCHEMA, Table, reading_order

__all__ = ["FILES", "ROW_RULES", "table_named"]

#: table name -> its declaration, in the order an ingest reads the files (references first)
FILES: dict[str, Table] = {name: SCHEMA[name] for name in reading_order()}


def table_named(name: str) -> str | None:
    """Return the table a file name without extension (or a sheet name) names, if any.

    Examples
    --------
    >>> table_named("Ondersteuning"), table_named("notes")
    ('support', None)
    """
    return next((table.name for table in FILES.values() if table.matches(name)), None)


# Row rules, checked lazily with pandera on the typed frames (index = source line). Each check's
# name is the error-catalogue code it reports. Every key column gets the duplicate_id rule.


def _first_only(ids: pd.Series) -> pd.Series:
    return ~(ids.notna() & ids.duplicated(keep="first"))


def _plausible_year(years: pd.Series) -> pd.Series:
    return years.astype("int64").between(1880, 2100)


def _not_negative(hours: pd.Series) -> pd.Series:
    return hours.astype(float).ge(0)


def _above_zero(days: pd.Series) -> pd.Series:
    return days.astype("int64").gt(0)


def _period(frame: pd.DataFrame) -> pd.Series:
    start, end = frame["start_date"], frame["end_date"]
    both = (start.notna() & end.notna()).to_numpy()
    ok = ~both
    ok[both] = end.to_numpy()[both] >= start.to_numpy()[both]  # dates, compared one pair at a time
    return pd.Series(ok, index=frame.index)


def _not_self(frame: pd.DataFrame) -> pd.Series:
    return frame["helper_id"].ne(frame["about_helper_id"]) | frame["helper_id"].isna()


#: table -> [(column, code, check of its filled cells, what was expected)]
_CELL_RULES = {
    "residents": [("birth_year", "out_of_range", _plausible_year, N_("from 1880 to 2100"))],
    "support": [("hours_per_week", "negative_hours", _not_negative, "")],
    "awareness": [("contact_every_days", "out_of_range", _above_zero, N_("a number of days above 0"))],
}
#: table -> [(column reported, code, check of whole rows)]
_ROW_CHECKS = {
    "support": [("end_date", "end_before_start", _period)],
    "awareness": [("about_helper_id", "self_awareness", _not_self)],
}


def _row_rules(table: Table) -> tuple[pa.DataFrameSchema, dict[str, tuple[str, str]]]:
    """The pandera schema of a file's typed frame, and per code the column reported and what was expected."""
    checks: dict[str, list[pa.Check]] = {column.name: [] for column in table.file_columns}
    reported: dict[str, tuple[str, str]] = {}
    if table.key is not None:
        checks[table.key].append(pa.Check(_first_only, name="duplicate_id", ignore_na=False))
        reported["duplicate_id"] = (table.key, "")
    for column, code, check, expected in _CELL_RULES.get(table.name, []):
        checks[column].append(pa.Check(check, name=code))
        reported[code] = (column, expected)
    for column, code, _ in _ROW_CHECKS.get(table.name, []):
        reported[code] = (column, "")
    schema = pa.DataFrameSchema(
        {name: pa.Column(nullable=True, checks=column_checks) for name, column_checks in checks.items()},
        checks=[pa.Check(check, name=code) for _, code, check in _ROW_CHECKS.get(table.name, [])],
    )
    return schema, reported


#: table -> (pandera schema, {code: (column reported, what was expected)})
ROW_RULES: dict[str, tuple[pa.DataFrameSchema, dict[str, tuple[str, str]]]] = {
    name: _row_rules(table) for name, table in FILES.items()
}
