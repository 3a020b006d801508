"""fast_frozen_init keeps a frozen slotted dataclass's behaviour while constructing it faster."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from invocations.engine.events import Event
from invocations.engine.fastinit import fast_frozen_init
from invocations.engine.outcomes import InvokeResult, Outcome


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Sample(Event):
    name: str
    count: int = 3


def test_positional_keyword_and_default_arguments_work_as_before():
    assert Sample(1.0, "a") == Sample(at=1.0, name="a", count=3)
    assert Sample(1.0, "a", 5).count == 5
    with pytest.raises(TypeError):
        Sample(1.0)  # type: ignore[call-arg]


def test_instances_stay_frozen_and_replace_still_works():
    s = Sample(1.0, "a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.name = "b"  # type: ignore[misc]
    assert dataclasses.replace(s, count=9) == Sample(1.0, "a", 9)


def test_the_hot_result_type_keeps_its_defaults():
    r = InvokeResult("id", Outcome.SUCCESS, 200, "1", None)
    assert (r.function_error, r.cold_start, r.logs, r.runtime) == (None, False, (), "python3.13")


def test_unsupported_dataclasses_are_refused():
    @dataclass(frozen=True, slots=True)
    class WithFactory:
        items: list = field(default_factory=list)

    @dataclass(slots=True)
    class NotFrozen:
        x: int

    for cls in (WithFactory, NotFrozen):
        with pytest.raises(TypeError):
            fast_frozen_init(cls)
