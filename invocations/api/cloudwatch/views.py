"""The CloudWatch endpoints: one view per protocol entrance (signing name "monitoring"), served by the shared
wire (invocations/api/wire/endpoint.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ...services import cloudwatch
from ...services.cloudwatch_errors import CloudWatchError, MissingParameter
from ..wire import codec
from ..wire.codec import CBOR, JSON, QUERY
from ..wire.endpoint import serve
from ..wire.query import query_form
from .protocols import CLOUDWATCH

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


def is_cloudwatch_request(request: HttpRequest) -> bool:
    """A POST to / for CloudWatch: awsJson1_0 names its target; the query protocol is signed for "monitoring"."""
    target = request.headers.get("X-Amz-Target", "")
    if target:
        return target.startswith(f"{CLOUDWATCH.target_prefix}.")
    return f"/{SIGNING_NAME}/" in request.headers.get("Authorization", "")


@csrf_exempt
def cbor_operation(request: HttpRequest, operation: str) -> HttpResponse:
    return _serve(request, CBOR, lambda: codec.decode(CLOUDWATCH, CBOR, operation, request.body))


@csrf_exempt
def json_or_query(request: HttpRequest) -> HttpResponse:
    target = request.headers.get("X-Amz-Target", "")
    if target:
        name = target.partition(".")[2]
        return _serve(request, JSON, lambda: codec.decode(CLOUDWATCH, JSON, name, request.body))

    def decode_query() -> codec.Request:
        form = query_form(request.body, request.META.get("QUERY_STRING", ""))
        action = form.get("Action")
        if not action:
            raise MissingParameter("The request must contain the parameter Action.")
        return codec.decode(CLOUDWATCH, QUERY, action, b"", form)

    return _serve(request, QUERY, decode_query)


def _serve(request: HttpRequest, protocol: str, decode: Callable[[], codec.Request]) -> HttpResponse:
    return serve(
        request,
        wire=CLOUDWATCH,
        protocol=protocol,
        signing_name=SIGNING_NAME,
        decode=decode,
        operations=OPERATIONS,
        service_errors=(CloudWatchError,),
        internal_error=CloudWatchError,
    )
