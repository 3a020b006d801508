"""The teacher's admin: every model, secrets masked, versions read-only, publishing and aliases via the services."""

from . import account, alarms, aliases, async_config, concurrency, front_doors, functions, mappings, records, sources  # noqa: F401
