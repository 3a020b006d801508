"""Shared behaviour of per-qualifier settings that point at $LATEST, a published version or an alias."""

from __future__ import annotations

from ..arns import LATEST


class QualifierTargetMixin:
    """For models with `function`, `version` (nullable) and `alias` (nullable) foreign keys."""

    @property
    def qualifier(self) -> str:
        if self.alias_id:
            return self.alias.name
        if self.version_id:
            return self.version.version
        return LATEST

    @property
    def function_arn(self) -> str:
        """The qualified ARN AWS shows for this setting."""
        return self.function.qualified_arn(self.qualifier)

    def resolved_version(self):
        """The published version this setting applies to now (an alias's primary version); None for $LATEST."""
        if self.alias_id:
            return self.alias.version
        return self.version
