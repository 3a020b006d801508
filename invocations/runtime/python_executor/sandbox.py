"""The sandbox policy (limits, identity, namespaces) and the on-disk layout of one worker process.

Layers, outermost first (what applied is reported by every worker, see Sandbox.describe):
1. A fresh process (`python -I -S -u -B`): a scrubbed environment (environment.py), no inherited fd but the two
   protocol pipes, no site-packages, no PYTHON* variables, its own session (killed as a process group).
2. When the executor runs as root and the kernel allows it (probed once, at start): the environment's own machine
   (jail.py): PID, mount, IPC and network namespaces, a root of its own (system directories read-only, the code at
   /var/task, a minimal /dev, its own /proc) and a private tmpfs /tmp of EphemeralStorage.Size MB. Then:
3. When the executor runs as root: a different, unprivileged uid/gid (65534 nobody/nogroup by default, or one uid
   per pool slot with `uid_base`), no supplementary groups. Without the private root, the server's var/ (mode
   0700) is unreadable to that uid and /proc shows it its own uid's processes only (procfs.py).
4. Without the private root, on Linux, when unprivileged user namespaces work: a private user + mount (+ network)
   namespace, private paths (and /proc when privileges are not dropped) covered by empty read-only tmpfs mounts,
   every capability dropped and locked, no_new_privs. This is what protects var/ when the server is not root.
5. Resource limits (RLIMIT_AS, CPU, NPROC, FSIZE, NOFILE, CORE), set in the worker before any handler code runs.

Where the private root cannot be built (not root, root without CAP_SYS_ADMIN, a rootless container), the sandbox
fails closed: it says so (summary(), describe(), the engine host's start-up log and the top bar) and answers every
invocation with Runtime.SandboxUnavailable instead of running the handler. Only `allow_partial_isolation`
(LAMBDAVIZ_SANDBOX_ALLOW_PARTIAL=1, for trusted code) lets it degrade to layers 3-5 instead, as it degrades from
per-slot uids to nobody; even then a handler that could read the server's private paths is refused.
"""

from __future__ import annotations

import json
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
JAIL = Path(__file__).with_name("jail.py")
# What a jailed handler sees of the host, read-only: enough for Python, its standard library and a shell.
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
_PREFIXES = "import sys; print(sys.base_prefix); print(sys.base_exec_prefix)"
_PROBE = "import ctypes, decimal, importlib, json, logging, resource, traceback; print('ok')"


