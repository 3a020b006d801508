"""AWS's rest-json error and success responses, as botocore parses them from a live server (issue 5)."""

import json
import re

import pytest

from invocations.api.responses import aws_error_response, aws_json_response, error_body, message_key
from invocations.errors import (
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    ResourceNotFoundException,
    TooManyRequestsException,
    error_class_for,
)

from .conftest import lambda_client

pytestmark = pytest.mark.urls("tests.api.urls")

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_resource_not_found_reaches_boto3_as_its_modeled_exception_with_message_and_type(server_url):
    client = lambda_client(server_url)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as info:
        client.get_function(FunctionName="missing")
    response = info.value.response
    message = "Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing"
    assert response["Error"] == {"Code": "ResourceNotFoundException", "Message": message}
    # botocore's model spells this shape's member "Message", and reads Type from the body.
    assert (response["Message"], response["Type"]) == (message, "User")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amzn-errortype"] == "ResourceNotFoundException"
    assert (
        UUID.fullmatch(headers["x-amzn-requestid"])
        and response["ResponseMetadata"]["RequestId"] == (headers["x-amzn-requestid"])
    )


def test_invalid_parameter_value_reaches_boto3_with_its_lowercase_message_member(server_url):
    client = lambda_client(server_url)
    with pytest.raises(client.exceptions.InvalidParameterValueException) as info:
        client.get_function(FunctionName="bad-param")
    assert info.value.response["Error"]["Message"] == "Unsupported runtime: cobol"
    assert info.value.response["message"] == "Unsupported runtime: cobol"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_a_429_reaches_boto3_as_too_many_requests_with_reason_and_retry_after(server_url):
    client = lambda_client(server_url)
    with pytest.raises(client.exceptions.TooManyRequestsException) as info:
        client.invoke(FunctionName="throttled", Payload=b"{}")
    response = info.value.response
    assert response["Error"] == {"Code": "TooManyRequestsException", "Message": "Rate Exceeded."}
    assert response["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    assert response["retryAfterSeconds"] == "3"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429


def test_a_service_exception_is_a_500_with_the_service_fault_type(server_url):
    client = lambda_client(server_url)
    with pytest.raises(client.exceptions.ServiceException) as info:
        client.invoke(FunctionName="broken", Payload=b"{}")
    assert info.value.response["Error"]["Message"] == "An internal error occurred."
    assert (info.value.response["Type"], info.value.response["ResponseMetadata"]["HTTPStatusCode"]) == ("Service", 500)


def test_a_success_carries_the_request_id_the_view_was_given(server_url):
    response = lambda_client(server_url).list_functions()
    request_id = response["ResponseMetadata"]["RequestId"]
    assert UUID.fullmatch(request_id)
    assert response["NextMarker"] == request_id
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/json"


def test_an_error_response_has_the_status_type_header_request_id_and_exact_json_body():
    response = aws_error_response(ResourceNotFoundException("Function not found: x"), request_id="rid-1")
    assert response.status_code == 404
    assert (response["x-amzn-ErrorType"], response["x-amzn-RequestId"]) == ("ResourceNotFoundException", "rid-1")
    assert response["Content-Type"] == "application/json"
    assert response.content == b'{"Type":"User","Message":"Function not found: x"}'


def test_a_throttle_response_has_reason_in_the_body_and_retry_after_in_a_header():
    response = aws_error_response(TooManyRequestsException("ConcurrentInvocationLimitExceeded"))
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert UUID.fullmatch(response["x-amzn-RequestId"])
    assert json.loads(response.content) == {
        "Reason": "ConcurrentInvocationLimitExceeded",
        "Type": "User",
        "message": "Rate Exceeded.",
    }


def test_signing_refusals_carry_only_a_message_as_aws_front_door_sends_them():
    assert error_body(MissingAuthenticationTokenException()) == {"message": "Missing Authentication Token"}
    response = aws_error_response(InvalidSignatureException("Signature expired: ..."))
    assert (response.status_code, response["x-amzn-ErrorType"]) == (403, "InvalidSignatureException")
    assert json.loads(response.content) == {"message": "Signature expired: ..."}


def test_the_message_key_follows_botocores_lambda_model():
    assert message_key("ResourceNotFoundException") == "Message"
    assert message_key("ServiceException") == "Message"
    assert message_key("InvalidParameterValueException") == "message"
    assert message_key("TooManyRequestsException") == "message"
    assert message_key("NotALambdaShape") == "message"


def test_new_signing_errors_are_found_by_their_aws_type_name():
    assert error_class_for("MissingAuthenticationTokenException") is MissingAuthenticationTokenException
    assert error_class_for("IncompleteSignatureException").status_code == 403


def test_a_json_success_is_compact_json_with_a_request_id_and_extra_headers():
    response = aws_json_response({"a": [1, 2]}, status=201, request_id="rid-2", headers={"X-Amz-Executed-Version": "3"})
    assert (response.status_code, response.content) == (201, b'{"a":[1,2]}')
    assert (response["x-amzn-RequestId"], response["X-Amz-Executed-Version"]) == ("rid-2", "3")


def test_a_json_success_without_data_has_an_empty_body_and_bytes_are_sent_as_they_are():
    assert aws_json_response(status=204).content == b""
    assert aws_json_response(b'{"raw": true}').content == b'{"raw": true}'
