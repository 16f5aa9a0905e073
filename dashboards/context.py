"""What a page needs to know about the app it runs in: the data, the pilot, the threshold k."""

from dataclasses import dataclass
from datetime import date

from dashboards.data import DataSource, SnapshotView

__all__ = ["SETTINGS_KEY", "Settings", "current", "selected_day", "selected_view"]

SETTINGS_KEY = "CARECIRCLE_SETTINGS"


@dataclass(frozen=True)
class Settings:
    """One dashboard's settings, kept in its Flask config (several apps may share a process)."""

    data: DataSource
    store: str
    pilot: str | None = None
    k: int = 5


def current() -> Settings:
    """The settings of the app serving the current request."""
    from flask import current_app

    return current_app.config[SETTINGS_KEY]


def selected_day(as_of: str | None) -> date | None:
    """The date the header's snapshot select holds; None when it holds none (or nonsense).

    Examples
    --------
    >>> selected_day("2024-06-01"), selected_day("not a date"), selected_day(None)
    (datetime.date(2024, 6, 1), None, None)
    """
    try:
        return date.fromisoformat(as_of) if as_of else None
    except ValueError:
        return None


def selected_view(as_of: str | None) -> SnapshotView | None:
    """The analysed snapshot the header's select names (the newest when none), or None."""
    return current().data.view(selected_day(as_of))
