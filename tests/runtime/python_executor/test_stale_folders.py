"""Stale sandbox folders: a killed engine host's folder (with function code) is swept at the next host's start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from invocations.runtime.python_executor import SandboxPolicy
from invocations.runtime.python_executor.stale import PREFIX, remove_tree

# A host that puts a function's code on disk, says where, then waits to be killed.
HOST = """
import sys, time
from invocations.runtime.python_executor import PythonExecutor, SandboxPolicy
from invocations.runtime.python_executor.code import PythonCode
ex = PythonExecutor(max_processes=1, policy=SandboxPolicy(root_dir=sys.argv[1]))
layout = ex.sandbox.prepare(7, PythonCode.single_file("SECRET = 1\\ndef lambda_handler(e, c):\\n    return 1\\n"), 0)
print(layout.task, flush=True)
time.sleep(600)  # the thing under test: a host that dies (SIGKILL) with its code still on disk
"""


@pytest.fixture
def parent():
    path = Path(tempfile.mkdtemp(prefix="lv-stale-test-"))
    os.chmod(path, 0o711)  # the sandbox user traverses it
    yield path
    remove_tree(path)


def killed_host_folder(parent: Path) -> Path:
    host = subprocess.Popen(
        [sys.executable, "-c", HOST, str(parent)], stdout=subprocess.PIPE, cwd=Path(__file__).parents[3]
    )
    try:
        task = Path(host.stdout.readline().decode().strip())
        assert (task / "lambda_function.py").exists()
    finally:
        host.send_signal(signal.SIGKILL)
        host.wait(10)
        host.stdout.close()
    folder = task.parent.parent
    assert folder.parent == parent and folder.name.startswith(PREFIX) and folder.exists()
    return folder


def test_a_killed_hosts_folder_is_swept_when_the_next_host_starts(parent, new_executor):
    stale = killed_host_folder(parent)
    live = new_executor(policy=SandboxPolicy(root_dir=str(parent)))
    assert not stale.exists()
    assert live.sandbox.swept == [stale]


def test_a_live_hosts_folder_is_spared_and_removed_when_it_closes(parent, new_executor):
    first = new_executor(policy=SandboxPolicy(root_dir=str(parent)))
    second = new_executor(policy=SandboxPolicy(root_dir=str(parent)))
    assert second.sandbox.swept == []
    assert first.sandbox.root_dir.exists() and second.sandbox.root_dir.exists()
    first.close()
    assert not first.sandbox.root_dir.exists()
    assert second.sandbox.root_dir.exists()
