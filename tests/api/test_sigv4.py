"""SigV4 verification with real boto3 signing against a live server, WSGI and daphne (issue 5, point 2)."""

import datetime
import json
import re

import botocore.auth
import pytest
from botocore.exceptions import ClientError

from invocations.api.sigv4 import SIGNATURE_MISMATCH_MESSAGE

from .conftest import ACCESS_KEY_ID, SignEveryHeader, lambda_client, reached, send_signed

pytestmark = pytest.mark.urls("tests.api.urls")

ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout"


def refused(call) -> ClientError:
    with pytest.raises(ClientError) as info:
        call()
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert info.value.response["ResponseMetadata"]["RequestId"]
    return info.value


def invoke_refused_without_reaching_the_view(server_url, client, payload=b'{"order": 1}') -> ClientError:
    before = reached(server_url)
    error = refused(lambda: client.invoke(FunctionName="checkout", Payload=payload))
    assert reached(server_url) == before, "a refused request reached the view"
    return error


def replace_header(request, name: str, value: str) -> None:
    """Change a header of botocore's prepared request (its headers allow duplicates, so drop the old one)."""
    del request.headers[name]
    request.headers[name] = value


def signing_clock_shifted(monkeypatch, minutes: int) -> None:
    shifted = datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + datetime.timedelta(minutes=minutes)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: shifted)


def test_a_request_boto3_signs_with_the_configured_key_is_served(server_url):
    response = lambda_client(server_url).list_functions()
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response["Functions"] == [{"FunctionName": "checkout", "Description": f"{ACCESS_KEY_ID}@us-east-1"}]


def test_a_signed_post_with_a_body_reaches_the_view_once_with_that_body(server_url):
    before = reached(server_url)
    response = lambda_client(server_url).invoke(FunctionName="checkout", Payload=b'{"order": 7}')
    assert response["StatusCode"] == 200
    assert json.loads(response["Payload"].read()) == {"order": 7}
    assert reached(server_url)[len(before) :] == [
        {
            "method": "POST",
            "path": "/2015-03-31/functions/checkout/invocations",
            "function": "checkout",
            "qualifier": None,
            "body": '{"order": 7}',
        }
    ]


def test_a_wrong_secret_is_refused_with_invalid_signature_exception_403(server_url):
    client = lambda_client(server_url, secret_access_key="not-the-secret")
    error = invoke_refused_without_reaching_the_view(server_url, client)
    assert error.response["Error"] == {"Code": "InvalidSignatureException", "Message": SIGNATURE_MISMATCH_MESSAGE}


def test_an_unknown_access_key_is_refused_with_unrecognized_client_exception_403(server_url):
    client = lambda_client(server_url, access_key_id="AKIAUNKNOWN")
    error = invoke_refused_without_reaching_the_view(server_url, client)
    assert error.response["Error"] == {
        "Code": "UnrecognizedClientException",
        "Message": "The security token included in the request is invalid.",
    }


def test_an_unsigned_request_is_refused_with_missing_authentication_token_403(server_url):
    client = lambda_client(server_url, signed=False)
    error = invoke_refused_without_reaching_the_view(server_url, client)
    assert error.response["Error"] == {
        "Code": "MissingAuthenticationTokenException",
        "Message": "Missing Authentication Token",
    }


def test_a_request_signed_20_minutes_ago_is_refused_as_expired(server_url, monkeypatch):
    signing_clock_shifted(monkeypatch, -20)
    error = invoke_refused_without_reaching_the_view(server_url, lambda_client(server_url))
    assert error.response["Error"]["Code"] == "InvalidSignatureException"
    assert re.fullmatch(
        r"Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)",
        error.response["Error"]["Message"],
    )


def test_a_request_signed_20_minutes_in_the_future_is_refused_as_not_yet_current(server_url, monkeypatch):
    signing_clock_shifted(monkeypatch, 20)
    error = invoke_refused_without_reaching_the_view(server_url, lambda_client(server_url))
    assert error.response["Error"]["Code"] == "InvalidSignatureException"
    assert error.response["Error"]["Message"].startswith("Signature not yet current: ")
    assert error.response["Error"]["Message"].endswith(" + 15 min.)")


def test_a_request_signed_10_minutes_ago_is_within_the_allowed_skew(server_url, monkeypatch):
    signing_clock_shifted(monkeypatch, -10)
    assert lambda_client(server_url).list_functions()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_a_body_changed_after_signing_is_refused_and_never_reaches_the_view(server_url):
    client = lambda_client(server_url)

    def tamper(request, **kwargs):
        request.body = b'{"order": 1000}'
        replace_header(request, "Content-Length", str(len(request.body)))

    client.meta.events.register("before-send.lambda.Invoke", tamper)
    error = invoke_refused_without_reaching_the_view(server_url, client)
    assert error.response["Error"] == {"Code": "InvalidSignatureException", "Message": SIGNATURE_MISMATCH_MESSAGE}


def test_a_query_string_changed_after_signing_is_refused(server_url):
    client = lambda_client(server_url)

    def tamper(request, **kwargs):
        request.url = request.url.replace("Qualifier=prod", "Qualifier=dev")

    client.meta.events.register("before-send.lambda.Invoke", tamper)
    before = reached(server_url)
    error = refused(lambda: client.invoke(FunctionName="checkout", Qualifier="prod", Payload=b"{}"))
    assert error.response["Error"]["Code"] == "InvalidSignatureException"
    assert reached(server_url) == before


