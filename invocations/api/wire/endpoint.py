"""One entrance of a JSON-or-CBOR AWS service: SigV4 first (under the service's signing name), then the
operation, every refusal rendered in the protocol the request came in and never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from ...errors import LambdaError
from ..responses import new_request_id
from ..sigv4 import verify_request
from . import codec
from .errors import UnknownOperation, WireError
from .service import ServiceWire

log = logging.getLogger(__name__)

# The signing front door's refusals, under the query protocol's codes (the JSON protocols name the type itself).
QUERY_AUTH_CODES = {
    "InvalidSignatureException": "SignatureDoesNotMatch",
    "UnrecognizedClientException": "InvalidClientTokenId",
    "MissingAuthenticationTokenException": "MissingAuthenticationToken",
    "IncompleteSignatureException": "IncompleteSignature",
}


class AuthRefusal(WireError):
    fault = "Sender"

    def __init__(self, error: LambdaError) -> None:
        super().__init__(error.message)
        self.error_type = error.error_type
        self.query_code = QUERY_AUTH_CODES.get(error.error_type, error.error_type)
        self.status_code = error.status_code


def serve(
    request: HttpRequest,
    *,
    wire: ServiceWire,
    protocol: str,
    signing_name: str,
    decode: Callable[[], codec.Request],
    operations: Mapping[str, Callable[[dict], dict[str, Any]]],
    service_errors: tuple[type[Exception], ...],
    internal_error: Callable[[str], Any],
) -> HttpResponse:
    """Answer one call: `decode()` reads it, `operations[name](params)` answers it; an error of `service_errors`
    (or of the wire) is sent as AWS sends it, anything else as the service's internal error, logged here."""
    request_id = new_request_id()
    if request.method != "POST":
        return codec.encode_error(wire, protocol, UnknownOperation(f"{request.method} {request.path}"), request_id)
    try:
        verify_request(request, service=signing_name)
    except LambdaError as error:
        return codec.encode_error(wire, protocol, AuthRefusal(error), request_id)
    except RequestDataTooBig:
        return codec.encode_error(wire, protocol, internal_error("Request too large."), request_id)
    try:
        call = decode()
        handler = operations.get(call.name)
        if handler is None:
            raise UnknownOperation(call.name)
        output = handler(call.params)
    except (WireError, *service_errors) as error:
        return codec.encode_error(wire, protocol, error, request_id)
    except Exception:  # never a traceback to the client: AWS's 500, logged here
        log.exception("%s %s failed", wire.model_name, protocol)
        return codec.encode_error(wire, protocol, internal_error("Internal service error."), request_id)
    return codec.encode(wire, call, output, request_id)
