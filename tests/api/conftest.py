"""The test views served by a real server (Django's WSGI live server, and daphne as in production), AWS clients."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
from botocore import UNSIGNED
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from tests.conftest import eventually, owned_by_fixture

ROOT = Path(__file__).resolve().parents[2]
ACCESS_KEY_ID = "AKIALAMBDAVIZTEST001"
# A realistic secret: "/" and "+" are common in AWS secrets.
SECRET_ACCESS_KEY = "lvTest/Secret+Key0123456789abcdefghijklm"
AWS_ENV_NAMES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
)


@pytest.fixture(autouse=True)
def api_credentials(settings, monkeypatch):
    """The server holds the test key pair; no AWS configuration of this machine leaks into the clients."""
    settings.LAMBDAVIZ_ACCESS_KEY_ID = ACCESS_KEY_ID
    settings.LAMBDAVIZ_SECRET_ACCESS_KEY = SECRET_ACCESS_KEY
    for name in AWS_ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_with_daphne(tmp_path_factory, settings_module: str):
    """Daphne serving lambdaviz.asgi under `settings_module`, in its own process (as `make run` serves the site)."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("daphne") / "daphne.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "LAMBDAVIZ_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "LAMBDAVIZ_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
    }
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "lambdaviz.asgi:application"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    owned_by_fixture(process)

    def listening() -> bool:
        if process.poll() is not None:
            pytest.fail(f"daphne exited ({process.returncode}):\n{log_path.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            return False

    try:
        eventually(listening, timeout=30, interval=0.1, what=lambda: f"daphne to listen:\n{log_path.read_text()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def daphne_url(tmp_path_factory):
    """Daphne with the test views (tests/api/urls.py)."""
    yield from _serve_with_daphne(tmp_path_factory, "tests.api.daphne_settings")


@pytest.fixture(scope="session")
def lean_daphne_url(tmp_path_factory):
    """Daphne with the real API on the test database: Invoke is served by its lean ASGI route (invoke_route.py)."""
    yield from _serve_with_daphne(tmp_path_factory, "tests.api.lean_daphne_settings")


@pytest.fixture
def wsgi_url(request):
    """pytest-django's live server (WSGI, in a thread of this process); the test views need no database."""
    return request.getfixturevalue("live_server").url


@pytest.fixture(params=["wsgi", "daphne"])
def server_url(request):
    """Each signing test runs against both servers: daphne keeps the raw path, the WSGI server does not."""
    return request.getfixturevalue("wsgi_url" if request.param == "wsgi" else "daphne_url")


def lambda_client(
    endpoint_url: str,
    *,
    access_key_id: str = ACCESS_KEY_ID,
    secret_access_key: str = SECRET_ACCESS_KEY,
    region: str = "us-east-1",
    signed: bool = True,
):
    """A real boto3 Lambda client pointed at our server; no retries, so each call is one HTTP request."""
    config = Config(retries={"total_max_attempts": 1}, **({} if signed else {"signature_version": UNSIGNED}))
    return boto3.session.Session().client(
        "lambda",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        config=config,
    )


def reached(endpoint_url: str) -> list[dict]:
    """What reached the signed test views so far (in whichever process serves them)."""
    with urllib.request.urlopen(f"{endpoint_url}/test-only/reached", timeout=10) as response:
        return json.loads(response.read())


class SignEveryHeader(SigV4Auth):
    """Like SDKs that sign every header they send (botocore leaves user-agent, x-amzn-trace-id, ... unsigned)."""

    def headers_to_sign(self, request):
        headers = HTTPHeaders()
        for name, value in request.headers.items():
            headers[name.lower()] = value
        headers["host"] = urlsplit(request.url).netloc
        return headers


def send_signed(
    endpoint_url: str,
    method: str,
    path_and_query: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    service: str = "lambda",
    region: str = "us-east-1",
    send_body: bytes | None = None,
    signer: type[SigV4Auth] = SigV4Auth,
) -> tuple[int, http.client.HTTPMessage, dict]:
    """Sign with botocore's SigV4Auth (or `signer`), then send exactly these bytes, path included (or `send_body`
    instead of the signed body)."""
    request = AWSRequest(method=method, url=endpoint_url + path_and_query, data=body, headers=headers or {})
    signer(Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY), service, region).add_auth(request)
    parts = urlsplit(endpoint_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        payload = body if send_body is None else send_body
        connection.request(method, path_and_query, body=payload, headers=dict(request.headers.items()))
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    return response.status, response.headers, json.loads(content) if content else {}


# --- The Lambda API (issue 5, point 1): real boto3 against the real views, a live engine host ---------------------

ROLE = "arn:aws:iam::123456789012:role/lambda-role"


def lambda_api_client(endpoint_url: str, *, validate: bool = True):
    """A boto3 Lambda client for the real API; `validate=False` skips botocore's client-side checks, so the
    server's own validation answers (as it would for any other SDK)."""
    config = Config(
        retries={"total_max_attempts": 1},
        read_timeout=60,
        parameter_validation=validate,
    )
    return boto3.session.Session().client(
        "lambda",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        config=config,
    )


@pytest.fixture
def client(live_server):
    return lambda_api_client(live_server.url)


def zip_of(files: dict[str, str | bytes]) -> bytes:
    """A zip archive in memory, as `zip` or a build tool would make it."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def behaviour_zip(profile: dict | None = None) -> bytes:
    """A modelled function's code: behaviour.json holding a behaviour profile."""
    return zip_of({"behaviour.json": json.dumps(profile or {})})


def create_modelled(client, name: str, profile: dict | None = None, **config) -> dict:
    return client.create_function(
        FunctionName=name,
        Runtime=config.pop("Runtime", "python3.12"),
        Role=ROLE,
        Handler=config.pop("Handler", "lambda_function.handler"),
        Code={"ZipFile": behaviour_zip(profile)},
        **config,
    )


class _NullLayer:
    """A channel layer that drops frames: the API tests read answers, not the dashboard's stream."""

    async def group_send(self, group, message):
        return None


@pytest.fixture
def checkout(client):
    """The client, with checkout published as version 1 and alias prod → 1."""
    create_modelled(client, "checkout", Publish=True)
    client.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="1")
    return client


@pytest.fixture
def engine_host(redis_client):
    """The engine host (runtime.host.wiring.build_host) running in a background thread for the test's duration:
    it reads the database and Redis, takes the API's invocations from the inbox and answers their reply keys.
    Yields a handle whose `host` is that host (read its state from the test thread, never step it)."""
    import threading
    from types import SimpleNamespace

    import redis as redis_lib
    from django.conf import settings as django_settings
    from django.db import connections

    from invocations.runtime.host.wiring import build_host
    from invocations.runtime.publisher import Publisher
    from invocations.services.host_adapter import DatabaseConfig, DatabaseReporter

    stop, ready = threading.Event(), threading.Event()
    failures: list[BaseException] = []
    handle = SimpleNamespace(host=None)

    def run() -> None:
        try:
            host = handle.host = build_host(
                client=redis_lib.Redis.from_url(django_settings.REDIS_URL),
                config=DatabaseConfig(),
                reporter=DatabaseReporter(),
                publisher=Publisher(channel_layer=_NullLayer()),
                seed=7,
            )
            try:
                ready.set()
                while not stop.is_set():
                    host.run(0.2)
            finally:
                # Its journal writer and handler processes must not outlive the test: a writer left running
                # drained later tests' journals (CI's failing test_record_journal).
                host.close()
        except BaseException as error:  # reported at teardown
            failures.append(error)
        finally:
            ready.set()
            connections.close_all()

    thread = threading.Thread(target=run, name="engine-host", daemon=True)
    thread.start()
    assert ready.wait(30), "the engine host did not start"
    yield handle
    stop.set()
    thread.join(30)
    assert not thread.is_alive(), "the engine host did not stop"
    assert not failures, failures


@pytest.fixture
def clock_speed(engine_host):
    """Set the simulation clock's speed (simulated seconds per real second) for the running host."""
    from invocations.services import simulation_clock_set

    def set_speed(factor: float) -> None:
        simulation_clock_set(factor=factor)

    return set_speed


def error_of(call) -> ClientError:
    """The ClientError a boto3 call raises (every API test file asserts on these)."""
    with pytest.raises(ClientError) as info:
        call()
    return info.value
