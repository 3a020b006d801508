"""Fixtures for the real Python handler executor: jobs shaped like the engine's Attempt, run to completion."""

from __future__ import annotations

import itertools
import os
import time
from types import SimpleNamespace

import pytest

from invocations.engine.config import VersionConfig
from invocations.engine.executors import ExecutionReport
from invocations.runtime.python_executor import PythonCode, PythonExecutor, SandboxPolicy
from tests.conftest import eventually

ARN = "arn:aws:lambda:eu-west-1:123456789012:function:{name}"
_env_ids = itertools.count(1000)


def python_config(source: str, handler: str = "lambda_function.handler", **kw) -> VersionConfig:
    return VersionConfig(executor="python", code=PythonCode.single_file(source, handler), **kw)


def make_job(config: VersionConfig, payload=None, *, env_id: int | None = None, cold: bool = True,
             function: str = "fn", version: str = "$LATEST", qualifier: str | None = None,
             init_type: str = "on-demand", request_id: str | None = None,
             client_context: dict | None = None):  # fmt: skip
    """What PythonExecutor reads of an engine Attempt: request_id, payload, config, env, cold, target, route,
    client_context."""
    env_id = next(_env_ids) if env_id is None else env_id
    base = ARN.format(name=function)
    return SimpleNamespace(
        request_id=request_id or f"req-{env_id}-{time.monotonic_ns()}",
        payload={} if payload is None else payload,
        config=config,
        env=SimpleNamespace(env_id=env_id, init_type=init_type),
        cold=cold,
        target=SimpleNamespace(function=function, version=version, arn=f"{base}:{version}"),
        route=SimpleNamespace(
            arn=f"{base}:{qualifier or '$LATEST'}", invoked_arn=f"{base}:{qualifier}" if qualifier else base
        ),
        client_context=client_context,
    )


def run(executor: PythonExecutor, job, timeout: float = 10.0) -> ExecutionReport:
    """Execute one job and poll until its report arrives (done is called from poll, on this thread)."""
    reports: list[ExecutionReport] = []
    executor.execute(job, lambda j, report: reports.append(report))

    def reported() -> bool:
        if not reports:
            executor.poll(wait=0.05)  # done() is called from here
        return bool(reports)

    eventually(reported, timeout=timeout, interval=0, what="the executor to finish the job")
    return reports[0]


@pytest.fixture(scope="session")
def executor():
    """One executor for the tests that do not look at the pool (each test uses its own environment ids)."""
    with PythonExecutor(max_processes=16) as shared:
        yield shared


@pytest.fixture
def new_executor():
    """Build executors with a custom policy or pool size; all are closed after the test."""
    made: list[PythonExecutor] = []

    def build(**kw) -> PythonExecutor:
        policy = kw.pop("policy", None) or SandboxPolicy()
        made.append(PythonExecutor(policy=policy, **kw))
        return made[-1]

    yield build
    for ex in made:
        ex.close()


@pytest.fixture
def needs_root():
    if os.geteuid() != 0:
        pytest.skip("privileges are only dropped when the server runs as root")


def namespaces_work(executor: PythonExecutor) -> bool:
    """Whether the last worker got its private namespaces: the private root (as root), or a user namespace
    (unprivileged user namespaces may be disabled)."""
    report = executor.describe()["worker"] or {}
    return bool(report.get("user_namespace") or report.get("private_root"))


@pytest.fixture(scope="session")
def lam():
    """The helpers above, for test modules (conftest modules are not importable under --import-mode=importlib)."""
    return SimpleNamespace(config=python_config, job=make_job, run=run, namespaces_work=namespaces_work)
