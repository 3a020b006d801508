"""Fast constructors for slotted dataclasses on the hot path: same fields and defaults, built faster.

fast_frozen_init: a frozen dataclass's generated __init__ calls object.__setattr__(self, "name", value) per field,
which looks the attribute up every time (~1.8 µs for 16 fields). This one calls each slot's member descriptor
directly (~0.8 µs).

keyword_constructor: calling a class with keyword arguments builds a dict per call and binds it again in __init__
(Python 3.11: InvokeResult(request_id=..., ...) ~0.95 µs against ~0.57 µs positionally). A function with
keyword-only parameters binds keywords without a dict, and building the instance itself skips the class call:
~0.6 µs, so the hot path names every field it sets for about the price of positional arguments.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def fast_frozen_init(cls: type[T]) -> type[T]:
    """Replace `cls.__init__`; apply on top of @dataclass(frozen=True, slots=True). Fields with a default_factory,
    kw_only fields and __post_init__ are not supported (the hot classes have none) and are refused loudly."""
    params = dataclasses.fields(cls)  # type: ignore[arg-type]
    if not cls.__dataclass_params__.frozen or "__slots__" not in cls.__dict__:  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__} must be a frozen, slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has __post_init__")
    namespace: dict[str, object] = {}
    signature, body = [], []
    for f in params:
        if f.default_factory is not dataclasses.MISSING or f.kw_only or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: unsupported field options")
        namespace[f"_set_{f.name}"] = getattr(cls, f.name).__set__  # the slot's member descriptor
        if f.default is dataclasses.MISSING:
            signature.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            signature.append(f"{f.name}=_default_{f.name}")
        body.append(f"    _set_{f.name}(self, {f.name})")
    source = f"def __init__(self, {', '.join(signature)}):\n" + "\n".join(body) + "\n"
    exec(source, namespace)  # noqa: S102 - generated from field names only, like dataclasses itself does
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[misc]
    return cls


def keyword_constructor(cls: type[T]) -> Callable[..., T]:
    """A function taking `cls`'s init fields as keyword-only arguments, with their defaults, that returns the
    instance `cls(**kwargs)` would. For a slotted dataclass, frozen or not, with no __post_init__ and no
    default_factory. Fields with init=False are left unset, as the dataclass's own __init__ leaves them."""
    if "__slots__" not in cls.__dict__ or not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} must be a slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has __post_init__")
    frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    namespace: dict[str, object] = {"_new": object.__new__, "_cls": cls}
    signature, body = [], []
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not f.init:
            continue
        if f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: unsupported field options")
        if f.default is dataclasses.MISSING:
            signature.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            signature.append(f"{f.name}=_default_{f.name}")
        if frozen:  # a frozen class refuses attribute assignment; its slot's member descriptor does not
            namespace[f"_set_{f.name}"] = getattr(cls, f.name).__set__
            body.append(f"    _set_{f.name}(self, {f.name})")
        else:
            body.append(f"    self.{f.name} = {f.name}")
    source = f"def new(*, {', '.join(signature)}):\n    self = _new(_cls)\n" + "\n".join(body) + "\n    return self\n"
    exec(source, namespace)  # noqa: S102 - generated from field names only, like dataclasses itself does
    new = namespace["new"]
    new.__name__ = new.__qualname__ = f"new_{cls.__name__}"  # type: ignore[attr-defined]
    new.__doc__ = f"{cls.__name__} by keyword (fastinit.keyword_constructor)."
    return new  # type: ignore[return-value]
