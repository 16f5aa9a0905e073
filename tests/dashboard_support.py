"""Shared pieces of the dashboard tests: a store with three snapshots, a live server, callback calls."""

import json
import threading
from contextlib import contextmanager
from pathlib import Path

from benchmarks.dash_client import callback_body
from carecircle.synthetic import generate_series
from graph.stores import SqliteStore
from tests.datasets import ingest

#: a need that a spreadsheet would run as a formula: it must reach a CSV export neutralised
FORMULA_NEED = "=1+2"
DEMO_RESIDENTS = 300


def build_store(folder: Path, residents: int = DEMO_RESIDENTS) -> Path:
    """Three snapshots of a generated municipality (pilot improving) in one store.

    The newest snapshot has one more resident, ``R-FORMULA`` in Stedenwijk, whose need
    starts with ``=``.
    """
    series = generate_series(folder / "datasets", residents=residents, seed=11)
    newest = series[-1].path / "residents.csv"
    with newest.open("a", encoding="utf-8") as handle:
        handle.write(f"R-FORMULA,Stedenwijk,Formula Test,,1950,true,{FORMULA_NEED}\n")
    store = folder / "carecircle.db"
    with SqliteStore(store) as target:
        for dataset in series:
            result = ingest(dataset.path)
            target.save(result.snapshot, {**result.report.as_dict(), "written": True})
    return store


@contextmanager
def live_server(app):
    """Serve ``app`` with waitress on a free port of 127.0.0.1; yield its base URL."""
    from waitress import create_server

    server = create_server(app.server, host="127.0.0.1", port=0, threads=8, ident="carecircle-test")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=10)


def post_callback(client, app, output_id: str, inputs: dict[str, object]):
    """Call a callback the way the browser does, through the Flask test client."""
    return client.post(
        "/_dash-update-component",
        data=json.dumps(callback_body(app, output_id, inputs)),
        content_type="application/json",
    )


def response_text(response) -> str:
    """A response body as readable text: JSON is decoded, so that "Piqué" is not hidden as "Piqu\\u00e9"."""
    text = response.get_data(as_text=True)
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text
