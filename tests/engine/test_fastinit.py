"""fast_frozen_init and keyword_constructor keep a slotted dataclass's behaviour while constructing it faster."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from invocations.engine.events import Event
from invocations.engine.fastinit import fast_frozen_init, keyword_constructor
from invocations.engine.invocation import Attempt, new_attempt
from invocations.engine.outcomes import InvokeResult, Outcome, new_result


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


def test_a_keyword_constructor_builds_what_the_class_builds_from_the_same_keywords():
    kw = dict(request_id="r", outcome=Outcome.SUCCESS, status_code=200, executed_version="1", payload=[1], logs=("a",))
    result = new_result(**kw)
    assert type(result) is InvokeResult and result == InvokeResult(**kw)
    assert (result.function_error, result.billed_ms, result.runtime) == (None, 0, "python3.13")  # the defaults
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.payload = None  # type: ignore[misc]


def test_a_keyword_constructor_takes_keywords_only_and_only_the_fields():
    with pytest.raises(TypeError):
        new_result("r", Outcome.SUCCESS, 200, "1", None)
    with pytest.raises(TypeError):
        new_result(request_id="r", outcome=Outcome.SUCCESS, status_code=200, executed_version="1")  # no payload
    with pytest.raises(TypeError):
        new_result(request_id="r", outcome=Outcome.SUCCESS, status_code=200, executed_version="1", payload=1, x=2)


def test_fields_outside_init_are_left_unset_as_the_dataclass_leaves_them():
    made = new_attempt(request_id="r", payload={}, route=None, source="sdk", invocation_type="RequestResponse")
    built = Attempt("r", {}, None, "sdk", "RequestResponse")  # type: ignore[arg-type]
    assert repr(made) == repr(built)
    for attempt in (made, built):
        with pytest.raises(AttributeError):
            attempt.env  # noqa: B018 - set by Engine._admit, not at construction
    made.number = 2  # an Attempt is mutable: the engine fills it in
    assert made.number == 2


def test_keyword_constructors_refuse_what_they_cannot_build():
    @dataclass(slots=True)
    class WithFactory:
        items: list = field(default_factory=list)

    @dataclass(frozen=True)
    class NotSlotted:
        x: int

    @dataclass(slots=True)
    class PostInit:
        x: int

        def __post_init__(self) -> None:
            self.x += 1

    for cls in (WithFactory, NotSlotted, PostInit):
        with pytest.raises(TypeError):
            keyword_constructor(cls)
