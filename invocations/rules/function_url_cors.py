"""A function URL's CORS settings applied to a request: the preflight Lambda answers itself, and the headers it adds
to every other answer for an allowed origin (Cors: AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders, MaxAge,
AllowCredentials). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def allowed_origin(cors: Mapping[str, Any] | None, origin: str | None) -> str | None:
    """What Access-Control-Allow-Origin says for `origin`: "*" when every origin is allowed, the origin when it is
    listed, None when it is not (the browser then refuses the answer)."""
    if not cors or not origin:
        return None
    origins = cors.get("AllowOrigins") or []
    if "*" in origins:
        return "*"
    return origin if origin.lower() in (o.lower() for o in origins) else None


def is_preflight(method: str, headers: Mapping[str, str]) -> bool:
    return method == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers


def preflight_headers(cors: Mapping[str, Any], origin: str | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    allow = allowed_origin(cors, origin)
    if allow is None:
        return headers
    headers["access-control-allow-origin"] = allow
    if cors.get("AllowMethods"):
        headers["access-control-allow-methods"] = ",".join(cors["AllowMethods"])
    if cors.get("AllowHeaders"):
        headers["access-control-allow-headers"] = ",".join(cors["AllowHeaders"])
    if cors.get("MaxAge") is not None:
        headers["access-control-max-age"] = str(cors["MaxAge"])
    if cors.get("AllowCredentials"):
        headers["access-control-allow-credentials"] = "true"
    return headers


def response_headers(cors: Mapping[str, Any] | None, origin: str | None) -> dict[str, str]:
    """Added to the function's answer; they replace any CORS header the function set itself."""
    allow = allowed_origin(cors, origin)
    if allow is None:
        return {}
    headers = {"access-control-allow-origin": allow}
    if cors.get("ExposeHeaders"):
        headers["access-control-expose-headers"] = ",".join(cors["ExposeHeaders"])
    if cors.get("AllowCredentials"):
        headers["access-control-allow-credentials"] = "true"
    return headers
