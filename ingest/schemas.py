"""What each input file holds (SPEC §3): columns, header aliases, cell types, and row rules."""

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from graph.language import N_
from ingest.vocabulary import normalise_token

__all__ = ["FILES", "ROW_RULES", "ColumnSpec", "FileSpec", "table_named"]


@dataclass(frozen=True)
class ColumnSpec:
    """One column: canonical name, cell type, whether required, and other accepted headers."""

    name: str
    cell: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    def matches(self, header: str) -> bool:
        """Return whether a header as written names this column."""
        key = normalise_token(header)
        return key == self.name or key in {normalise_token(alias) for alias in self.aliases}


@dataclass(frozen=True)
class FileSpec:
    """One input file (or sheet) of a dataset, and the other names accepted for it (SPEC §3)."""

    stem: str
    required: bool
    columns: tuple[ColumnSpec, ...]
    aliases: tuple[str, ...] = ()

    def matches(self, name: str) -> bool:
        """Return whether a file name without its extension, or a sheet name, names this table.

        Examples
        --------
        >>> [FILES["residents"].matches(name) for name in ("Residents ", "BEWONERS", "bewoner")]
        [True, True, False]
        """
        key = normalise_token(name)
        return key == self.stem or key in {normalise_token(alias) for alias in self.aliases}

    @property
    def file_name(self) -> str:
        """The canonical CSV name, e.g. ``support.csv``."""
        return f"{self.stem}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        """The canonical column names, in the order a canonical file has them."""
        return tuple(column.name for column in self.columns)


_NAME = ColumnSpec("name", "text", aliases=("naam",))
_RESIDENT_ID = ("client_id", "clientnummer", "bewoner_id")
_HELPER_ID = ("hulpverlener_id",)

FILES: dict[str, FileSpec] = {
    spec.stem: spec
    for spec in (
        FileSpec(
            "organisations",
            False,
            (
                ColumnSpec("organisation_id", "id", True, ("organisatie_id",)),
                ColumnSpec("name", "text", True, ("naam",)),
                ColumnSpec("type", "organisation_type", aliases=("soort",)),
            ),
            ("organisaties",),
        ),
        FileSpec(
            "helpers",
            True,
            (
                ColumnSpec("helper_id", "id", True, _HELPER_ID),
                ColumnSpec("role", "role", True, ("rol",)),
                _NAME,
                ColumnSpec("organisation_id", "id", aliases=("organisatie_id",)),
                ColumnSpec("relation", "relation", aliases=("relatie",)),
            ),
            ("hulpverleners",),
        ),
        FileSpec(
            "residents",
            True,
            (
                ColumnSpec("resident_id", "id", True, _RESIDENT_ID),
                ColumnSpec("neighbourhood", "text", True, ("wijk", "buurt")),
                _NAME,
                ColumnSpec("bsn", "bsn", aliases=("burgerservicenummer",)),
                ColumnSpec("birth_year", "integer", aliases=("geboortejaar",)),
                ColumnSpec("lives_alone", "boolean", aliases=("woont_alleen",)),
                ColumnSpec("needs", "domains", aliases=("behoeften",)),
            ),
            ("bewoners",),
        ),
        FileSpec(
            "support",
            True,
            (
                ColumnSpec("helper_id", "id", True, _HELPER_ID),
                ColumnSpec("resident_id", "id", True, _RESIDENT_ID),
                ColumnSpec("domains", "domains", True, ("domein", "domeinen", "taken")),
                ColumnSpec("hours_per_week", "decimal", aliases=("uren_per_week",)),
                ColumnSpec("start_date", "date", aliases=("startdatum",)),
                ColumnSpec("end_date", "date", aliases=("einddatum",)),
                ColumnSpec("funding", "funding", aliases=("financiering",)),
                ColumnSpec("delegated_by", "id", aliases=("gedelegeerd_door",)),
            ),
            ("ondersteuning",),
        ),
        FileSpec(
            "awareness",
            False,
            (
                ColumnSpec("helper_id", "id", True, _HELPER_ID),
                ColumnSpec("about_helper_id", "id", True, ("over_helper_id", "over_hulpverlener_id")),
                ColumnSpec("resident_id", "id", True, _RESIDENT_ID),
                ColumnSpec("level", "level", aliases=("niveau",)),
                ColumnSpec("last_contact", "date", aliases=("laatste_contact",)),
                ColumnSpec("contact_every_days", "integer", aliases=("contact_elke_dagen",)),
                ColumnSpec("observed_on", "date", aliases=("waargenomen_op",)),
            ),
            ("bekendheid",),
        ),
    )
}


def table_named(name: str) -> str | None:
    """Return the stem of the table a file name without extension (or a sheet name) names, if any.

    Examples
    --------
    >>> table_named("Ondersteuning"), table_named("notes")
    ('support', None)
    """
    return next((spec.stem for spec in FILES.values() if spec.matches(name)), None)


# Row rules, checked lazily with pandera on the typed frames (index = source line).
# Each check's name is the error-catalogue code it reports.


def _first_only(ids: pd.Series) -> pd.Series:
    return ~(ids.notna() & ids.duplicated(keep="first"))


class _Organisations(pa.DataFrameModel):
    organisation_id: Series[object]

    @pa.check("organisation_id", name="duplicate_id", ignore_na=False)
    def _unique(cls, ids: pd.Series) -> pd.Series:
        return _first_only(ids)


class _Helpers(pa.DataFrameModel):
    helper_id: Series[object]

    @pa.check("helper_id", name="duplicate_id", ignore_na=False)
    def _unique(cls, ids: pd.Series) -> pd.Series:
        return _first_only(ids)


class _Residents(pa.DataFrameModel):
    resident_id: Series[object]
    birth_year: Series[object] = pa.Field(nullable=True)

    @pa.check("resident_id", name="duplicate_id", ignore_na=False)
    def _unique(cls, ids: pd.Series) -> pd.Series:
        return _first_only(ids)

    @pa.check("birth_year", name="out_of_range")
    def _plausible_year(cls, years: pd.Series) -> pd.Series:
        return years.astype("int64").between(1880, 2100)


class _Support(pa.DataFrameModel):
    hours_per_week: Series[object] = pa.Field(nullable=True)

    @pa.check("hours_per_week", name="negative_hours")
    def _hours(cls, hours: pd.Series) -> pd.Series:
        return hours.astype(float).ge(0)

    @pa.dataframe_check(name="end_before_start")
    def _period(cls, frame: pd.DataFrame) -> pd.Series:
        start, end = frame["start_date"], frame["end_date"]
        both = (start.notna() & end.notna()).to_numpy()
        ok = ~both
        ok[both] = end.to_numpy()[both] >= start.to_numpy()[both]  # dates, compared one pair at a time
        return pd.Series(ok, index=frame.index)


class _Awareness(pa.DataFrameModel):
    contact_every_days: Series[object] = pa.Field(nullable=True)

    @pa.check("contact_every_days", name="out_of_range")
    def _interval(cls, days: pd.Series) -> pd.Series:
        return days.astype("int64").gt(0)

    @pa.dataframe_check(name="self_awareness")
    def _not_self(cls, frame: pd.DataFrame) -> pd.Series:
        return frame["helper_id"].ne(frame["about_helper_id"]) | frame["helper_id"].isna()


#: file stem -> (pandera model, {code: (column reported, what was expected)})
ROW_RULES: dict[str, tuple[type[pa.DataFrameModel], dict[str, tuple[str, str]]]] = {
    "organisations": (_Organisations, {"duplicate_id": ("organisation_id", "")}),
    "helpers": (_Helpers, {"duplicate_id": ("helper_id", "")}),
    "residents": (
        _Residents,
        {"duplicate_id": ("resident_id", ""), "out_of_range": ("birth_year", N_("from 1880 to 2100"))},
    ),
    "support": (
        _Support,
        {"negative_hours": ("hours_per_week", ""), "end_before_start": ("end_date", "")},
    ),
    "awareness": (
        _Awareness,
        {
            "out_of_range": ("contact_every_days", N_("a number of days above 0")),
            "self_awareness": ("about_helper_id", ""),
        },
    ),
}
