"""The real AWS CLI (`aws lambda ... --endpoint-url`) signs requests that our server verifies (issue 5, point 2)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY, reached

pytestmark = pytest.mark.urls("tests.api.urls")

AWS = str(Path(sys.executable).parent / "aws")
ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout"


def aws_cli(endpoint_url: str, *args: str, secret: str = SECRET_ACCESS_KEY, cwd=None) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    }
    command = [AWS, "lambda", *args, "--endpoint-url", endpoint_url, "--region", "us-east-1", "--output", "json"]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_the_aws_cli_gets_a_function_by_arn_and_qualifier(server_url):
    result = aws_cli(server_url, "get-function", "--function-name", ARN, "--qualifier", "prod")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["Configuration"] == {
        "FunctionName": ARN,
        "Version": "prod",
        "Description": "us-east-1",
    }


def test_the_aws_cli_invokes_latest_with_a_signed_payload(daphne_url, tmp_path):
    before = reached(daphne_url)
    result = aws_cli(
        daphne_url,
        "invoke",
        "--function-name",
        f"{ARN}:$LATEST",
        "--payload",
        '{"order": 42}',
        "out.json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"StatusCode": 200, "ExecutedVersion": "$LATEST"}
    assert json.loads((tmp_path / "out.json").read_text()) == {"order": 42}
    (call,) = reached(daphne_url)[len(before) :]
    assert (call["function"], json.loads(call["body"])) == (f"{ARN}:$LATEST", {"order": 42})


def test_the_aws_cli_with_a_wrong_secret_is_refused_with_invalid_signature_exception(daphne_url):
    result = aws_cli(daphne_url, "list-functions", secret="not-the-secret")
    assert result.returncode == 255  # AWS CLI v1's exit status for a service error (v2 uses 254)
    assert (
        "An error occurred (InvalidSignatureException) when calling the ListFunctions operation: "
        "The request signature we calculated does not match the signature you provided." in result.stderr
    )
