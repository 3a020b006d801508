"""AsyncItem <-> JSON-able dict, explicit rather than pickle: readable in redis-cli, safe to load, versionable."""

# Every slot of AsyncItem is carried (so a slot added later travels too, or fails loudly if it is not JSON-able);
# InvokeResult values (`last`, `last_refusal`) are written field by field and rebuilt as InvokeResult.

from __future__ import annotations

import dataclasses
import json
from typing import Any

from invocations.engine.async_invoke import AsyncItem
from invocations.engine.outcomes import InvokeResult, Outcome

_RESULT_FIELDS = {f.name for f in dataclasses.fields(InvokeResult)}


def result_to_dict(result: InvokeResult) -> dict[str, Any]:
    return {name: getattr(result, name) for name in _RESULT_FIELDS} | {"logs": list(result.logs)}


def result_from_dict(fields: dict[str, Any]) -> InvokeResult:
    known = {k: v for k, v in fields.items() if k in _RESULT_FIELDS}  # tolerate a field dropped since
    known["outcome"] = Outcome(known["outcome"])
    known["logs"] = tuple(known.get("logs", ()))
    return InvokeResult(**known)


def item_to_dict(item: AsyncItem) -> dict[str, Any]:
    """{"fields": plain slots, "results": InvokeResult slots}; separate, so no payload can be mistaken for one."""
    fields: dict[str, Any] = {}
    results: dict[str, dict[str, Any]] = {}
    for name in AsyncItem.__slots__:
        value = getattr(item, name)
        if isinstance(value, InvokeResult):
            results[name] = result_to_dict(value)
        else:
            fields[name] = value
    return {"fields": fields, "results": results}


def item_from_dict(data: dict[str, Any]) -> AsyncItem:
    item = AsyncItem.__new__(AsyncItem)  # not __init__: the stored state is set slot by slot below
    for name in AsyncItem.__slots__:
        setattr(item, name, None)
    for name, value in data["fields"].items():
        if name in AsyncItem.__slots__:
            setattr(item, name, value)
    for name, value in data["results"].items():
        setattr(item, name, result_from_dict(value))
    return item


def item_to_json(item: AsyncItem) -> str:
    return json.dumps(item_to_dict(item), separators=(",", ":"))


def item_from_json(raw: bytes | str) -> AsyncItem:
    return item_from_dict(json.loads(raw))
