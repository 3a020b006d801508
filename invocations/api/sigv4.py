"""Verify AWS Signature Version 4 on incoming requests, with botocore's own canonicalisation (issue 5, point 2).

The server rebuilds the request the client signed (method, path and query exactly as sent, the signed headers
only, the body) as a botocore AWSRequest, lets botocore's SigV4Auth compute the canonical request, the string to
sign and the signature with the secret we hold for the access key, and compares in constant time.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials
from django.conf import settings
from django.http import HttpRequest
from django.utils.datastructures import CaseInsensitiveMapping

from invocations.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

logger = logging.getLogger(__name__)

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "lambda"
TERMINATOR = "aws4_request"
# AWS's SigV4 documentation allows a request time within 15 minutes of the server's clock.
MAX_CLOCK_SKEW = timedelta(minutes=15)

DEMO_ACCESS_KEY_ID = "test"
DEMO_SECRET_ACCESS_KEY = "test"

INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid."
SIGNATURE_MISMATCH_MESSAGE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)
PAYLOAD_HASH_MISMATCH_MESSAGE = "The provided 'x-amz-content-sha256' header does not match what was computed."


@dataclass(frozen=True)
class Authorization:
    """The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header."""

    access_key_id: str
    date: str
    region: str
    service: str
    terminator: str
    signed_headers: tuple[str, ...]
    signature: str


@dataclass(frozen=True)
class SignedBy:
    """Who signed a verified request, and where and when they said they signed it."""

    access_key_id: str
    region: str
    signed_at: datetime


@dataclass(frozen=True)
class WireRequest:
    """What a signature covers, as received: Django's request (`wire_request`) or a bare ASGI request (the lean
    Invoke route, lambdaviz/asgi.py) both become one of these."""

    method: str
    scheme: str
    path: str  # as sent, still percent-encoded
    query_string: str
    headers: Mapping[str, str]  # case-insensitive
    body: bytes


def wire_request(request: HttpRequest) -> WireRequest:
    return WireRequest(
        method=request.method or "",
        scheme=request.scheme,
        path=wire_path(request),
        query_string=request.META.get("QUERY_STRING", ""),
        headers=request.headers,
        body=request.body,
    )


def asgi_wire_request(scope: Mapping, body: bytes) -> WireRequest:
    """An ASGI HTTP request; repeated headers are joined with "," as Django's ASGI handler joins them."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", ()):
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    return WireRequest(
        method=scope["method"],
        scheme=scope.get("scheme") or "http",
        path=(scope.get("raw_path") or quote(scope["path"], safe="/").encode()).split(b"?", 1)[0].decode("latin-1"),
        query_string=scope.get("query_string", b"").decode("latin-1"),
        headers=CaseInsensitiveMapping(headers),
        body=body,
    )


@functools.lru_cache(maxsize=256)
def signing_time(timestamp: str) -> datetime:
    """SigV4's basic ISO-8601 time as a UTC datetime (ValueError if it is not one). Cached: strptime is slow, and
    a client signs every request of the same second with the same timestamp."""
    return datetime.strptime(timestamp, SIGV4_TIMESTAMP).replace(tzinfo=UTC)


