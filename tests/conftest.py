"""Fixtures shared by every test folder: a real Redis (database 15 by default, see scripts/test.py), the one polling
helper (`eventually`), and a check that no test leaves a product thread or a child process behind."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from django.conf import settings


def eventually(
    predicate, *, timeout: float = 10.0, interval: float = 0.05, what: str | Callable[[], str] | None = None
):
    """Call `predicate` until it returns something truthy, and return that value.

    After `timeout` seconds raises AssertionError naming what was awaited (`what`, called then if it is a function
    so it can describe the state at that moment, or else the predicate's name) and the last value it returned.
    Import it with `from tests.conftest import eventually`.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            awaited = (what() if callable(what) else what) or getattr(predicate, "__qualname__", repr(predicate))
            raise AssertionError(f"timed out after {timeout} s waiting for {awaited}; last value: {value!r}")
        time.sleep(interval)


@pytest.fixture
def redis_client():
    """A real Redis client on the test database, emptied before and after the test."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


# --- Leak check ------------------------------------------------------------------------------------------------
# A record-journal writer or an engine host left running by one test drains or steps the next test's Redis state
# (test_record_journal once found its journal already drained). So every test must stop the product threads and
# the child processes it started. Those started by wider-scoped fixtures (a session daphne, the shared executor)
# belong to the fixture, and handler runtimes (bootstrap.py) belong to an executor whose own thread is checked.
PRODUCT_THREADS = ("engine-host", "record-writer", "record-journal-writer", "lv-frame-sender", "python-executor-io")
_owned_by_wider_fixtures: set[tuple[str, int]] = set()
_owned_pids: set[int] = set()


def owned_by_fixture(process) -> None:
    """Marks a child process as a wider-scoped fixture's (a session daphne), so no test is blamed for it.

    The setup hook below finds most of them by itself; a session fixture first asked for from inside a test's own
    fixture (server_url's getfixturevalue) once slipped past it, so the fixtures that start servers say so too.
    """
    _owned_pids.add(process.pid)  # by pid: its argv changes when the fork execs


def _children() -> set[tuple[str, int]]:
    """Live (not zombie) direct child processes of this process, other than handler runtimes, as (argv0, pid)."""
    found = set()
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) != me or fields[0] == "Z":
            continue
        if not any(arg.endswith(b"/bootstrap.py") for arg in argv):
            found.add((b" ".join(argv[:6]).decode(errors="replace"), int(entry.name)))
    return found


def _product_threads() -> set[tuple[str, int]]:
    return {(t.name, t.ident) for t in threading.enumerate() if t.name in PRODUCT_THREADS and t.is_alive()}


def _running() -> set[tuple[str, int]]:
    return _children() | _product_threads()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if fixturedef.scope == "function":
        return (yield)
    before = _running()
    try:
        return (yield)
    finally:
        _owned_by_wider_fixtures.update(_running() - before)


@pytest.fixture(autouse=True)
def _leaves_nothing_running():
    """Fails (at teardown) a test that leaves a product thread or a child process running after its fixtures end."""
    before = _running()
    yield

    # A thread or process asked to stop may take a moment to go.
    def left() -> set:
        return {item for item in _running() - before - _owned_by_wider_fixtures if item[1] not in _owned_pids}

    try:
        eventually(lambda: not left(), timeout=2.0, interval=0.02)
    except AssertionError:
        pytest.fail(f"left running after the test: {sorted(left())}", pytrace=False)
