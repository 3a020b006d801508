"""The sandbox policy (limits, identity, namespaces) and the on-disk layout of one worker process.

Layers, outermost first (each best effort; what applied is reported by every worker, see Sandbox.describe):
1. A fresh process (`python -I -S -u -B`): a scrubbed environment (environment.py), no inherited fd but the two
   protocol pipes, no site-packages, no PYTHON* variables, its own session (killed as a process group).
2. When the executor runs as root: a different, unprivileged uid/gid (65534 nobody/nogroup by default, or one uid
   per pool slot with `uid_base`), no supplementary groups. The server's var/ (mode 0700) is then unreadable.
3. On Linux, when unprivileged user namespaces work: a private user + mount (+ network) namespace, private paths
   (and /proc when privileges are not dropped) covered by empty read-only tmpfs mounts, every capability dropped
   and locked, no_new_privs. This is what protects var/ when the server does not run as root.
4. Resource limits (RLIMIT_AS, CPU, NPROC, FSIZE, NOFILE, CORE), set in the worker before any handler code runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .code import PythonCode
from .package import extract_archive
from .procfs import mount_hidden_proc, unmount
from .stale import PROC, create_host_folder, remove_tree, sweep_stale_folders

BOOTSTRAP = Path(__file__).with_name("bootstrap.py")
_PROBE = "import ctypes, decimal, importlib, json, logging, resource, traceback; print('ok')"


@dataclass(frozen=True, slots=True)
class SandboxPolicy:
    memory_overhead_mb: int = 64  # RLIMIT_AS = memory_mb + this (the interpreter's own address space, ~15 MB)
    cpu_seconds: int = 900  # RLIMIT_CPU over a worker's whole life (the wall-clock timeout is enforced separately)
    max_user_processes: int = 64  # RLIMIT_NPROC: processes + threads (per environment in a user namespace)
    file_size_mb: int = 512  # RLIMIT_FSIZE: largest file a handler may write (Lambda's default /tmp is 512 MB)
    open_files: int = 1024  # RLIMIT_NOFILE, Lambda's limit
    init_timeout_s: float = 10.0  # semantics §9: the Init phase limit
    drop_privileges: bool = True  # only meaningful when the executor runs as root
    uid: int = 65534  # nobody
    gid: int = 65534  # nogroup
    uid_base: int | None = None  # when set (and root): pool slot i runs as uid/gid uid_base + i
    namespaces: bool = True  # try the private user/mount/network namespaces
    isolate_network: bool = True  # with namespaces: no network at all (the server's Redis is on localhost)
    private_paths: tuple[str, ...] = ()  # hidden inside the sandbox (pass settings.VAR_DIR)
    hide_proc: bool | None = None  # None: hide /proc when privileges are not dropped (/proc/<server>/environ)
    hidepid_proc: bool = True  # root + namespaces: /proc shows a handler its own uid's processes only (procfs.py)
    freeze_idle: bool = True  # SIGSTOP a worker between invokes, SIGCONT on the next (semantics §9 "frozen")
    max_log_bytes: int = 1 << 20  # per invocation; the rest is dropped with a note
    python: str | None = None  # the interpreter; None: the first candidate the sandbox user can run (probed)
    root_dir: str | None = None  # where the host's own folder goes (stale ones are swept there); None: the temp dir
    extra_env: dict[str, str] = field(default_factory=dict)  # added before the function's own variables
    # Fail closed: refuse to run a handler that could read the server's private paths (not root, and the private
    # namespaces could not be set up). False only for trusted local experiments.
    require_isolation: bool = True


@dataclass(slots=True)
class Layout:
    """One worker's directories: `task` holds the code (read-only, LAMBDA_TASK_ROOT), `tmp` is its TMPDIR."""

    base: Path
    runtime: Path
    task: Path
    tmp: Path
    uid: int | None
    gid: int | None
    own_uid: bool = False  # the uid is this environment's alone while it lives: every process of it may be killed


