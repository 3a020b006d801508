"""The event vocabulary: typed, frozen, slotted, past-tense facts, few per invocation (issue 3, point 9)."""

from __future__ import annotations

import dataclasses
import inspect
import json
import re

import pytest

from invocations.engine import events
from invocations.engine.events import Event, InvocationCompleted, ListSink, event_to_dict
from invocations.engine.sources import events as source_events

from .helpers import function, make

# The engine's own events and the event source pollers' (invocations/engine/sources/events.py).
EVENT_TYPES = [
    obj
    for module in (events, source_events)
    for _, obj in inspect.getmembers(module, inspect.isclass)
    if issubclass(obj, Event) and obj is not Event and obj.__module__ == module.__name__
]


@pytest.mark.parametrize("cls", EVENT_TYPES, ids=lambda c: c.__name__)
def test_every_event_is_a_frozen_slotted_dataclass_named_in_the_past_tense(cls):
    assert dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen
    assert "__slots__" in cls.__dict__
    assert re.search(r"(?:[a-z]ed|Began|Sent|Redriven)(?:To[A-Z]+)?$", cls.__name__), cls.__name__


def test_events_cannot_be_changed_after_the_fact():
    sim = make(function())
    sim.invoke()
    sim.clock.run(until=1)
    event = sim.sink.events[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.at = 5.0  # type: ignore[misc]
    assert not hasattr(event, "__dict__")


def test_a_warm_invocation_emits_exactly_one_event_carrying_its_whole_path():
    # issue 3 point 9: source -> alias -> version -> environment -> outcome in one InvocationCompleted
    sim = make(function())
    sim.invoke()
    sim.clock.run(until=1)
    before = len(sim.sink.events)
    sim.invoke("fn", source="api-gateway")
    sim.clock.run(until=2)
    (event,) = sim.sink.events[before:]
    assert isinstance(event, InvocationCompleted)
    assert (event.source, event.qualifier, event.alias, event.result.executed_version, event.env_id) == (
        "api-gateway",
        "$LATEST",
        None,
        "$LATEST",
        1,
    )
    assert (str(event.result.outcome), event.result.cold_start, event.started_at, event.at) == (
        "Success",
        False,
        1,
        1.1,
    )


def test_events_serialise_to_json_ready_dicts():
    sim = make(function())
    sim.invoke()
    sim.clock.run()
    dicts = [event_to_dict(e) for e in sim.sink.events]
    json.dumps(dicts)
    completed = next(d for d in dicts if d["type"] == "InvocationCompleted")
    assert completed["result"]["outcome"] == "Success" and completed["invocation_type"] == "RequestResponse"


def test_the_list_sink_keeps_order_and_filters_by_type():
    sink = ListSink()
    a, b = Event(1.0), events.AsyncEventAccepted(2.0, "r", "fn", "$LATEST", "sdk")
    sink.emit(a), sink.emit(b)
    assert sink.events == [a, b] and sink.of_type(events.AsyncEventAccepted) == [b]
