"""How a browser calls one of the dashboard's Dash callbacks: the JSON it posts.

The load benchmark replays callbacks with it, and the tests call callbacks through the Flask test
client with it.
"""

__all__ = ["callback_body"]


def callback_body(app, output_id: str, inputs: dict[str, object]) -> dict:
    """The JSON a browser posts to ``/_dash-update-component`` for the callback writing ``output_id``.

    ``inputs`` maps "component.property" to a value; inputs not given are sent as None.
    """
    for key in app.callback_map:
        outputs = [part for part in key.strip(".").split("...") if part]
        if any(part.split(".")[0] == output_id for part in outputs):
            break
    else:
        raise KeyError(output_id)
    callback = app.callback_map[key]
    output_list = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in outputs]
    return {
        "output": key,
        "outputs": output_list if len(output_list) > 1 else output_list[0],
        "inputs": [
            {**spec, "value": inputs.get(f"{spec['id']}.{spec['property']}")} for spec in callback["inputs"]
        ],
        "state": [{**spec, "value": None} for spec in callback["state"]],
        "changedPropIds": [f"{spec['id']}.{spec['property']}" for spec in callback["inputs"][:1]],
    }