def test_a_signed_header_changed_after_signing_is_refused(server_url):
    client = lambda_client(server_url)

    def tamper(request, **kwargs):
        stamp = request.headers["X-Amz-Date"]
        stamp = stamp.decode() if isinstance(stamp, bytes) else stamp
        replace_header(request, "X-Amz-Date", stamp[:-3] + ("01Z" if stamp.endswith("00Z") else "00Z"))

    client.meta.events.register("before-send.lambda.ListFunctions", tamper)
    error = refused(client.list_functions)
    assert error.response["Error"]["Code"] == "InvalidSignatureException"


def test_a_header_the_client_did_not_sign_may_change_in_transit(server_url):
    client = lambda_client(server_url)

    def rewrite_user_agent(request, **kwargs):
        replace_header(request, "User-Agent", "a proxy rewrote this")

    client.meta.events.register("before-send.lambda.ListFunctions", rewrite_user_agent)
    assert client.list_functions()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_a_full_arn_with_latest_in_the_path_verifies_and_reaches_the_view_decoded(server_url):
    response = lambda_client(server_url).get_function(FunctionName=f"{ARN}:$LATEST")
    assert response["Configuration"]["FunctionName"] == f"{ARN}:$LATEST"
    assert response["Configuration"]["Version"] == "$LATEST"


def test_an_arn_in_the_path_with_a_qualifier_in_the_query_string_verifies(server_url):
    before = reached(server_url)
    response = lambda_client(server_url).invoke(FunctionName=ARN, Qualifier="prod", Payload=b'{"a": 1}')
    assert response["ExecutedVersion"] == "prod"
    (call,) = reached(server_url)[len(before) :]
    assert (call["function"], call["qualifier"]) == (ARN, "prod")


def test_latest_as_the_qualifier_in_the_query_string_verifies(server_url):
    response = lambda_client(server_url).get_function(FunctionName="checkout", Qualifier="$LATEST")
    assert response["Configuration"]["Version"] == "$LATEST"


def test_a_request_signed_for_any_region_is_accepted(server_url):
    response = lambda_client(server_url, region="eu-west-3").get_function(FunctionName="checkout")
    assert response["Configuration"]["Description"] == "eu-west-3"


def test_an_async_view_is_verified_the_same_way(server_url):
    assert lambda_client(server_url).get_alias(FunctionName=ARN, Name="prod")["AliasArn"] == f"{ARN}:prod"
    error = refused(
        lambda: lambda_client(server_url, secret_access_key="wrong").get_alias(FunctionName=ARN, Name="prod")
    )
    assert error.response["Error"]["Code"] == "InvalidSignatureException"


def test_a_view_returning_a_plain_response_still_gets_a_request_id(server_url):
    response = lambda_client(server_url).get_function_concurrency(FunctionName="checkout")
    assert re.fullmatch(r"[0-9a-f-]{36}", response["ResponseMetadata"]["RequestId"])


def test_an_authorization_header_of_another_scheme_is_refused_as_incomplete(server_url):
    client = lambda_client(server_url)

    def bearer(request, **kwargs):
        replace_header(request, "Authorization", "Bearer abc")

    client.meta.events.register("before-send.lambda.ListFunctions", bearer)
    error = refused(client.list_functions)
    assert error.response["Error"] == {
        "Code": "IncompleteSignatureException",
        "Message": "Authorization header requires 'Credential' parameter. "
        "Authorization header requires 'Signature' parameter. "
        "Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer abc",
    }


def test_a_signature_scoped_to_another_service_is_refused(server_url):
    status, headers, body = send_signed(server_url, "GET", "/2015-03-31/functions", service="s3")
    assert status == 403
    assert headers["x-amzn-ErrorType"] == "InvalidSignatureException"
    assert body == {"message": "Credential should be scoped to correct service: 'lambda'. "}


def test_a_payload_hash_header_that_does_not_match_the_body_is_refused(server_url):
    signed = b'{"order": 1}'
    headers = {"X-Amz-Content-SHA256": botocore.auth.sha256(signed).hexdigest()}
    before = reached(server_url)
    status, response_headers, body = send_signed(
        server_url, "POST", "/2015-03-31/functions/checkout/invocations", body=signed, headers=headers, send_body=b"{}"
    )
    assert (status, response_headers["x-amzn-ErrorType"]) == (403, "InvalidSignatureException")
    assert body == {"message": "The provided 'x-amz-content-sha256' header does not match what was computed."}
    assert reached(server_url) == before


def test_a_signed_payload_hash_header_that_matches_the_body_is_accepted(server_url):
    signed = b'{"order": 2}'
    headers = {"X-Amz-Content-SHA256": botocore.auth.sha256(signed).hexdigest()}
    status, _, body = send_signed(
        server_url,
        "POST",
        "/2015-03-31/functions/checkout/invocations?Qualifier=%24LATEST",
        body=signed,
        headers=headers,
    )
    assert (status, body) == (200, {"order": 2})


def test_a_header_botocore_leaves_unsigned_is_verified_when_another_sdk_signs_it(server_url):
    headers = {"X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793", "User-Agent": "aws-sdk-java/1.12"}
    status, _, body = send_signed(server_url, "GET", "/2015-03-31/functions", headers=headers, signer=SignEveryHeader)
    assert (status, body["Functions"][0]["FunctionName"]) == (200, "checkout")


def test_daphne_verifies_the_path_exactly_as_sent_even_when_the_client_left_dollar_and_colons_unencoded(daphne_url):
    # SigV4 encodes the path as received; daphne keeps it raw (the WSGI test server only has it decoded).
    status, _, body = send_signed(daphne_url, "GET", f"/2015-03-31/functions/{ARN}:$LATEST?Qualifier=%24LATEST")
    assert status == 200, body
    assert body["Configuration"] == {"FunctionName": f"{ARN}:$LATEST", "Version": "$LATEST", "Description": "us-east-1"}
