"""The CloudWatch endpoints: one view per protocol entrance, SigV4 first (signing name "monitoring"), then the
operation, each error rendered in the protocol the request came in."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ...errors import LambdaError
from ...services import cloudwatch
from ...services.cloudwatch_errors import CloudWatchError
from ..responses import new_request_id
from ..sigv4 import verify_request
from . import protocols
from .protocols import CBOR, JSON, QUERY
from .shapes import TARGET_PREFIX

log = logging.getLogger(__name__)
SIGNING_NAME = "monitoring"

OPERATIONS: dict[str, Callable[[dict], dict]] = {
    "GetMetricData": cloudwatch.get_metric_data,
    "GetMetricStatistics": cloudwatch.get_metric_statistics,
    "ListMetrics": cloudwatch.list_metrics,
    "PutMetricAlarm": cloudwatch.put_metric_alarm,
    "DescribeAlarms": cloudwatch.describe_alarms,
    "DescribeAlarmsForMetric": cloudwatch.describe_alarms_for_metric,
    "DeleteAlarms": cloudwatch.delete_alarms,
    "SetAlarmState": cloudwatch.set_alarm_state,
    "DescribeAlarmHistory": cloudwatch.describe_alarm_history,
}

# The signing front door's refusals, under the query protocol's codes (the JSON protocols name the type itself).
QUERY_AUTH_CODES = {
    "InvalidSignatureException": "SignatureDoesNotMatch",
    "UnrecognizedClientException": "InvalidClientTokenId",
    "MissingAuthenticationTokenException": "MissingAuthenticationToken",
    "IncompleteSignatureException": "IncompleteSignature",
}


class _AuthRefusal(CloudWatchError):
    fault = "Sender"

    def __init__(self, error: LambdaError) -> None:
        super().__init__(error.message)
        self.error_type = error.error_type
        self.query_code = QUERY_AUTH_CODES.get(error.error_type, error.error_type)
        self.status_code = error.status_code


def is_cloudwatch_request(request: HttpRequest) -> bool:
    """A POST to / for CloudWatch: awsJson1_0 names its target; the query protocol is signed for "monitoring"."""
    target = request.headers.get("X-Amz-Target", "")
    if target:
        return target.startswith(f"{TARGET_PREFIX}.")
    return f"/{SIGNING_NAME}/" in request.headers.get("Authorization", "")


@csrf_exempt
def cbor_operation(request: HttpRequest, operation: str) -> HttpResponse:
    return _serve(request, CBOR, lambda: protocols.decode(CBOR, operation, request.body))


@csrf_exempt
def json_or_query(request: HttpRequest) -> HttpResponse:
    target = request.headers.get("X-Amz-Target", "")
    if target:
        name = target.partition(".")[2]
        return _serve(request, JSON, lambda: protocols.decode(JSON, name, request.body))

    def decode_query() -> protocols.Request:
        form = protocols.query_form(request.body, request.META.get("QUERY_STRING", ""))
        action = form.get("Action")
        if not action:
            raise protocols.MissingParameter("The request must contain the parameter Action.")
        return protocols.decode(QUERY, action, b"", form)

    return _serve(request, QUERY, decode_query)


def _serve(request: HttpRequest, protocol: str, decode: Callable[[], protocols.Request]) -> HttpResponse:
    request_id = new_request_id()
    if request.method != "POST":
        error = protocols.UnknownOperation(f"{request.method} {request.path}")
        return protocols.encode_error(protocol, error, request_id)
    try:
        verify_request(request, service=SIGNING_NAME)
    except LambdaError as error:
        return protocols.encode_error(protocol, _AuthRefusal(error), request_id)
    except RequestDataTooBig:
        return protocols.encode_error(protocol, CloudWatchError("Request too large."), request_id)
    try:
        call = decode()
        handler = OPERATIONS.get(call.name)
        if handler is None:
            raise protocols.UnknownOperation(call.name)
        output = handler(call.params)
    except CloudWatchError as error:
        return protocols.encode_error(protocol, error, request_id)
    except Exception:  # never a traceback to the client: AWS's 500, logged here
        log.exception("CloudWatch %s failed", protocol)
        return protocols.encode_error(protocol, CloudWatchError("Internal service error."), request_id)
    return protocols.encode(call, output, request_id)
