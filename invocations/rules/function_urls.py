"""Function URL rules: which qualifiers a URL may name, its auth types and invoke modes, and its address here."""

from __future__ import annotations

import re

from ..errors import ValidationException
from .messages import enum_failed, pattern_failed

AUTH_TYPES = ["NONE", "AWS_IAM"]
INVOKE_MODES = ["BUFFERED", "RESPONSE_STREAM"]
QUALIFIER_SHOWN = r"((?!^\d+$)^[0-9a-zA-Z-_]+$)"
_QUALIFIER = re.compile(r"^(?!^\d+$)[0-9a-zA-Z\-_]{1,128}$")
FUNCTION_MISSING = "Function does not exist"
NOT_FOUND = "The resource you requested does not exist."
# Host-based address: `*.localhost` resolves to loopback in browsers and curl (RFC 6761), so no DNS is needed.
HOST_SUFFIX = "localhost"
HOST_PATTERN = re.compile(r"^(?P<url_id>[a-z0-9]{32})\.lambda-url\.(?P<region>[a-z0-9-]+)\.localhost(?::\d+)?$")
# Path-based address for the LAN, where `*.localhost` only names the student's own laptop.
PATH_PREFIX = "/lambda-url/"


def check_qualifier(qualifier: str | None) -> None:
    """A URL belongs to the unqualified function or to an alias: never $LATEST, never a version number."""
    if qualifier is not None and not _QUALIFIER.match(qualifier):
        raise ValidationException(pattern_failed(qualifier, "qualifier", QUALIFIER_SHOWN))


def check_auth_type(auth_type: str | None) -> None:
    if auth_type is not None and auth_type not in AUTH_TYPES:
        raise ValidationException(enum_failed(auth_type, "authType", AUTH_TYPES))


def check_invoke_mode(invoke_mode: str | None) -> None:
    if invoke_mode is not None and invoke_mode not in INVOKE_MODES:
        raise ValidationException(enum_failed(invoke_mode, "invokeMode", INVOKE_MODES))


def function_url(url_id: str, *, region: str, port: int | str | None) -> str:
    """The FunctionUrl AWS would answer (https://<url-id>.lambda-url.<region>.on.aws/), on this server instead."""
    suffix = f":{port}" if port and str(port) not in ("80",) else ""
    return f"http://{url_id}.lambda-url.{region}.{HOST_SUFFIX}{suffix}/"
