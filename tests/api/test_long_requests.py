"""Over-long URLs and headers, and a Host not allowed, through daphne as `make run` serves the site: a clean answer
(414, 431, 400), never a dropped connection or a debug page (issue 10, point 5)."""

import json
import socket
from urllib.parse import urlsplit

import pytest

from .conftest import send_signed

pytestmark = pytest.mark.django_db(transaction=True)


def raw_exchange(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `request` as it is and read the whole answer (the server closes the connection after it)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    assert answer, "the connection was closed with no answer"
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (line.split(":", 1) for line in header_lines)}
    return int(status_line.split()[1]), headers, body


def request_line(method: str, path: str, host: str = "127.0.0.1", headers: str = "") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: close\r\n\r\n".encode()


def test_a_70000_character_function_name_in_the_api_gets_an_aws_shaped_414(lean_daphne_url):
    path = f"/2015-03-31/functions/{'a' * 70_000}/configuration"
    status, headers, body = raw_exchange(lean_daphne_url, request_line("GET", path))
    assert status == 414
    assert headers["x-amzn-errortype"] == "UriTooLongException"
    assert json.loads(body)["message"]


def test_a_70000_character_name_in_a_page_url_gets_a_plain_414(lean_daphne_url):
    status, headers, body = raw_exchange(lean_daphne_url, request_line("GET", f"/functions/{'a' * 70_000}/"))
    assert status == 414
    assert headers["content-type"].startswith("text/plain")
    assert b"Traceback" not in body


def test_an_over_long_header_gets_a_431(lean_daphne_url):
    status, _, _ = raw_exchange(lean_daphne_url, request_line("GET", "/", headers=f"X-Long: {'b' * 20_000}\r\n"))
    assert status == 431


def test_a_long_name_that_fits_the_line_is_aws_validation_or_a_404_page(lean_daphne_url):
    name = "a" * 10_000
    status, headers, body = send_signed(lean_daphne_url, "GET", f"/2015-03-31/functions/{name}")
    assert status == 400 and headers["x-amzn-ErrorType"] == "ValidationException"
    status, _, body = raw_exchange(lean_daphne_url, request_line("GET", f"/functions/{name}/"))
    assert status == 404 and b"Traceback" not in body


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/"), ("GET", "/functions/f/"), ("POST", "/2015-03-31/functions/f/invocations")]
)
def test_a_host_not_allowed_gets_a_plain_400_not_a_debug_page(lean_daphne_url, method, path):
    # The test daphne runs with DEBUG on, as `make run` does locally.
    request = request_line(method, path, host="evil.example", headers="Content-Length: 0\r\n")
    status, _, body = raw_exchange(lean_daphne_url, request)
    assert status == 400
    assert len(body) < 2000 and b"Traceback" not in body and b"DisallowedHost" not in body
