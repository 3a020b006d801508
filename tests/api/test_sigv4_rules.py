"""The finer SigV4 rules, on Django requests built in-process from botocore-signed requests (no server)."""

import datetime
import inspect
import json

import botocore.auth
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from django.test import RequestFactory

from invocations.api.auth import aws_signed
from invocations.api.checks import demo_credentials_check, warn_if_demo_credentials
from invocations.api.responses import aws_json_response
from invocations.api.sigv4 import configured_credentials, verify_request
from invocations.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY

SIGNED_AT = datetime.datetime(2026, 3, 14, 9, 26, 53)
NOW = SIGNED_AT.replace(tzinfo=datetime.UTC)


def signed_request(
    path="/2015-03-31/functions",
    *,
    method="GET",
    body=b"",
    headers=None,
    key=ACCESS_KEY_ID,
    secret=SECRET_ACCESS_KEY,
    authorization=None,
    at=SIGNED_AT,
):
    """Sign with botocore at `at` (naive UTC), then build the Django request the server would see."""
    aws = AWSRequest(method=method, url=f"http://testserver{path}", data=body, headers=headers or {})
    original = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: at
    try:
        SigV4Auth(Credentials(key, secret), "lambda", "us-east-1").add_auth(aws)
    finally:
        botocore.auth.get_current_datetime = original
    sent = dict(aws.headers.items())
    if authorization is not None:
        sent["Authorization"] = authorization(sent["Authorization"])
    return RequestFactory().generic(method, path, data=body, headers={"Host": "testserver", **sent})


def test_a_correctly_signed_request_names_its_signer_region_and_time():
    signer = verify_request(signed_request(), now=NOW)
    assert (signer.access_key_id, signer.region, signer.signed_at) == (ACCESS_KEY_ID, "us-east-1", NOW)


def test_a_request_signed_with_the_date_header_instead_of_x_amz_date_verifies():
    request = signed_request(headers={"Date": "anything; botocore rewrites it"})
    assert "X-Amz-Date" not in request.headers
    assert verify_request(request, now=NOW).signed_at == NOW


def test_the_clock_allows_fifteen_minutes_either_way_and_not_a_second_more():
    request = signed_request()
    skew = datetime.timedelta(minutes=15)
    verify_request(request, now=NOW + skew)
    verify_request(request, now=NOW - skew)
    with pytest.raises(InvalidSignatureException) as late:
        verify_request(request, now=NOW + skew + datetime.timedelta(seconds=1))
    assert late.value.message == (
        "Signature expired: 20260314T092653Z is now earlier than 20260314T092654Z (20260314T094154Z - 15 min.)"
    )
    with pytest.raises(InvalidSignatureException) as early:
        verify_request(request, now=NOW - skew - datetime.timedelta(seconds=1))
    assert early.value.message == (
        "Signature not yet current: 20260314T092653Z is still later than 20260314T092652Z (20260314T091152Z + 15 min.)"
    )


def test_the_demo_key_pair_is_accepted_when_settings_name_none(settings):
    del settings.LAMBDAVIZ_ACCESS_KEY_ID
    del settings.LAMBDAVIZ_SECRET_ACCESS_KEY
    assert configured_credentials() == {"test": "test"}
    assert verify_request(signed_request(key="test", secret="test"), now=NOW).access_key_id == "test"
    (warning,) = demo_credentials_check()
    assert warning.id == "lambdaviz.W001"


def test_the_start_up_warning_is_logged_only_while_the_demo_pair_is_accepted(settings, caplog):
    assert warn_if_demo_credentials() is False
    settings.LAMBDAVIZ_ACCESS_KEY_ID = settings.LAMBDAVIZ_SECRET_ACCESS_KEY = "test"
    with caplog.at_level("WARNING", logger="invocations.api"):
        assert warn_if_demo_credentials() is True
    assert caplog.messages == [
        "The Lambda API accepts the demo credentials test/test. "
        "Set LAMBDAVIZ_ACCESS_KEY_ID and LAMBDAVIZ_SECRET_ACCESS_KEY before sharing this server."
    ]


