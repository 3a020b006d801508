"""The lease that lets one engine host run at a time: taken with SET NX, renewed and released only by its holder."""

from __future__ import annotations

import logging
import os
import uuid

import redis

log = logging.getLogger(__name__)

LEASE = "lv:host:lease"
LEASE_SECONDS = 5  # a host that stops renewing for this long is presumed dead

# Renew only if we still hold it (atomic compare-and-expire): never extend a lease another host has taken.
_RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


class HostLease:
    """`with HostLease(client) as lease:` takes the lease if no host holds it (`lease.held` says whether it did);
    `lease.renew()` keeps it for another `seconds`; leaving the block releases it, but only while it is ours."""

    def __init__(self, client: redis.Redis, *, seconds: int = LEASE_SECONDS) -> None:
        self.client = client
        self.seconds = seconds
        self.holder = f"{os.getpid()}-{uuid.uuid4().hex}"
        self.held = False
        self._taken = False
        self._renew = client.register_script(_RENEW)
        self._release = client.register_script(_RELEASE)

    def __enter__(self) -> HostLease:
        self._taken = self.held = bool(self.client.set(LEASE, self.holder, nx=True, ex=self.seconds))
        return self

    def renew(self) -> bool:
        """Extend the lease; False (and logged) once another host has it or it expired."""
        if self.held and not self._renew(keys=[LEASE], args=[self.holder, self.seconds]):
            log.warning("engine host lost its lease; stopping")
            self.held = False
        return self.held

    def __exit__(self, *exc_info) -> None:
        if self._taken:  # compare-and-delete: a lease another host took since is left alone
            self._release(keys=[LEASE], args=[self.holder])
        self._taken = self.held = False
