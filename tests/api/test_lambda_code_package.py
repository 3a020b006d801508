"""The deployment package through real boto3: kept whole and run as the task root, CodeSha256/CodeSize of the zip,
GetFunction's Code.Location (an expiring signed URL of the zip), and unsafe zips refused (semantics §4, §11)."""

import base64
import hashlib
import io
import json
import time
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core import signing

from invocations.api.lambda_api import code_location
from invocations.models import Function
from invocations.services import function_create

from .conftest import ROLE, behaviour_zip, error_of, zip_of

pytestmark = pytest.mark.django_db(transaction=True)

HANDLER = """
import json, os
from pricing import total

with open(os.path.join(os.environ["LAMBDA_TASK_ROOT"], "catalog", "prices.json")) as f:
    PRICES = json.load(f)

def handler(event, context):
    return {"total": total(PRICES, event["items"])}
"""
PRICING = "def total(prices, items):\n    return sum(prices[item] for item in items)\n"
PACKAGE = {"app.py": HANDLER, "pricing.py": PRICING, "catalog/prices.json": json.dumps({"tea": 3, "cake": 5})}


def create_python(client, name: str, package: bytes, **config) -> dict:
    return client.create_function(
        FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler", Code={"ZipFile": package}, **config
    )


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def download(url: str) -> tuple[int, bytes]:
    """A plain GET, no signature, as a presigned S3 URL is fetched."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_handler_imports_a_sibling_module_and_reads_a_data_file_of_its_zip(client, clock_speed):
    clock_speed(10)
    create_python(client, "shop", zip_of(PACKAGE))
    answer = client.invoke(FunctionName="shop", Payload=json.dumps({"items": ["tea", "cake", "tea"]}))
    assert "FunctionError" not in answer, answer["Payload"].read()
    assert json.loads(answer["Payload"].read()) == {"total": 11}


def test_a_new_zip_replaces_the_whole_package(client, clock_speed):
    clock_speed(10)
    create_python(client, "shop", zip_of(PACKAGE))
    client.update_function_code(
        FunctionName="shop", ZipFile=zip_of({**PACKAGE, "pricing.py": "def total(p, i):\n    return -1\n"})
    )
    answer = client.invoke(FunctionName="shop", Payload=json.dumps({"items": ["tea"]}))
    assert json.loads(answer["Payload"].read()) == {"total": -1}


def test_code_sha256_and_code_size_are_those_of_the_zip(client):
    # semantics §4: CodeSha256 is the base64 SHA-256 of the deployment package
    package, behaviour = zip_of(PACKAGE), behaviour_zip({"duration_ms": 5})
    created = create_python(client, "shop", package)
    assert (created["CodeSha256"], created["CodeSize"]) == (sha256_b64(package), len(package))
    modelled = client.create_function(
        FunctionName="modelled", Runtime="python3.12", Role=ROLE, Handler="a.b", Code={"ZipFile": behaviour}
    )
    assert (modelled["CodeSha256"], modelled["CodeSize"]) == (sha256_b64(behaviour), len(behaviour))
    published = client.publish_version(FunctionName="shop", CodeSha256=sha256_b64(package))
    assert published["CodeSha256"] == sha256_b64(package)
    # semantics §4: the same package again is no change, so no new version
    assert client.publish_version(FunctionName="shop")["Version"] == published["Version"] == "1"


@pytest.mark.parametrize("entry", ["../evil.py", "/etc/evil.py", "lib/../../evil.py"])
def test_a_zip_with_an_entry_outside_the_task_root_is_refused_with_aws_message(client, entry):
    error = error_of(lambda: create_python(client, "shop", zip_of({**PACKAGE, entry: "x = 1"})))
    assert isinstance(error, client.exceptions.InvalidParameterValueException)
    assert error.response["Error"]["Message"] == (
        "Could not unzip uploaded file. Please check your file, then try to upload again."
    )
    assert not Function.objects.exists()


def test_get_function_code_location_downloads_the_same_zip_for_latest_and_for_a_version(client):
    first, second = zip_of(PACKAGE), zip_of({**PACKAGE, "extra.txt": "v2"})
    create_python(client, "shop", first, Publish=True)
    client.update_function_code(FunctionName="shop", ZipFile=second)
    latest = client.get_function(FunctionName="shop")["Code"]
    assert latest["RepositoryType"] == "S3"
    assert download(latest["Location"]) == (200, second)
    version = client.get_function(FunctionName="shop", Qualifier="1")["Code"]
    assert download(version["Location"]) == (200, first)


def test_a_modelled_function_without_an_uploaded_zip_serves_a_zip_of_its_behaviour_json(client):
    function_create(name="dash", behaviour_profile={"duration_ms": 7, "error_rate": 0.1})
    status, body = download(client.get_function(FunctionName="dash")["Code"]["Location"])
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.namelist() == ["behaviour.json"]
        assert json.loads(archive.read("behaviour.json")) == {"duration_ms": 7, "error_rate": 0.1}


def s3_error_code(body: bytes) -> str:
    return body.split(b"<Code>")[1].split(b"</Code>")[0].decode()


def test_a_tampered_or_forged_location_is_refused_with_403(client, live_server):
    create_python(client, "shop", zip_of(PACKAGE))
    location = client.get_function(FunctionName="shop")["Code"]["Location"]
    assert location.startswith(f"{live_server.url}/lambda-code/")
    tampered = location[:-1] + ("A" if location[-1] != "A" else "B")
    status, body = download(tampered)
    assert (status, s3_error_code(body)) == (403, "SignatureDoesNotMatch")
    claims = {"f": Function.objects.get(name="shop").pk, "v": None, "s": sha256_b64(zip_of(PACKAGE))}
    forged = signing.TimestampSigner(key="not-the-server-key", salt=code_location.SALT).sign_object(claims)
    status, body = download(f"{live_server.url}/lambda-code/{forged}")
    assert (status, s3_error_code(body)) == (403, "SignatureDoesNotMatch")


def test_an_expired_location_is_refused_with_403(client, live_server):
    create_python(client, "shop", zip_of(PACKAGE))
    function = Function.objects.get(name="shop")

    class TenMinutesAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - code_location.EXPIRES_S - 1)

    token = TenMinutesAgo(salt=code_location.SALT).sign_object({"f": function.pk, "v": None, "s": function.code_sha256})
    status, body = download(f"{live_server.url}/lambda-code/{token}")
    assert (status, s3_error_code(body)) == (403, "AccessDenied")


def test_a_location_of_replaced_code_no_longer_downloads(client):
    create_python(client, "shop", zip_of(PACKAGE))
    location = client.get_function(FunctionName="shop")["Code"]["Location"]
    client.update_function_code(FunctionName="shop", ZipFile=zip_of({**PACKAGE, "extra.txt": "v2"}))
    status, body = download(location)
    assert (status, s3_error_code(body)) == (404, "NoSuchKey")