def test_a_configured_key_pair_replaces_the_demo_one():
    assert demo_credentials_check() == []
    with pytest.raises(UnrecognizedClientException):
        verify_request(signed_request(key="test", secret="test"), now=NOW)


def test_an_empty_authorization_header_counts_as_missing():
    request = RequestFactory().get("/2015-03-31/functions", headers={"Authorization": ""})
    with pytest.raises(MissingAuthenticationTokenException):
        verify_request(request, now=NOW)


def test_a_credential_scope_dated_another_day_is_refused():
    request = signed_request(authorization=lambda header: header.replace("/20260314/", "/20260313/"))
    with pytest.raises(InvalidSignatureException) as info:
        verify_request(request, now=NOW)
    assert info.value.message == (
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
        "'20260313' != '20260314', from '20260314T092653Z'."
    )


def test_a_signature_that_leaves_the_host_unsigned_is_refused_as_incomplete():
    request = signed_request(authorization=lambda header: header.replace("SignedHeaders=host;", "SignedHeaders="))
    with pytest.raises(IncompleteSignatureException) as info:
        verify_request(request, now=NOW)
    assert info.value.message == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."


def test_a_malformed_x_amz_date_is_refused_as_incomplete():
    request = signed_request()
    request.META["HTTP_X_AMZ_DATE"] = "2026-03-14T09:26:53Z"
    with pytest.raises(IncompleteSignatureException) as info:
        verify_request(request, now=NOW)
    assert info.value.message.startswith("Date must be in ISO-8601 'basic format'. Got '2026-03-14T09:26:53Z'.")


def test_an_authorization_part_without_an_equals_sign_is_refused_as_aws_words_it():
    header = f"AWS4-HMAC-SHA256 Credential {ACCESS_KEY_ID}/20260314/us-east-1/lambda/aws4_request"
    request = RequestFactory().get("/2015-03-31/functions", headers={"Authorization": header})
    with pytest.raises(IncompleteSignatureException) as info:
        verify_request(request, now=NOW)
    assert info.value.message == (
        f"'Credential {ACCESS_KEY_ID}/20260314/us-east-1/lambda/aws4_request' not a valid key=value pair "
        f"(missing equal-sign) in Authorization header: '{header}'."
    )


def test_an_unsupported_signing_algorithm_is_refused():
    request = signed_request(authorization=lambda header: header.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"))
    with pytest.raises(IncompleteSignatureException) as info:
        verify_request(request, now=NOW)
    assert info.value.message == "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'."


def test_a_credential_without_the_aws4_request_terminator_is_refused():
    request = signed_request(authorization=lambda header: header.replace("/aws4_request", "/aws5_request"))
    with pytest.raises(IncompleteSignatureException) as info:
        verify_request(request, now=NOW)
    assert (
        info.value.message == "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."
    )


def test_a_signature_in_another_case_or_truncated_does_not_match():
    for change in (str.upper, lambda signature: signature[:-1]):
        request = signed_request(
            authorization=lambda header, change=change: (
                header[: header.index("Signature=") + 10] + change(header[header.index("Signature=") + 10 :])
            )
        )
        with pytest.raises(InvalidSignatureException):
            verify_request(request, now=NOW)


def test_a_body_larger_than_django_accepts_is_refused_as_request_entity_too_large(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    calls = []
    view = aws_signed(lambda request: calls.append(request) or aws_json_response({}))
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    response = view(signed_request("/2015-03-31/functions/f/invocations", method="POST", body=b"x" * 100, at=now))
    assert response.status_code == 413
    assert response["x-amzn-ErrorType"] == "RequestEntityTooLargeException"
    assert json.loads(response.content) == {"Type": "User", "message": "Request must be smaller than 10 bytes."}
    assert calls == []


def test_aws_signed_views_are_csrf_exempt_sync_and_async():
    async def async_view(request):
        return aws_json_response({})

    def sync_view(request):
        return aws_json_response({})

    assert aws_signed(sync_view).csrf_exempt and not inspect.iscoroutinefunction(aws_signed(sync_view))
    assert aws_signed(async_view).csrf_exempt and inspect.iscoroutinefunction(aws_signed(async_view))