@dataclass(frozen=True, slots=True)
class SandboxPolicy:
    memory_overhead_mb: int = 64  # RLIMIT_AS = memory_mb + this (the interpreter's own address space, ~15 MB)
    cpu_seconds: int = 900  # RLIMIT_CPU over a worker's whole life (the wall-clock timeout is enforced separately)
    max_user_processes: int = 64  # RLIMIT_NPROC: processes + threads (per environment in a user namespace)
    # RLIMIT_FSIZE: the largest file a handler may write. None: jailed, just above EphemeralStorage.Size (a full /tmp
    # is ENOSPC, as on AWS, not EFBIG); otherwise 512 MB (Lambda's default /tmp).
    file_size_mb: int | None = None
    open_files: int = 1024  # RLIMIT_NOFILE, Lambda's limit
    init_timeout_s: float = 10.0  # semantics §9: the Init phase limit
    drop_privileges: bool = True  # only meaningful when the executor runs as root
    uid: int = 65534  # nobody
    gid: int = 65534  # nogroup
    uid_base: int | None = None  # when set (and root): pool slot i runs as uid/gid uid_base + i
    namespaces: bool = True  # try the private namespaces (the private root as root, else user/mount/network)
    private_root: bool = True  # root: the jail (jail.py) when the kernel allows it (probed at start)
    system_paths: tuple[str, ...] = SYSTEM_PATHS  # bound read-only into the private root (with Python's prefix)
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
    # Where the private root cannot be built, run handlers with layers 3-5 only (they share the host's PIDs and /tmp
    # and may read its source tree) instead of refusing them. Trusted code only; tests of the fallback set it.
    allow_partial_isolation: bool = False


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
    root: Path | None = None  # jailed: the mount point of its private root (empty on the host's side)

    @property
    def jailed(self) -> bool:
        return self.root is not None

    def visible(self) -> tuple[str, str, str]:
        """(task root, runtime dir, tmp dir) as the handler sees them."""
        if self.jailed:
            return "/var/task", "/var/runtime", "/tmp"
        return str(self.task), str(self.runtime), str(self.tmp)


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
        self.private_paths = self._checked_private_paths()
        self.per_slot = False
        self.jail_spec: dict | None = None
        self.jail_error: str | None = "needs Linux, root, namespaces and SandboxPolicy.private_root"
        try:
            self.python = self._choose_python()
            if policy.private_root and policy.namespaces and self.drops and sys.platform.startswith("linux"):
                self._probe_jail()
        except BaseException:
            self.close()
            raise
        if policy.hidepid_proc and policy.namespaces and self.drops and not self.jailed:
            self.proc_error = mount_hidden_proc(self.root_dir / PROC)
            if self.proc_error is None:
                self.proc_source = str(self.root_dir / PROC)

    @property
    def jailed(self) -> bool:
        return self.jail_spec is not None

    @property
    def refusal(self) -> str | None:
        """Why this sandbox refuses to run any handler (no private root, and partial isolation not allowed), or None."""
        if self.jailed or self.policy.allow_partial_isolation or not self.policy.require_isolation:
            return None
        return (
            f"LambdaViz cannot give handlers a private root and PID namespace here ({self.jail_error}), so it will "
            "not run Python code. Run the server as root on Linux with namespaces, or set "
            "LAMBDAVIZ_SANDBOX_ALLOW_PARTIAL=1 to run trusted handlers partly isolated."
        )

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

    # --- the private root (jail.py) -------------------------------------------------------------------------------

    def _system_view(self) -> tuple[list[str], list[list[str]], list[str]]:
        """(directories to bind, [link, target] symlinks, private paths to cover) for the private root."""
        done = subprocess.run(
            [self.python, "-I", "-S", "-c", _PREFIXES], capture_output=True, timeout=10, env={}, cwd="/", check=True
        )
        candidates = [*self.policy.system_paths, *done.stdout.decode().split()]
        binds: list[str] = []
        links: list[list[str]] = []
        for path in candidates:
            if not path.startswith("/") or path in binds or any(path == ln[0] for ln in links):
                continue
            if os.path.islink(path) and os.path.dirname(path) == "/":
                links.append([path, os.readlink(path)])
            elif os.path.isdir(path) and not any(_under(os.path.realpath(path), b) for b in binds):
                binds.append(os.path.realpath(path))
        hide = [p for p in self.private_paths if any(_under(p, b) for b in binds)]
        return binds, links, hide

    def _probe_jail(self) -> None:
        """Build one private root and run a process in it (as the sandbox uid): sets jail_spec, or jail_error."""
        try:
            binds, links, hide = self._system_view()
        except (OSError, subprocess.SubprocessError) as exc:
            self.jail_error = f"cannot ask {self.python} for its prefix: {exc}"
            return
        spec = {"binds": binds, "links": links, "hide": hide, "isolate_network": self.policy.isolate_network}
        probe = self.root_dir / "probe"
        for path in (probe, probe / "root", probe / "task", probe / "runtime"):
            path.mkdir(mode=0o700)
        for path in (probe / "task", probe / "runtime"):
            path.chmod(0o555)  # as prepare() leaves them: readable by the environment's uid
        uid, gid = self.ids(0)
        trial = {**spec, "root": str(probe / "root"), "task": str(probe / "task"), "runtime": str(probe / "runtime")}
        trial |= {"tmp_mb": 1, "uid": uid, "gid": gid}
        try:
            done = subprocess.run(
                [self.python, "-I", "-S", "-B", str(BOOTSTRAP), "--probe-jail", json.dumps(trial)],
                capture_output=True,
                timeout=10,
                env={"PATH": "/usr/bin:/bin"},
                cwd="/",
            )
            lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
            answer = json.loads(lines[-1]) if lines else {"error": done.stderr.decode("utf-8", "replace")[-500:]}
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            answer = {"error": repr(exc)}
        finally:
            remove_tree(probe)
        if answer.get("ok"):
            self.jail_spec, self.jail_error = spec, None
        else:
            self.jail_error = str(answer.get("error") or f"the probe's runtime reported {answer}")

    # --- layouts -----------------------------------------------------------------------------------------------

    def prepare(self, env_id: int, code: PythonCode, slot: int) -> Layout:
        uid, gid = self.ids(slot)
        base = self.root_dir / f"env-{env_id}-{uuid.uuid4().hex}"  # unguessable: the root is not listable
        runtime, task, tmp = base / "runtime", base / "task", base / "tmp"
        root = base / "root" if self.jailed else None  # jailed, /tmp is a tmpfs of its own: no folder on disk
        for path in (base, runtime, task, root or tmp):
            path.mkdir(mode=0o700)
        shutil.copyfile(BOOTSTRAP, runtime / "bootstrap.py")
        shutil.copyfile(JAIL, runtime / "jail.py")
        if code.archive:
            extract_archive(code.archive, task)  # the environment's own /var/task
        for name, text in code.checked_files().items():
            target = task / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        # The code is read-only for the handler (AWS's /var/task is); tmp is its own.
        for directory, _, files in os.walk(base):
            if directory.startswith((str(tmp), str(base / "root"))):
                continue
            os.chmod(directory, 0o555 if directory != str(base) else 0o711)
            for name in files:
                os.chmod(os.path.join(directory, name), 0o444)
        if uid is not None:
            if root is None:
                os.chown(tmp, uid, gid)
            if self.per_slot:
                # Only this environment's own group may enter its folder: another environment (another uid and
                # gid) that learns the path from /proc/<pid>/cmdline still cannot read the code.
                os.chown(base, 0, gid)
                os.chmod(base, 0o710)
        # Jailed, every process of the environment dies with its PID namespace: no uid-wide kill is needed.
        own_uid = self.per_slot and uid is not None and root is None
        return Layout(base, runtime, task, tmp, uid, gid, own_uid=own_uid, root=root)

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

    def setup_frame(
        self, code: PythonCode, layout: Layout, memory_mb: int, timeout_s: float, env: dict, ephemeral_mb: int = 512
    ) -> dict:
        p = self.policy
        jail = None
        file_size_mb = p.file_size_mb or 512
        if layout.jailed:
            jail = {
                **self.jail_spec,
                "root": str(layout.root),
                "task": str(layout.task),
                "runtime": str(layout.runtime),
            }
            jail |= {"tmp_mb": ephemeral_mb, "uid": layout.uid, "gid": layout.gid}
            file_size_mb = p.file_size_mb or ephemeral_mb + 1
        limits = {
            "RLIMIT_AS": (memory_mb + p.memory_overhead_mb) << 20,
            "RLIMIT_CPU": p.cpu_seconds,
            "RLIMIT_NPROC": p.max_user_processes,
            "RLIMIT_FSIZE": file_size_mb << 20,
            "RLIMIT_NOFILE": p.open_files,
            "RLIMIT_CORE": 0,
        }
        return {
            "t": "setup",
            "refuse": self.refusal,  # fail closed: the runtime reports this instead of loading the handler
            "handler": code.handler,
            "task_root": layout.visible()[0],
            "jail": jail,
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
            "proc": self._proc_summary(),
            "private_root": "on" if self.jailed else f"off: {self.jail_error}",
            "runs_handlers": self.refusal is None,
        }

    def _proc_summary(self) -> str:
        if self.jailed:
            return "its own PID namespace's (hidepid)"
        return "own uid only (hidepid)" if self.proc_source else (self.proc_error or "host's /proc")

    def summary(self) -> str:
        """One line for the start-up log: what a handler is isolated by here, and what it is not."""
        if self.refusal:
            return f"WARNING: Python handlers are refused (Runtime.SandboxUnavailable): {self.refusal}"
        if self.jailed:
            return (
                "Python handlers run jailed: own PID/mount/IPC/network namespaces, private root (system directories "
                f"read-only, code at /var/task), private /tmp of EphemeralStorage.Size, {self._uids()}"
            )
        if self.drops:
            return (
                "WARNING: partial isolation allowed, no private root for Python handlers "
                f"({self.jail_error}); they run as {self._uids()} with "
                f"/proc {self._proc_summary()}, but share the host's PIDs and /tmp and can read its source tree"
            )
        return (
            "WARNING: partial isolation allowed, but not root, so Python handlers keep the server's uid; they run "
            "only where private user "
            "namespaces hide var/ and /proc (else Runtime.SandboxUnavailable), and share the host's PIDs and /tmp"
        )

    def _uids(self) -> str:
        return f"one uid per pool slot from {self.policy.uid_base}" if self.per_slot else f"uid {self.ids(0)[0]}"


def _under(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip("/") + "/")
