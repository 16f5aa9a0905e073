"""One module per page: ``register()`` adds it to Dash's pages, ``layout()`` draws its frame,
``register_callbacks(app)`` wires its callbacks, and pure functions compute what it shows."""

from dashboards.pages import (
    agenda,
    collaboration,
    data_quality,
    not_found_404,
    overlaps,
    overview,
    resident,
    residents,
    trends,
)

__all__ = ["PAGES"]

PAGES = (overview, residents, agenda, resident, overlaps, collaboration, trends, data_quality, not_found_404)