def configured_credentials() -> dict[str, str]:
    """Access key id → secret access key, from settings (the demo pair test/test when they are not set)."""
    access_key_id = getattr(settings, "LAMBDAVIZ_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
    secret_access_key = getattr(settings, "LAMBDAVIZ_SECRET_ACCESS_KEY", DEMO_SECRET_ACCESS_KEY)
    return {access_key_id: secret_access_key}


def using_demo_credentials() -> bool:
    """True when the server accepts the well-known demo pair test/test."""
    return configured_credentials().get(DEMO_ACCESS_KEY_ID) == DEMO_SECRET_ACCESS_KEY


def parse_authorization(header: str) -> Authorization:
    """Split the Authorization header into its parts, refusing it as AWS does when parts are missing."""
    algorithm, _, rest = header.strip().partition(" ")
    if algorithm != ALGORITHM and algorithm.startswith("AWS4-"):
        raise IncompleteSignatureException(f"Unsupported AWS 'algorithm': '{algorithm}'.")
    fields: dict[str, str] = {}
    if algorithm == ALGORITHM:
        for part in (p.strip() for p in rest.split(",")):
            if not part:
                continue
            name, equals, value = part.partition("=")
            if not equals:
                raise IncompleteSignatureException(
                    f"'{part}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'."
                )
            fields[name.strip()] = value.strip()
    missing = [name for name in ("Credential", "Signature", "SignedHeaders") if not fields.get(name)]
    if missing:
        required = " ".join(f"Authorization header requires '{name}' parameter." for name in missing)
        raise IncompleteSignatureException(f"{required} Authorization={header}")
    scope = fields["Credential"].split("/")
    if len(scope) != 5 or not all(scope):
        raise IncompleteSignatureException(
            f"Credential should be scoped with a valid terminator: '{TERMINATOR}', not '{fields['Credential']}'."
        )
    access_key_id, date, region, service, terminator = scope
    return Authorization(
        access_key_id=access_key_id,
        date=date,
        region=region,
        service=service,
        terminator=terminator,
        signed_headers=tuple(h.strip().lower() for h in fields["SignedHeaders"].split(";") if h.strip()),
        signature=fields["Signature"],
    )


def request_timestamp(request: HttpRequest | WireRequest) -> str:
    """The signing time in SigV4's basic ISO-8601 form, from X-Amz-Date (or, failing that, the Date header)."""
    amz_date = request.headers.get("X-Amz-Date")
    if amz_date:
        try:
            signing_time(amz_date)
        except ValueError:
            raise IncompleteSignatureException(
                f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See http://en.wikipedia.org/wiki/ISO_8601"
            ) from None
        return amz_date
    http_date = request.headers.get("Date")
    if http_date:
        try:
            parsed = parsedate_to_datetime(http_date)
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None:
            return parsed.astimezone(UTC).strftime(SIGV4_TIMESTAMP)
    raise IncompleteSignatureException(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        f"Authorization={request.headers.get('Authorization', '')}"
    )


def check_clock(timestamp: str, now: datetime, max_skew: timedelta = MAX_CLOCK_SKEW) -> None:
    """Refuse a request signed too long ago or too far in the future, in AWS's words."""
    signed_at = signing_time(timestamp)
    minutes = int(max_skew.total_seconds() // 60)
    if signed_at < now - max_skew:
        raise InvalidSignatureException(
            f"Signature expired: {timestamp} is now earlier than {_stamp(now - max_skew)} "
            f"({_stamp(now)} - {minutes} min.)"
        )
    if signed_at > now + max_skew:
        raise InvalidSignatureException(
            f"Signature not yet current: {timestamp} is still later than {_stamp(now + max_skew)} "
            f"({_stamp(now)} + {minutes} min.)"
        )


def check_scope(auth: Authorization, timestamp: str, service: str = SERVICE) -> None:
    """The credential scope must name this service, the terminator, and the day of the signing time."""
    if auth.terminator != TERMINATOR:
        raise IncompleteSignatureException(
            f"Credential should be scoped with a valid terminator: '{TERMINATOR}', not '{auth.terminator}'."
        )
    if auth.service != service:
        raise InvalidSignatureException(f"Credential should be scoped to correct service: '{service}'. ")
    if auth.date != timestamp[:8]:
        raise InvalidSignatureException(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{auth.date}' != '{timestamp[:8]}', from '{timestamp}'."
        )
    if "host" not in auth.signed_headers:
        raise IncompleteSignatureException("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")


def check_payload_hash(request: WireRequest) -> None:
    """An x-amz-content-sha256 header, when sent, must be the SHA-256 of the body actually received."""
    claimed = request.headers.get("X-Amz-Content-SHA256")
    if claimed is not None and claimed.lower() != hashlib.sha256(request.body).hexdigest():
        raise InvalidSignatureException(PAYLOAD_HASH_MISMATCH_MESSAGE)


def wire_path(request: HttpRequest) -> str:
    """The request path as the client sent it, still percent-encoded (SigV4 signs it that way).

    Daphne (ASGI) keeps it in scope["raw_path"]; some WSGI servers in RAW_URI or REQUEST_URI. Django's own WSGI
    servers (runserver without daphne, the test live server) only keep the decoded path: it is then encoded again
    the way AWS's SDKs encode URI labels (everything but unreserved characters and "/"), which is how botocore
    and the AWS CLI send `$LATEST` (%24LATEST) and the colons of an ARN (%3A).
    """
    scope = getattr(request, "scope", None)
    if isinstance(scope, Mapping) and scope.get("raw_path"):
        return scope["raw_path"].split(b"?", 1)[0].decode("latin-1")
    for key in ("RAW_URI", "REQUEST_URI"):
        raw = request.META.get(key)
        if raw and raw.startswith("/"):
            return raw.split("?", 1)[0]
    return quote(request.path, safe="/")


def query_params(query_string: str) -> list[tuple[str, str]]:
    """The query string's pairs, decoded; botocore encodes them again, sorted, as the canonical query string."""
    pairs = []
    for part in query_string.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((unquote(name), unquote(value)))
    return pairs


class _ServerSideSigV4(SigV4Auth):
    """SigV4Auth with the client's list of signed headers instead of botocore's client-side choice of headers."""

    def __init__(
        self, credentials: Credentials, region: str, signed_headers: tuple[str, ...], service: str = SERVICE
    ) -> None:
        super().__init__(credentials, service, region)
        self._signed_header_names = signed_headers

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        headers = HTTPHeaders()
        for name in self._signed_header_names:
            headers[name] = request.headers.get(name, "")
        return headers


def expected_signature(request: WireRequest, auth: Authorization, secret_access_key: str, timestamp: str) -> str:
    """The signature the client should have sent, computed by botocore from the request as received."""
    headers = HTTPHeaders()
    for name in auth.signed_headers:
        value = request.headers.get(name)
        if value is not None:
            headers[name] = value
    aws_request = AWSRequest(
        method=request.method,
        url=f"{request.scheme}://lambdaviz{request.path}",
        headers=headers,
        data=request.body,
        params=query_params(request.query_string),
    )
    aws_request.context["timestamp"] = timestamp
    signer = _ServerSideSigV4(
        Credentials(auth.access_key_id, secret_access_key), auth.region, auth.signed_headers, auth.service
    )
    canonical_request = signer.canonical_request(aws_request)
    string_to_sign = signer.string_to_sign(aws_request, canonical_request)
    logger.debug("SigV4 canonical request:\n%s\nString to sign:\n%s", canonical_request, string_to_sign)
    return signer.signature(string_to_sign, aws_request)


def verify_request(
    request: HttpRequest | WireRequest,
    *,
    credentials: Mapping[str, str] | None = None,
    now: datetime | None = None,
    max_skew: timedelta = MAX_CLOCK_SKEW,
    service: str = SERVICE,
) -> SignedBy:
    """Check the request's SigV4 signature; return who signed it, or raise the AWS error a real endpoint sends.

    `credentials` maps access key ids to secrets (default: the settings); `now` is for tests; `service` is the
    signing name the credential scope must carry ("lambda", "monitoring" for CloudWatch, ...).
    """
    header = request.headers.get("Authorization")
    if not header:
        raise MissingAuthenticationTokenException()
    auth = parse_authorization(header)
    secret = (configured_credentials() if credentials is None else credentials).get(auth.access_key_id)
    if secret is None:
        raise UnrecognizedClientException(INVALID_TOKEN_MESSAGE)
    timestamp = request_timestamp(request)
    check_clock(timestamp, now or datetime.now(UTC), max_skew)
    check_scope(auth, timestamp, service)
    if isinstance(request, HttpRequest):  # only now: the header checks come first, even for an oversized body
        request = wire_request(request)
    check_payload_hash(request)
    expected = expected_signature(request, auth, secret, timestamp)
    if not hmac.compare_digest(expected.encode(), auth.signature.encode()):
        raise InvalidSignatureException(SIGNATURE_MISMATCH_MESSAGE)
    return SignedBy(
        access_key_id=auth.access_key_id,
        region=auth.region,
        signed_at=signing_time(timestamp),
    )


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(SIGV4_TIMESTAMP)
