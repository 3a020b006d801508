"""Does the configured Redis keep what it was given across a restart? Read from the server itself (INFO, CONFIG).

Accepted async events, queued messages, stream records and the invocation-record journal live in Redis until
they are processed and written to the database. Without append-only persistence a Redis restart forgets them.
`make run`'s own Redis runs with `appendonly yes` / `appendfsync everysec` (scripts/redis_service.py); any other
Redis is checked here, and the start-up log (scripts/run.py) and the dashboard's top bar say what can be lost.

Plain redis-py, no Django: scripts/run.py calls it before Django is set up.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

# What lives in Redis until it is processed or written to the database (the README says the same).
AT_RISK = "accepted async events, queued SQS messages, stream records and invocation records not yet in the database"


@dataclass(frozen=True)
class Persistence:
    aof: bool  # append-only file on
    fsync: str  # appendfsync: always / everysec / no ('' when CONFIG GET is refused)
    save: str  # RDB snapshot rules ('' = none)

    @property
    def warning(self) -> str | None:
        """One sentence for a person, or None when a restart loses at most about a second."""
        if self.aof and self.fsync in ("always", "everysec", ""):
            return None
        if self.aof:  # appendfsync no: the OS decides when the file reaches the disk
            return (
                f"Redis appends to disk but does not fsync (appendfsync {self.fsync}): a machine crash can lose "
                f"the last ~30 s of {AT_RISK}."
            )
        if self.save:
            return (
                f"Redis has no append-only persistence, only snapshots (save {self.save}): a Redis restart loses "
                f"the {AT_RISK} since the last snapshot."
            )
        return f"Redis has no persistence: a Redis restart loses all {AT_RISK}."


def redis_persistence(client: redis.Redis) -> Persistence:
    """Read the server's persistence settings (CONFIG may be disabled on a managed Redis: INFO then decides)."""
    info = client.info("persistence")
    aof = bool(int(info.get("aof_enabled", 0)))
    try:
        config = client.config_get("appendfsync")
        config.update(client.config_get("save"))
    except redis.ResponseError:
        config = {}
    return Persistence(aof=aof, fsync=str(config.get("appendfsync", "")), save=str(config.get("save", "")))


def persistence_warning(url: str) -> str | None:
    """The warning for the Redis at `url`, or None; a Redis that does not answer is not this function's concern."""
    try:
        return redis_persistence(redis.Redis.from_url(url, socket_timeout=2)).warning
    except redis.RedisError:
        return None
