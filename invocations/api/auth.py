"""`aws_signed`: the view decorator of the Lambda-compatible API; nothing runs unless the SigV4 signature holds."""

from __future__ import annotations

import functools
from collections.abc import Callable

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from invocations.errors import LambdaError, RequestTooLargeException

from .responses import aws_error_response, request_id_for
from .sigv4 import verify_request


def aws_signed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Verify the request's SigV4 signature before `view` runs; refuse it with AWS's 403 error otherwise.

    The wrapped view (sync or async) is CSRF-exempt: the signature is the authentication and no cookie is used.
    On success the request carries `aws_request_id` and `aws_signed_by` (a `SignedBy`: access key id, signing
    region, signing time). Every response, refusal or not, is sent with x-amzn-RequestId = `aws_request_id`. A
    LambdaError the view raises is rendered as AWS renders it, so views may simply raise.
    """

    def refuse_or_sign(request: HttpRequest) -> HttpResponse | None:
        request_id_for(request)
        try:
            request.aws_signed_by = verify_request(request)
        except LambdaError as error:
            return aws_error_response(error, request_id=request.aws_request_id)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            error = RequestTooLargeException(f"Request must be smaller than {limit} bytes.")
            return aws_error_response(error, request_id=request.aws_request_id)
        return None

    def finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response["x-amzn-RequestId"] = request.aws_request_id
        return response

    if iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            refusal = refuse_or_sign(request)
            if refusal is not None:
                return refusal
            try:
                response = await view(request, *args, **kwargs)
            except LambdaError as error:
                return aws_error_response(error, request_id=request.aws_request_id)
            return finish(request, response)

        async_wrapper.csrf_exempt = True
        return async_wrapper

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusal = refuse_or_sign(request)
        if refusal is not None:
            return refusal
        try:
            response = view(request, *args, **kwargs)
        except LambdaError as error:
            return aws_error_response(error, request_id=request.aws_request_id)
        return finish(request, response)

    wrapper.csrf_exempt = True
    return wrapper
