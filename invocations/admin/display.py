"""Small display helpers shared by the admin modules."""

from __future__ import annotations

import json

from django.utils.html import format_html


def as_json(value) -> str:
    """Pretty JSON in a <pre>, for read-only dictionaries."""
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, sort_keys=True, default=str))


def masked_environment(config) -> str:
    """Plain variables in clear, secrets as ****."""
    return as_json(config.environment_masked())
