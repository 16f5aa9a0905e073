"""What a page needs to know about the app it runs in: the data, the pilot, the threshold k, and
whether the role of the request may see resident-level data."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import dash

from dashboards.access import audit, current_role
from dashboards.components.widgets import store_trouble
from dashboards.data import DataSource, SnapshotView
from dashboards.i18n import current_language
from graph.errors import StoreError

__all__ = [
    "SETTINGS_KEY",
    "Settings",
    "current",
    "on_callback_error",
    "selected_day",
    "selected_view",
    "team_only",
]

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
    """The analysed snapshot the header's select names (the newest when none), or None.

    Raises
    ------
    StoreError
        When the store cannot be read: :func:`on_callback_error` shows it on the page.
    """
    return current().data.view(selected_day(as_of))


def team_only(callback: Callable) -> Callable:
    """Let ``callback``, which returns data about individual residents or helpers, run for the
    team role only.

    The server refuses such callbacks to any other role before they run, by their outputs
    (:data:`dashboards.ids.RESIDENT_LEVEL`); this is each callback's own check behind that one, so
    that an output missing from that list gives nothing away either. For any other role the
    callback returns nothing (Dash's "no update") and the refusal is audited with its outputs.

    Use it under ``@app.callback(...)``::

        @app.callback(Output(ids.RESIDENTS_GRID, "rowData"), Input(ids.SNAPSHOT, "value"))
        @team_only
        def fill(as_of): ...
    """

    @functools.wraps(callback)
    def guarded(*args, **kwargs):
        if current_role() != "team":
            audit("refused", callback=callback.__name__, outputs=_output_ids())
            raise dash.exceptions.PreventUpdate
        return callback(*args, **kwargs)

    return guarded


def _output_ids() -> list[str]:
    """The component ids the running callback writes to."""
    outputs = dash.callback_context.outputs_list
    return sorted({str(output["id"]) for output in (outputs if isinstance(outputs, list) else [outputs])})


def on_callback_error(error: Exception):
    """The app's handler of an error raised in a callback (Dash's ``on_error``).

    A store that cannot be read (damaged, locked, …) is shown on the page: every output that
    holds a page's content (``children``) gets an alert with the store's message in the
    user's language, other outputs stay as they are. The :class:`DataSource` has logged it
    (one line); nothing else is logged. Any other error is raised as it is.
    """
    if not isinstance(error, StoreError):
        raise error
    lang = current_language()
    outputs = dash.callback_context.outputs_list
    shown = [
        store_trouble(error.message(lang), lang) if output["property"] == "children" else dash.no_update
        for output in (outputs if isinstance(outputs, list) else [outputs])
    ]
    return shown if isinstance(outputs, list) else shown[0]
