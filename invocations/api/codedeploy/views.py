"""The CodeDeploy endpoints: the CBOR path and POST / with a CodeDeploy target (routed by invocations/api/root.py),
signing name "codedeploy", served by the shared wire (invocations/api/wire/endpoint.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ...services.codedeploy_errors import CodeDeployError, InternalFailure
from ..wire import codec
from ..wire.codec import CBOR, JSON
from ..wire.endpoint import serve
from .operations import OPERATIONS
from .protocols import CODEDEPLOY

SIGNING_NAME = "codedeploy"


def is_codedeploy_request(request: HttpRequest) -> bool:
    """A POST to / for CodeDeploy: awsJson1_1 names its target."""
    return request.headers.get("X-Amz-Target", "").startswith(f"{CODEDEPLOY.target_prefix}.")


@csrf_exempt
def cbor_operation(request: HttpRequest, operation: str) -> HttpResponse:
    return _serve(request, CBOR, lambda: codec.decode(CODEDEPLOY, CBOR, operation, request.body))


@csrf_exempt
def json_operation(request: HttpRequest) -> HttpResponse:
    name = request.headers.get("X-Amz-Target", "").partition(".")[2]
    return _serve(request, JSON, lambda: codec.decode(CODEDEPLOY, JSON, name, request.body))


def _serve(request: HttpRequest, protocol: str, decode: Callable[[], codec.Request]) -> HttpResponse:
    return serve(
        request,
        wire=CODEDEPLOY,
        protocol=protocol,
        signing_name=SIGNING_NAME,
        decode=decode,
        operations=OPERATIONS,
        service_errors=(CodeDeployError,),
        internal_error=InternalFailure,
    )
