"""The "Compare with the snapshot of" choice of the pages that compare two snapshots (the agenda,
finding each other): the earlier stored snapshots, the one before the header's snapshot first."""

from collections.abc import Callable
from datetime import date

import dash
import dash_mantine_components as dmc
from dash import Input, Output

from dashboards import ids
from dashboards.context import current, selected_day
from graph.language import translate

__all__ = ["register_since", "since_options", "since_select"]


def since_select(component_id: str, lang: str, **style) -> dmc.Select:
    """The choice of the earlier snapshot, filled by the callback of :func:`register_since`."""
    return dmc.Select(
        id=component_id,
        label=translate("Compare with the snapshot of", lang),
        data=[],
        placeholder=translate("No earlier snapshot", lang),
        allowDeselect=False,
        w=280,
        size="xs",
        **style,
    )


def register_since(app: dash.Dash, component_id: str, guard: Callable = lambda callback: callback) -> None:
    """Fill ``component_id`` with the snapshots before the header's, and choose the one before;
    ``guard`` wraps the callback (the agenda's is for the team only)."""

    @app.callback(
        Output(component_id, "data"),
        Output(component_id, "value"),
        Input(ids.SNAPSHOT, "value"),
    )
    @guard
    def choose_since(as_of: str | None):
        options = since_options([info.as_of for info in current().data.earlier(selected_day(as_of))])
        return options, options[0]["value"] if options else None


def since_options(earlier: list[date]) -> list[dict]:
    """The options of "compare with": the earlier stored snapshots, newest (the one before) first.

    Examples
    --------
    >>> since_options([date(2024, 3, 1), date(2023, 12, 1)])
    [{'value': '2024-03-01', 'label': '2024-03-01'}, {'value': '2023-12-01', 'label': '2023-12-01'}]
    """
    return [{"value": when.isoformat(), "label": when.isoformat()} for when in earlier]
