"""The real AWS CLI (`aws lambda ... --endpoint-url`) against the Lambda API with the demo credentials test/test."""

import base64
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROLE, behaviour_zip

pytestmark = pytest.mark.django_db(transaction=True)

AWS = str(Path(sys.executable).parent / "aws")
ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout"


@pytest.fixture
def aws(live_server, settings, tmp_path):
    """Run `aws lambda <args>` as a student would, with AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test."""
    settings.LAMBDAVIZ_ACCESS_KEY_ID = "test"
    settings.LAMBDAVIZ_SECRET_ACCESS_KEY = "test"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [AWS, "lambda", *args, "--endpoint-url", live_server.url, "--region", "us-east-1", "--output", "json"]
        return subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)

    return run


def create_checkout(aws, *extra: str, handler: str = "lambda_function.handler"):
    """create-function checkout from the code.zip the test wrote in the CLI's working directory."""
    return aws(
        "create-function",
        "--function-name",
        "checkout",
        "--runtime",
        "python3.12",
        "--role",
        ROLE,
        "--handler",
        handler,
        "--zip-file",
        "fileb://code.zip",
        *extra,
    )


def test_the_cli_creates_lists_gets_and_deletes_a_function(aws, tmp_path):
    (tmp_path / "code.zip").write_bytes(behaviour_zip({"duration_ms": 5}))
    created = create_checkout(aws)
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["FunctionArn"] == ARN
    listed = aws("list-functions")
    assert listed.returncode == 0, listed.stderr
    assert [f["FunctionName"] for f in json.loads(listed.stdout)["Functions"]] == ["checkout"]
    fetched = aws("get-function", "--function-name", f"{ARN}:$LATEST")
    assert fetched.returncode == 0, fetched.stderr
    assert json.loads(fetched.stdout)["Configuration"]["FunctionArn"] == f"{ARN}:$LATEST"
    waited = aws("wait", "function-active-v2", "--function-name", "checkout")
    assert waited.returncode == 0, waited.stderr
    assert aws("delete-function", "--function-name", "checkout").returncode == 0
    missing = aws("get-function", "--function-name", "checkout")
    assert missing.returncode == 255
    assert "ResourceNotFoundException" in missing.stderr and f"Function not found: {ARN}" in missing.stderr


def test_the_cli_publishes_and_points_an_alias_with_weights(aws, tmp_path):
    (tmp_path / "code.zip").write_bytes(behaviour_zip())
    create_checkout(aws, "--publish", handler="a.handler")
    aws("update-function-configuration", "--function-name", "checkout", "--timeout", "9")
    published = aws("publish-version", "--function-name", "checkout")
    assert json.loads(published.stdout)["Version"] == "2"
    alias = aws(
        "create-alias",
        "--function-name",
        "checkout",
        "--name",
        "prod",
        "--function-version",
        "1",
        "--routing-config",
        "AdditionalVersionWeights={2=0.25}",
    )
    assert alias.returncode == 0, alias.stderr
    assert json.loads(alias.stdout)["RoutingConfig"] == {"AdditionalVersionWeights": {"2": 0.25}}


def test_the_cli_invokes_with_a_tail_log(aws, tmp_path, clock_speed):
    # semantics §1
    clock_speed(10)
    (tmp_path / "code.zip").write_bytes(behaviour_zip({"duration_ms": 5, "response": {"echo": "{{event.n}}"}}))
    create_checkout(aws, handler="a.handler")
    result = aws("invoke", "--function-name", "checkout", "--payload", '{"n": 7}', "--log-type", "Tail", "out.json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert (answer["StatusCode"], answer["ExecutedVersion"]) == (200, "$LATEST")
    assert "REPORT RequestId:" in base64.b64decode(answer["LogResult"]).decode()
    assert json.loads((tmp_path / "out.json").read_text()) == {"echo": 7}


def test_the_cli_reads_account_settings_and_sets_reserved_concurrency(aws, tmp_path):
    (tmp_path / "code.zip").write_bytes(behaviour_zip())
    create_checkout(aws, handler="a.handler")
    put = aws("put-function-concurrency", "--function-name", "checkout", "--reserved-concurrent-executions", "10")
    assert json.loads(put.stdout) == {"ReservedConcurrentExecutions": 10}
    settings = json.loads(aws("get-account-settings").stdout)
    assert settings["AccountLimit"]["UnreservedConcurrentExecutions"] == 990


def test_the_cli_get_function_gives_a_code_location_that_downloads_the_uploaded_zip(aws, tmp_path):
    package = behaviour_zip({"duration_ms": 5})
    (tmp_path / "code.zip").write_bytes(package)
    created = create_checkout(aws)
    assert created.returncode == 0, created.stderr
    fetched = aws("get-function", "--function-name", "checkout")
    assert fetched.returncode == 0, fetched.stderr
    code = json.loads(fetched.stdout)["Code"]
    assert code["RepositoryType"] == "S3"
    with urllib.request.urlopen(code["Location"], timeout=10) as response:
        assert response.read() == package
