"""Over-long request lines and header lines get an answer from daphne's HTTP server, not a dropped connection.

Twisted's HTTPChannel reads each line with LineReceiver, whose MAX_LENGTH is 16,384 bytes; past it, LineReceiver
just closes the connection, so a 70,000-character function name in a URL got no answer at all. daphne builds its
channels from twisted.web.http.HTTPChannel and offers no hook for this, so `install()` (called by lambdaviz.asgi,
which daphne imports before it serves) gives that class a lineLengthExceeded that answers first: 414 for the
request line, 431 for a header line, AWS's error shape for a Lambda API path, and then closes the connection.
"""

from __future__ import annotations

import json
import re

from twisted.web import http

API_REQUEST_LINE = re.compile(rb"^[A-Z]+ /20\d\d-\d\d-\d\d/")
# ⚠ Lambda has no error type for these (the answer comes from AWS's front end); the names say what happened.
URI_TOO_LONG = (414, "URI Too Long", "UriTooLongException", "The request URI is too long.")
HEADER_TOO_LONG = (431, "Request Header Fields Too Large", "RequestHeaderTooLargeException", "A header is too long.")


def too_long_response(line: bytes, *, first_line: bool) -> bytes:
    """The whole HTTP/1.1 answer to a request whose request line (`first_line`) or a header line is too long."""
    status, phrase, error_type, message = URI_TOO_LONG if first_line else HEADER_TOO_LONG
    if API_REQUEST_LINE.match(line):
        body = json.dumps({"Type": "User", "message": message}).encode()
        headers = f"Content-Type: application/json\r\nx-amzn-ErrorType: {error_type}\r\n"
    else:
        body = f"{status} {phrase}: {message}\n".encode()
        headers = "Content-Type: text/plain; charset=utf-8\r\n"
    head = f"HTTP/1.1 {status} {phrase}\r\n{headers}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    return head.encode("ascii") + body


def _line_length_exceeded(channel: http.HTTPChannel, line: bytes) -> None:
    # HTTPChannel's own flag (name-mangled): truthy until the request line has been read.
    first_line = bool(getattr(channel, "_HTTPChannel__first_line", 1))
    channel.transport.write(too_long_response(line, first_line=first_line))
    channel.transport.loseConnection()


def install() -> None:
    http.HTTPChannel.lineLengthExceeded = _line_length_exceeded
