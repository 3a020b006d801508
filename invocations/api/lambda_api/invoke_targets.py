"""Which function an Invoke names, and how long it may run: looked up once per configuration version.

Every committed change to functions, versions, aliases, concurrency or account settings gives the runtime's
configuration version a new token (invocations/signals.py → runtime/connection.config_changed). A lookup made under
one version stays right until the version moves on, so an unchanged function costs no database query; a deleted
function or alias, or a new timeout, is seen by the first Invoke after the change commits.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db import close_old_connections

from invocations import selectors

MAX_CACHED = 4096  # distinct (name, qualifier) pairs; past this the cache starts over


@dataclass(frozen=True)
class Target:
    """What the host is asked to invoke ("name" or "name:qualifier") and the longest timeout it may run for."""

    name: str
    timeout_s: float


def resolve(function_name: str, qualifier: str | None) -> Target:
    """Check the function and qualifier exist (404 otherwise) before anything reaches the host."""
    qualified = selectors.function_get(function_name, qualifier)
    timeouts = [qualified.configuration.timeout]
    alias = qualified.alias
    if alias is not None and alias.routing_version is not None:
        timeouts.append(alias.routing_version.timeout)
    name = qualified.function.name
    return Target(f"{name}:{qualified.qualifier}" if qualified.qualifier else name, float(max(timeouts)))


class TargetCache:
    """Targets found under one configuration version. The version must be read BEFORE the database: a lookup
    that raced a change is then filed under the old version, which the change has already made stale."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: bytes | None = None
        self._targets: dict[tuple[str, str | None], Target] = {}

    @property
    def version(self) -> bytes | None:
        """The version the cached targets were found under."""
        return self._version

    def get(self, version: bytes | None, function_name: str, qualifier: str | None) -> Target | None:
        with self._lock:
            if version is None or version != self._version:
                return None
            return self._targets.get((function_name, qualifier))

    def put(self, version: bytes | None, function_name: str, qualifier: str | None, target: Target) -> None:
        if version is None:  # no version yet: nothing would tell us of the next change
            return
        with self._lock:
            if version != self._version or len(self._targets) >= MAX_CACHED:
                self._version, self._targets = version, {}
            self._targets[(function_name, qualifier)] = target

    def resolve(self, version: bytes | None, function_name: str, qualifier: str | None) -> Target:
        """The cached target, or a lookup (404s and validation errors are raised, not cached)."""
        target = self.get(version, function_name, qualifier)
        if target is None:
            target = resolve(function_name, qualifier)
            self.put(version, function_name, qualifier, target)
        return target

    def resolve_outside_request(self, version: bytes | None, function_name: str, qualifier: str | None) -> Target:
        """`resolve` for callers outside Django's request cycle (the lean ASGI route): database connections are
        opened and released as a request would (request_started / request_finished close_old_connections)."""
        target = self.get(version, function_name, qualifier)
        if target is not None:
            return target
        close_old_connections()
        try:
            return self.resolve(version, function_name, qualifier)
        finally:
            close_old_connections()


targets = TargetCache()
