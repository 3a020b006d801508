"""One request id per invocation, and the ARN the caller used, as a student sees them through real boto3 against a
running engine host, on both front doors (the Django view under WSGI, the lean ASGI route under daphne):
x-amzn-RequestId, START/END/REPORT, context.aws_request_id, the error body, the DLQ message and the destination
record all carry the same random UUID (semantics §1, §2, §9); context.invoked_function_arn is the ARN as the caller
named it (semantics §4, §12)."""

import base64
import json
import re
import uuid

import pytest

from invocations.models import InvocationRecord
from invocations.runtime.targets import outbox
from invocations.services import queue_create
from tests.conftest import eventually

from .conftest import ROLE, lambda_api_client, zip_of

pytestmark = pytest.mark.django_db(transaction=True)

HANDLER = """
def handler(event, context):
    print("handler saw " + context.aws_request_id)
    if event.get("fail"):
        raise ValueError("refused order " + str(event.get("order")))
    return {"request_id": context.aws_request_id, "invoked_arn": context.invoked_function_arn}
"""
LOG_LINE = re.compile(r"^(START|END|REPORT) RequestId: (\S+)", re.MULTILINE)


@pytest.fixture(params=["django", "lean"])
def client(request, live_server, clock_speed):
    """A boto3 client on the Django view (WSGI live server) or on the lean Invoke route (daphne)."""
    clock_speed(10)
    url = live_server.url if request.param == "django" else request.getfixturevalue("lean_daphne_url")
    return lambda_api_client(url)


def create_echo(client, **config) -> dict:
    return client.create_function(
        FunctionName="echo",
        Runtime="python3.12",
        Role=ROLE,
        Handler="lambda_function.handler",
        Code={"ZipFile": zip_of({"lambda_function.py": HANDLER})},
        **config,
    )


def header_id(answer) -> str:
    return answer["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]


def log_ids(log: str) -> dict[str, str]:
    return {kind: rid for kind, rid in LOG_LINE.findall(log)}


def assert_random_uuid(value: str) -> None:
    assert str(uuid.UUID(value)) == value and uuid.UUID(value).version == 4


def test_a_sync_invoke_has_one_random_request_id_in_the_header_the_logs_and_the_handler_context(client):
    # semantics §1 (x-amzn-RequestId), §9 (START/END/REPORT RequestId)
    create_echo(client)
    seen = []
    for _ in range(2):
        answer = client.invoke(FunctionName="echo", Payload=b"{}", LogType="Tail")
        rid = header_id(answer)
        log = base64.b64decode(answer["LogResult"]).decode()
        assert json.loads(answer["Payload"].read())["request_id"] == rid
        assert log_ids(log) == {"START": rid, "END": rid, "REPORT": rid}
        assert f"handler saw {rid}" in log
        assert_random_uuid(rid)
        seen.append(rid)
    # Random, not one prefix and a counter: two invocations share no more than chance would give them.
    assert seen[0][:24] != seen[1][:24]
    records = InvocationRecord.objects.filter(function="echo")
    assert sorted(
        r.request_id for r in eventually(lambda: list(records) if records.count() == 2 else None, timeout=20)
    ) == sorted(seen)


def test_a_function_error_body_names_the_request_id_of_the_answer(client):
    # semantics §1: Python 3.11+ error bodies carry requestId
    create_echo(client)
    answer = client.invoke(FunctionName="echo", Payload=json.dumps({"fail": True, "order": 7}), LogType="Tail")
    body = json.loads(answer["Payload"].read())
    assert answer["FunctionError"] == "Unhandled"
    assert body["errorMessage"] == "refused order 7"
    assert body["requestId"] == header_id(answer)
    assert log_ids(base64.b64decode(answer["LogResult"]).decode())["REPORT"] == header_id(answer)


def test_an_event_invoke_carries_the_202_request_id_to_its_logs_the_dlq_and_the_on_failure_record(client, redis_client):
    # semantics §2: DLQ attribute RequestID and the invocation record's requestContext.requestId
    dlq = queue_create(name="echo-dlq")
    failures = queue_create(name="echo-failures")
    create_echo(client, DeadLetterConfig={"TargetArn": dlq.arn})
    client.put_function_event_invoke_config(
        FunctionName="echo",
        MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": failures.arn}},
    )
    answer = client.invoke(FunctionName="echo", InvocationType="Event", Payload=json.dumps({"fail": True}))
    assert answer["StatusCode"] == 202
    rid = header_id(answer)
    assert_random_uuid(rid)
    (dead,) = eventually(lambda: outbox(redis_client, dlq.arn), timeout=20)
    assert dead["attributes"]["RequestID"]["StringValue"] == rid
    (failure,) = eventually(lambda: outbox(redis_client, failures.arn), timeout=20)
    assert json.loads(failure["body"])["requestContext"]["requestId"] == rid
    record = eventually(
        lambda: InvocationRecord.objects.filter(function="echo").first(), timeout=20
    )  # written in batches
    assert record.request_id == rid
    assert log_ids(record.log) == {"START": rid, "END": rid, "REPORT": rid}
    assert f"handler saw {rid}" in record.log


def test_the_handler_sees_the_arn_the_caller_invoked_with(client):
    # semantics §4, §12: an unqualified invoke gets the unqualified ARN; a version or alias, the qualified one
    version_arn = create_echo(client, Publish=True)["FunctionArn"]  # version 1's: the answer to Publish=True
    function_arn = version_arn.removesuffix(":1")
    assert function_arn.endswith(":function:echo")
    client.create_alias(FunctionName="echo", Name="prod", FunctionVersion="1")

    def invoked_arn(**call) -> str:
        return json.loads(client.invoke(FunctionName="echo", Payload=b"{}", **call)["Payload"].read())["invoked_arn"]

    assert invoked_arn() == function_arn
    assert invoked_arn(Qualifier="$LATEST") == f"{function_arn}:$LATEST"
    assert invoked_arn(Qualifier="1") == f"{function_arn}:1"
    assert invoked_arn(Qualifier="prod") == f"{function_arn}:prod"
