"""Any other address: a plain "page not found" with the way back."""

import dash
import dash_mantine_components as dmc

from dashboards.components.widgets import notice_heading
from dashboards.i18n import current_language
from graph.language import translate

__all__ = ["layout", "register", "register_callbacks"]


def register() -> None:
    """Add the page to Dash's page registry (Dash shows it for unknown paths)."""
    dash.register_page(__name__, path="/404", name="Not found", title="carecircle", layout=layout)


def layout(**_query) -> dmc.Alert:
    """The notice, in the user's language."""
    lang = current_language()
    return dmc.Alert(
        [
            dmc.Text(translate("There is no page at this address.", lang)),
            dmc.Anchor(translate("Back to the overview", lang), href="/"),
        ],
        title=notice_heading(translate("Page not found", lang)),
        color="gray",
        id="not-found",
    )


def register_callbacks(app: dash.Dash) -> None:
    """The page has no callbacks."""
