"""fast_frozen_init and keyword_new keep a slotted dataclass's behaviour while constructing it faster."""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from invocations.engine import fastinit
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


@fastinit.keyword_new
@dataclass(frozen=True, slots=True)
class Frozen:
    name: str
    count: int = 3
    tags: tuple[str, ...] = ()


@fastinit.keyword_new
@dataclass(slots=True, eq=False)
class Mutable:
    name: str
    count: int = 3


def test_keyword_new_builds_what_init_builds_with_the_same_defaults():
    made = Frozen.new(name="a", tags=("x",))
    assert type(made) is Frozen and made == Frozen("a", 3, ("x",)) and hash(made) == hash(Frozen("a", 3, ("x",)))
    assert repr(made) == repr(Frozen("a", 3, ("x",))) and dataclasses.replace(made, count=4) == Frozen("a", 4, ("x",))
    mutable = Mutable.new(name="b")
    assert type(mutable) is Mutable and (mutable.name, mutable.count) == ("b", 3)


def test_keyword_new_is_keyword_only_and_needs_every_field_without_default():
    with pytest.raises(TypeError):
        Frozen.new("a")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Frozen.new(count=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Frozen.new(name="a", colour="red")  # type: ignore[call-arg]


def test_what_keyword_new_builds_stays_frozen():
    made = Frozen.new(name="a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "b"  # type: ignore[misc]


def test_keyword_new_matches_the_positional_constructor_of_the_hot_result_type():
    fields = [f.name for f in dataclasses.fields(InvokeResult)]
    values = ["id", Outcome.TIMEOUT, 200, "2", {"e": 1}, "Unhandled", None, True, 3.5, 4, 1.5, 256, 40, "arn", ("l",)]
    values.append("python3.12")
    assert InvokeResult.new(**dict(zip(fields, values, strict=True))) == InvokeResult(*values)


def test_keyword_new_refuses_what_it_cannot_build():
    @dataclass(frozen=True, slots=True)
    class Derived(Event):
        name: str

    @dataclass(slots=True)
    class WithFactory:
        items: list = field(default_factory=list)

    for cls in (Derived, WithFactory):
        with pytest.raises(TypeError):
            fastinit.keyword_new(cls)


def test_hot_keyword_calls_stay_at_15_keywords_or_fewer():
    # Beyond 15 keywords CPython compiles a call to build a dict, which is what keyword_new exists to avoid.
    root = Path(fastinit.__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "new":
                assert len(node.keywords) <= 15, f"{path.name}:{node.lineno}"
