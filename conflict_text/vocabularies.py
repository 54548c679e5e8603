"""The closed vocabularies of the warehouse contract, read from data/vocabularies.json."""

import json
from functools import cache
from importlib import resources


@cache
def vocabularies() -> dict[str, tuple[str, ...]]:
    raw = json.loads(resources.files("conflict_text").joinpath("data/vocabularies.json").read_text("utf-8"))
    return {name: tuple(values) for name, values in raw.items()}
