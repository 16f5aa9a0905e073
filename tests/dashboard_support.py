"""Shared pieces of the dashboard tests: a store with three snapshots, a live server, callback calls."""

import json
import threading
from contextlib import contextmanager
from pathlib import Path

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


def callback_body(app, output_id: str, inputs: dict[str, object]) -> dict:
    """The JSON a browser posts to ``/_dash-update-component`` for the callback writing ``output_id``.

    ``inputs`` maps "component.property" to a value; inputs and states not given are sent as None.
    """
    for key in app.callback_map:
        outputs = [part for part in key.strip(".").split("...") if part]
        if any(part.split(".")[0] == output_id for part in outputs):
            return callback_request(app, key, inputs)
    raise KeyError(output_id)


def callback_request(app, key: str, values: dict[str, object]) -> dict:
    """The JSON a browser posts for the callback ``key`` of ``app.callback_map``, its inputs and
    states taken from ``values`` ("component.property" -> value; None when not given)."""
    callback = app.callback_map[key]
    outputs = [part for part in key.strip(".").split("...") if part]
    output_list = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in outputs]

    def filled(specs: list[dict]) -> list[dict]:
        return [{**spec, "value": values.get(f"{spec['id']}.{spec['property']}")} for spec in specs]

    return {
        "output": key,
        "outputs": output_list if len(output_list) > 1 else output_list[0],
        "inputs": filled(callback["inputs"]),
        "state": filled(callback["state"]),
        "changedPropIds": [f"{spec['id']}.{spec['property']}" for spec in callback["inputs"][:1]],
    }


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