class Sandbox:
    """Resolves a policy once (who we are, which interpreter) and prepares worker layouts."""

    def __init__(self, policy: SandboxPolicy) -> None:
        self.policy = policy
        self.root = os.geteuid() == 0
        self.drops = self.root and policy.drop_privileges and hasattr(os, "setuid")
        self.hide_proc = (not self.drops) if policy.hide_proc is None else policy.hide_proc
        parent = Path(policy.root_dir or tempfile.gettempdir())
        parent.mkdir(parents=True, exist_ok=True)
        self.swept = sweep_stale_folders(parent)  # folders (with function code) of hosts that were killed
        self.root_dir, self._lock_fd = create_host_folder(parent)
        os.chmod(self.root_dir, 0o711)  # others may traverse (the sandbox user) but not list
        self.proc_source: str | None = None
        self.proc_error: str | None = None
        if policy.hidepid_proc and policy.namespaces and self.drops:
            self.proc_error = mount_hidden_proc(self.root_dir / PROC)
            if self.proc_error is None:
                self.proc_source = str(self.root_dir / PROC)
        self.private_paths = self._checked_private_paths()
        self.per_slot = False
        try:
            self.python = self._choose_python()
        except BaseException:
            self.close()
            raise

    # --- identity ----------------------------------------------------------------------------------------------

    def ids(self, slot: int) -> tuple[int | None, int | None]:
        if not self.drops:
            return None, None
        if self.per_slot and self.policy.uid_base is not None:
            return self.policy.uid_base + slot, self.policy.uid_base + slot
        return self.policy.uid, self.policy.gid

    def _checked_private_paths(self) -> tuple[str, ...]:
        out = []
        root = os.path.realpath(self.root_dir)
        for path in self.policy.private_paths:
            real = os.path.realpath(path)
            if root == real or root.startswith(real.rstrip("/") + "/"):
                continue  # hiding it would hide the workers' own code; it stays protected by permissions only
            out.append(real)
        return tuple(out)

    def _candidates(self) -> list[str]:
        if self.policy.python:
            return [self.policy.python]
        names = [sys.executable, os.path.realpath(sys.executable), getattr(sys, "_base_executable", "")]
        names += ["/usr/local/bin/python3", "/usr/bin/python3"]
        seen: list[str] = []
        for name in names:
            if name and name not in seen and os.path.exists(name):
                seen.append(name)
        return seen

    def _probe(self, python: str, uid: int | None, gid: int | None) -> bool:
        kwargs: dict = {}
        if uid is not None:
            kwargs = {"user": uid, "group": gid, "extra_groups": []}
        try:
            done = subprocess.run(
                [python, "-I", "-S", "-c", _PROBE],
                capture_output=True,
                timeout=10,
                env={"PATH": "/usr/bin:/bin"},
                cwd="/",
                **kwargs,
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return done.returncode == 0 and done.stdout.strip() == b"ok"

    def _choose_python(self) -> str:
        """The first interpreter the sandbox user can start with its standard library (the server's own may live
        under a directory that user cannot read, e.g. /root/.pyenv)."""
        uid, gid = self.ids(0)
        if self.drops and self.policy.uid_base is not None:
            uid = gid = self.policy.uid_base
        for python in self._candidates():
            if self._probe(python, uid, gid):
                if self.drops and self.policy.uid_base is not None:
                    self.per_slot = True
                return python
        if self.drops and self.policy.uid_base is not None:
            for python in self._candidates():  # per-slot uids unusable here (a rootless container?): nobody
                if self._probe(python, self.policy.uid, self.policy.gid):
                    return python
        raise RuntimeError(
            "no Python interpreter can run as the sandbox user; install one readable by it (for example "
            f"/usr/bin/python3) or set SandboxPolicy.python. Tried: {self._candidates()}"
        )

    # --- layouts -----------------------------------------------------------------------------------------------

    def prepare(self, env_id: int, code: PythonCode, slot: int) -> Layout:
        uid, gid = self.ids(slot)
        base = self.root_dir / f"env-{env_id}-{uuid.uuid4().hex}"  # unguessable: the root is not listable
        runtime, task, tmp = base / "runtime", base / "task", base / "tmp"
        for path in (base, runtime, task, tmp):
            path.mkdir(mode=0o700)
        shutil.copyfile(BOOTSTRAP, runtime / "bootstrap.py")
        if code.archive:
            extract_archive(code.archive, task)  # the environment's own /var/task
        for name, text in code.checked_files().items():
            target = task / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        # The code is read-only for the handler (AWS's /var/task is); tmp is its own.
        for directory, _, files in os.walk(base):
            if directory.startswith(str(tmp)):
                continue
            os.chmod(directory, 0o555 if directory != str(base) else 0o711)
            for name in files:
                os.chmod(os.path.join(directory, name), 0o444)
        if uid is not None:
            os.chown(tmp, uid, gid)
            if self.per_slot:
                # Only this environment's own group may enter its folder: another environment (another uid and
                # gid) that learns the path from /proc/<pid>/cmdline still cannot read the code.
                os.chown(base, 0, gid)
                os.chmod(base, 0o710)
        return Layout(base, runtime, task, tmp, uid, gid, own_uid=self.per_slot and uid is not None)

    def remove(self, layout: Layout) -> None:
        remove_tree(layout.base)

    def close(self) -> None:
        if self._lock_fd >= 0:
            unmount(self.root_dir / PROC)
            if os.path.ismount(self.root_dir / PROC):
                return  # never walk into a /proc (a sweep at the next start retries)
            remove_tree(self.root_dir)
            os.close(self._lock_fd)  # after the removal: a sweeper never sees our folder unlocked
            self._lock_fd = -1

    def setup_frame(self, code: PythonCode, layout: Layout, memory_mb: int, timeout_s: float, env: dict) -> dict:
        p = self.policy
        limits = {
            "RLIMIT_AS": (memory_mb + p.memory_overhead_mb) << 20,
            "RLIMIT_CPU": p.cpu_seconds,
            "RLIMIT_NPROC": p.max_user_processes,
            "RLIMIT_FSIZE": p.file_size_mb << 20,
            "RLIMIT_NOFILE": p.open_files,
            "RLIMIT_CORE": 0,
        }
        return {
            "t": "setup",
            "handler": code.handler,
            "task_root": str(layout.task),
            "timeout_ms": int(round(timeout_s * 1000)),
            "limits": limits,
            "namespaces": p.namespaces,
            "isolate_network": p.isolate_network,
            "private_paths": list(self.private_paths),
            "hide_proc": self.hide_proc,
            "proc_source": self.proc_source,
            "parent_pid": os.getpid(),
            # RLIMIT_NPROC counts a uid's processes: per environment inside a user namespace, per sandbox uid when
            # privileges are dropped, but the server user's own count otherwise, where it would only break threads.
            "nproc_needs_namespace": not self.drops,
            # Without dropped privileges, only the private mount namespace keeps the handler out of var/ and /proc.
            "require_hidden": p.require_isolation and not self.drops,
            "lc_ctype": env.get("LC_CTYPE"),
        }

    def describe(self) -> dict:
        return {
            "python": self.python,
            "running_as_root": self.root,
            "drops_privileges": self.drops,
            "uids": f"per slot from {self.policy.uid_base}" if self.per_slot else self.ids(0)[0],
            "root_dir": str(self.root_dir),
            "private_paths": list(self.private_paths),
            "hide_proc": self.hide_proc,
            "proc": "own uid only (hidepid)" if self.proc_source else (self.proc_error or "host's /proc"),
        }
