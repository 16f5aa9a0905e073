"""Any other address: a plain "page not found" with the way back, answered with HTTP 404."""

import re
from collections.abc import Iterable, Mapping
from fnmatch import fnmatch

import dash
import dash_mantine_components as dmc
from flask import Response, redirect, request

from dashboards.components.widgets import notice_heading
from dashboards.i18n import current_language
from graph.language import translate

__all__ = ["is_page_address", "layout", "register", "register_callbacks"]


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
    """The page has no callbacks; the page frame of an address no other page has answers 404.

    Dash answers every address with its page frame and status 200, and its pages router then
    draws this page in the browser. The frame still comes (so the notice and the way back show),
    with status 404, so that a link checker, a crawler or a script sees the address is wrong.
    """
    prefix = app.config.routes_pathname_prefix
    frames = {prefix, prefix + "<path:path>"}  # Dash's endpoints of the page frame

    @app.server.route("/favicon.ico")
    def favicon():
        """The browser's default place for the icon (the print views name none): Dash's icon."""
        return redirect(app.get_relative_path("/_favicon.ico"))

    @app.server.after_request
    def not_found_status(response: Response) -> Response:
        if request.endpoint in frames and response.status_code == 200:
            path = "/" + request.path[len(prefix) :]
            if not is_page_address(path, dash.page_registry.values()):
                response.status_code = 404
        return response


def is_page_address(path: str, pages: Iterable[Mapping]) -> bool:
    """Whether Dash's pages router shows a page other than this one at ``path`` (it matches as Dash
    does: surrounding slashes ignored, a ``<variable>`` of a ``path_template`` stands for anything).

    A resident's address is a page whatever the id: whether a resident is known depends on the
    snapshot picked on the page, and a policy account must not learn from a status which ids exist.

    Examples
    --------
    >>> pages = [
    ...     {"module": "overview", "path": "/", "path_template": None},
    ...     {"module": "resident", "path": "/residents/none", "path_template": "/residents/<resident_id>"},
    ...     {"module": __name__, "path": "/404", "path_template": None},
    ... ]
    >>> [is_page_address(p, pages) for p in ("/", "/residents/R-1", "/residents/R-1/", "/nowhere", "/404")]
    [True, True, True, False, False]
    """
    wanted = path.strip("/")
    for page in pages:
        if page["module"] == __name__:
            continue
        template = page.get("path_template")
        if template and fnmatch(wanted, _wildcards(template.strip("/"))):
            return True
        if wanted == page["path"].strip("/"):
            return True
    return False


def _wildcards(template: str) -> str:
    """A ``path_template`` as an fnmatch pattern, as Dash matches it: ``<name>`` becomes ``*``."""
    return re.sub("<.*?>", "*", template)
