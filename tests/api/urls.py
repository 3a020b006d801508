"""Test-only views on Lambda's REST paths, behind `aws_signed`, so real boto3 and AWS CLI calls reach them."""

import json
import threading

from django.http import HttpResponse
from django.urls import path

from invocations.api.auth import aws_signed
from invocations.api.responses import aws_json_response, request_id_for
from invocations.errors import (
    InvalidParameterValueException,
    ResourceNotFoundException,
    ServiceException,
    TooManyRequestsException,
)

ARN_PREFIX = "arn:aws:lambda:us-east-1:123456789012:function:"

# Every request that reached a view body, so tests can show a refused request changed nothing.
_reached: list[dict] = []
_lock = threading.Lock()


def _record(request, **details) -> None:
    with _lock:
        _reached.append({"method": request.method, "path": request.path, **details})


def _raise_for(function_name: str) -> None:
    if function_name == "missing":
        raise ResourceNotFoundException(f"Function not found: {ARN_PREFIX}missing")
    if function_name == "bad-param":
        raise InvalidParameterValueException("Unsupported runtime: cobol")
    if function_name == "throttled":
        raise TooManyRequestsException("ReservedFunctionConcurrentInvocationLimitExceeded", retry_after=3)
    if function_name == "broken":
        raise ServiceException("An internal error occurred.")


@aws_signed
def list_functions(request):
    _record(request)
    signer = request.aws_signed_by
    return aws_json_response(
        {
            "Functions": [{"FunctionName": "checkout", "Description": f"{signer.access_key_id}@{signer.region}"}],
            # The request id the view was given, echoed where boto3 shows it (a test-only use of NextMarker).
            "NextMarker": request_id_for(request),
        }
    )


@aws_signed
def get_function(request, function_name):
    _record(request, function=function_name)
    _raise_for(function_name)
    return aws_json_response(
        {
            "Configuration": {
                "FunctionName": function_name,
                "Version": request.GET.get("Qualifier", "$LATEST"),
                "Description": request.aws_signed_by.region,
            }
        }
    )


@aws_signed
def invoke(request, function_name):
    _record(request, function=function_name, qualifier=request.GET.get("Qualifier"), body=request.body.decode())
    _raise_for(function_name)
    return aws_json_response(
        request.body or b"null",
        headers={"X-Amz-Executed-Version": request.GET.get("Qualifier", "$LATEST")},
    )


@aws_signed
async def get_alias(request, function_name, name):
    _record(request, function=function_name, alias=name)
    function_arn = function_name if function_name.startswith("arn:") else ARN_PREFIX + function_name
    return aws_json_response({"AliasArn": f"{function_arn}:{name}", "Name": name, "FunctionVersion": "1"})


@aws_signed
def plain_response(request, function_name):
    # A view that returns an ordinary HttpResponse: aws_signed still adds x-amzn-RequestId.
    return HttpResponse(b"{}", content_type="application/json")


def reached(request):
    """Unsigned and test-only: what reached the signed views so far (works across processes)."""
    with _lock:
        return HttpResponse(json.dumps(_reached), content_type="application/json")


urlpatterns = [
    path("2015-03-31/functions", list_functions),
    path("2015-03-31/functions/<str:function_name>", get_function),
    path("2015-03-31/functions/<str:function_name>/invocations", invoke),
    path("2015-03-31/functions/<str:function_name>/aliases/<str:name>", get_alias),
    path("2019-09-30/functions/<str:function_name>/concurrency", plain_response),
    path("test-only/reached", reached),
]
