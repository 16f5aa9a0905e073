"""How a browser calls one of the dashboard's Dash callbacks: the JSON it posts.

The load benchmark replays callbacks with it, and the tests call callbacks through the Flask test
client with it.
"""

__all__ = ["callback_body", "callback_request"]


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
