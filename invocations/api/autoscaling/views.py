"""Application Auto Scaling on the wire: botocore's model lists only awsJson1_1 (`X-Amz-Target:
AnyScaleFrontendService.<Op>`, JSON bodies, epoch-second timestamps); SigV4 first (signing name
"application-autoscaling"), then the operation, each error as `{"__type", "message"}`."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from botocore.model import ServiceModel
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from ...errors import LambdaError
from ...services import autoscaling
from ...services.autoscaling_errors import AutoScalingError, ValidationException
from .. import botocore_models
from ..responses import new_request_id
from ..sigv4 import verify_request
from ..wire.service import to_epoch, walk

log = logging.getLogger(__name__)
SIGNING_NAME = "application-autoscaling"
TARGET_PREFIX = "AnyScaleFrontendService"
CONTENT_TYPE = "application/x-amz-json-1.1"

OPERATIONS: dict[str, Callable[[dict], dict]] = {
    "RegisterScalableTarget": autoscaling.register_scalable_target,
    "DeregisterScalableTarget": autoscaling.deregister_scalable_target,
    "DescribeScalableTargets": autoscaling.describe_scalable_targets,
    "PutScalingPolicy": autoscaling.put_scaling_policy,
    "DescribeScalingPolicies": autoscaling.describe_scaling_policies,
    "DeleteScalingPolicy": autoscaling.delete_scaling_policy,
    "PutScheduledAction": autoscaling.put_scheduled_action,
    "DescribeScheduledActions": autoscaling.describe_scheduled_actions,
    "DeleteScheduledAction": autoscaling.delete_scheduled_action,
    "DescribeScalingActivities": autoscaling.describe_scaling_activities,
}


def service_model() -> ServiceModel:
    return botocore_models.service_model("application-autoscaling")


def is_autoscaling_request(request: HttpRequest) -> bool:
    return request.headers.get("X-Amz-Target", "").startswith(f"{TARGET_PREFIX}.")


class _Refusal(AutoScalingError):
    def __init__(self, error_type: str, message: str, status_code: int) -> None:
        super().__init__(message)
        self.error_type, self.status_code = error_type, status_code


def _error(error: AutoScalingError, request_id: str) -> HttpResponse:
    body = json.dumps({"__type": error.error_type, "message": error.message}, separators=(",", ":"))
    response = HttpResponse(body, status=error.status_code, content_type=CONTENT_TYPE)
    response["x-amzn-RequestId"] = request_id
    return response


def serve(request: HttpRequest) -> HttpResponse:
    request_id = new_request_id()
    try:
        verify_request(request, service=SIGNING_NAME)
    except LambdaError as error:
        return _error(_Refusal(error.error_type, error.message, error.status_code), request_id)
    except RequestDataTooBig:
        return _error(_Refusal("SerializationException", "Request too large.", 413), request_id)
    name = request.headers["X-Amz-Target"].partition(".")[2]
    try:
        handler = OPERATIONS.get(name)
        if handler is None:
            raise _Refusal("UnknownOperationException", f"The action {name} is not valid for this web service.", 400)
        try:
            raw = json.loads(request.body or b"{}")
        except ValueError:
            raise _Refusal("SerializationException", "The request body is not valid JSON.", 400) from None
        if not isinstance(raw, dict):
            raise ValidationException("The request body must be a structure.")
        params = walk(service_model().operation_model(name).input_shape, raw, to_epoch)
        output = handler(params)
    except AutoScalingError as error:
        return _error(error, request_id)
    except Exception:  # never a traceback to the client: AWS's 500, logged here
        log.exception("Application Auto Scaling %s failed", name)
        return _error(AutoScalingError("Internal service error."), request_id)
    response = HttpResponse(json.dumps(output, separators=(",", ":")), content_type=CONTENT_TYPE)
    response["x-amzn-RequestId"] = request_id
    return response
