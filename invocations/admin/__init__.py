"""The teacher's admin: every model, secrets masked, versions read-only, publishing and aliases via the services."""

from . import (  # noqa: F401
    account,
    alarms,
    aliases,
    async_config,
    aws_services,
    concurrency,
    front_doors,
    functions,
    mappings,
    records,
    sources,
)
