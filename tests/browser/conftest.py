"""Browser tests: real headless Chromium (Debian's, see STACK-NOTES) against a forked daphne live server.

The engine host runs in a thread of the test process and publishes over the same Redis channel layer the
server's websockets listen on, so the pages see live frames.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import eventually

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1500, "height": 1000}}


def _make_application():
    from channels.routing import get_default_application
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    return ASGIStaticFilesHandler(get_default_application())


def _child_setup(test_db_name: str, blocker) -> None:
    """In the forked server: the test database, fresh connections, and a fresh sync_to_async thread (STACK-NOTES)."""
    import asgiref.sync
    from django.db import connections

    blocker.unblock()  # pytest-django's block on database access was inherited by the fork

    settings.DATABASES["default"]["NAME"] = test_db_name
    connections.close_all()
    asgiref.sync.SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker):
    """A daphne server (HTTP and websockets) in a forked process, serving the test database."""
    from daphne.testing import DaphneProcess
    from django.db import connections

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    with django_db_blocker.unblock():
        connections.close_all()
    process = DaphneProcess(
        "127.0.0.1",
        _make_application,
        setup=partial(_child_setup, settings.DATABASES["default"]["NAME"], django_db_blocker),
    )
    process.start()
    if not process.ready.wait(timeout=30):
        process.terminate()
        raise RuntimeError("the daphne live server did not start")
    yield f"http://127.0.0.1:{process.port.value}"
    process.terminate()
    process.join(5)


@pytest.fixture
def redis_db(redis_client):
    """The root conftest's emptied test Redis, under the name these tests use."""
    return redis_client


class HostThread:
    """The engine host stepping in a background thread until stopped."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self.stop_event = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from django.db import connection

        from invocations.runtime.host.wiring import build_host
        from invocations.services.host_adapter import DatabaseConfig, DatabaseReporter

        host = None
        try:
            host = build_host(client=self.client, config=DatabaseConfig(), reporter=DatabaseReporter(), seed=7)
            while not self.stop_event.is_set():
                host.run(0.2)
        except BaseException as error:  # reported by the fixture
            self.error = error
            raise
        finally:
            if host is not None:
                host.close()  # stops the record writer and handler processes, closing their connections
            connection.close()

    def start(self) -> HostThread:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(10)


@pytest.fixture
def engine_host(redis_db, transactional_db):
    from invocations.runtime.shared_clock import SharedClock

    # Directly on the shared clock: the service would announce through async_to_sync, and Playwright's loop runs here.
    clock = SharedClock(redis_db)
    clock.set_speed(1.0)
    clock.resume()
    host = HostThread(redis_db).start()
    yield host
    host.stop()
    assert host.error is None, f"the engine host failed: {host.error!r}"


@pytest.fixture
def seeded(transactional_db):
    from invocations.services.demo import demo_seed

    demo_seed()


@pytest.fixture
def staff_cookie(transactional_db, live_url):
    """A logged-in staff session, as a cookie Playwright can add to a browser context."""
    user = get_user_model().objects.create_user("teacher", password="pw-teacher", is_staff=True)
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_url,
    }


def collect_console_errors(page) -> list[str]:
    """Console errors and uncaught page errors of `page`, as they happen; tests assert the list stays empty."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture
def console_errors(page):
    """collect_console_errors for pytest-playwright's own page."""
    return collect_console_errors(page)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _database_url() -> str:
    """The test database as a DATABASE_URL, for a server process started from scratch."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(str(db['PASSWORD']))}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(str(db.get('USER') or ''))}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class DaphneSubprocess:
    """`daphne lambdaviz.asgi:application` as its own process (as `make run` starts it), on a fixed port, so a test
    can stop it and start it again where the page expects it."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.env = {**os.environ, "DATABASE_URL": _database_url(), "PYTHONUNBUFFERED": "1"}

    def start(self, timeout: float = 30.0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "lambdaviz.asgi:application"],
            cwd=Path(__file__).resolve().parents[2],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/", timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        eventually(answers, timeout=timeout, interval=0.2, what=f"daphne to answer at {self.url}/")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None


@pytest.fixture
def daphne_server(transactional_db, redis_db):
    """A daphne server in a subprocess on the test database; the test may stop and start it."""
    server = DaphneSubprocess()
    server.start()
    yield server
    server.stop()
