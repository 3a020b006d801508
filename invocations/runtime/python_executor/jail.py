"""An execution environment's own small machine (issue #10), built by the worker process before any handler code:
its own PID, mount, IPC (and network) namespaces, a root of its own and a private, size-limited /tmp.

Standard library only, like bootstrap.py (which loads it by path, before the handler: the sandbox cannot see the
project). Needs root (CAP_SYS_ADMIN) in the host's namespaces; the server probes it once at start (sandbox.py) and
falls back to the uid + hidepid sandbox where the kernel refuses.

Three processes per environment, so that the executor keeps one child of its own to watch, signal and reap:
  keeper   the process the executor started (host PID namespace): unshares, forks the init, waits for it and
           exits as the runtime did (exit code or signal);
  init     PID 1 of the new PID namespace: builds the root, forks the runtime, reaps orphans; when the runtime
           ends it exits, and the kernel kills everything else in the namespace (a handler's setsid children too);
  runtime  PID 2: drops to the environment's uid/gid and returns to bootstrap.py, which runs the handler.

The root is an empty tmpfs with the host's system directories bound read-only (/usr, /etc, ... nosuid, nodev),
the function's code at /var/task and the runtime at /var/runtime (read-only), a minimal /dev (null, zero, full,
random, urandom), a fresh /proc of the namespace (hidepid=invisible: the runtime does not even see its root-owned
init), and one tmpfs of EphemeralStorage.Size MB serving /tmp and /dev/shm. Private paths of the server that
happen to lie under a bound directory are covered by empty read-only tmpfs mounts. Nothing else of the host's file
system is there: not the project's source, not var/, not other environments' folders, no /var/tmp.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import platform
import signal

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x08000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
MNT_DETACH = 2
PR_SET_PDEATHSIG = 1
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}
DEVICES = ("null", "zero", "full", "random", "urandom")
DEV_LINKS = {
    "fd": "/proc/self/fd",
    "stdin": "/proc/self/fd/0",
    "stdout": "/proc/self/fd/1",
    "stderr": "/proc/self/fd/2",
}
_RO_BIND = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV


class JailError(OSError):
    pass


_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise JailError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: None if s is None else s.encode()  # noqa: E731
    _check(_libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def _pivot_root(new_root: str) -> None:
    number = SYS_PIVOT_ROOT.get(platform.machine())
    if number is None:
        raise JailError(0, f"pivot_root: unknown syscall number on {platform.machine()}")
    os.chdir(new_root)
    # pivot_root(".", "."): the old root ends up under the new one, and is detached at once (no put_old directory).
    _check(_libc.syscall(number, b".", b"."), "pivot_root")
    _check(_libc.umount2(b".", MNT_DETACH), "detach the host's root")
    os.chdir("/")


def _bind(source: str, target: str, flags: int = _RO_BIND) -> None:
    _mount(source, target, None, MS_BIND | MS_REC)
    _mount(None, target, None, flags)  # a bind mount takes new flags only on a remount


def _tmpfs(target: str, data: str, flags: int = MS_NOSUID | MS_NODEV) -> None:
    _mount("tmpfs", target, "tmpfs", flags, data)


def _build_root(jail: dict) -> None:
    """Everything under jail["root"] (a host directory that becomes "/"), in the init's mount namespace."""
    root = jail["root"]
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing we mount propagates back to the host
    _tmpfs(root, "size=256k,nr_inodes=1024,mode=0755")

    def inside(path: str) -> str:
        return root + path

    for path, target in jail["links"]:
        os.symlink(target, inside(path))  # /bin -> usr/bin on merged-/usr systems
    for path in jail["binds"]:
        os.makedirs(inside(path), exist_ok=True)
        _bind(path, inside(path))
    for path in jail["hide"]:
        if os.path.isdir(inside(path)) and not os.path.islink(inside(path)):
            _tmpfs(inside(path), "size=4k,nr_inodes=16,mode=0555", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for path, source in (("/var/task", jail["task"]), ("/var/runtime", jail["runtime"])):
        os.makedirs(inside(path))
        _bind(source, inside(path))
    # /dev: a few device nodes bound from the host, the usual links, and the mount point of /dev/shm.
    os.mkdir(inside("/dev"))
    _tmpfs(inside("/dev"), "size=64k,nr_inodes=64,mode=0755", MS_NOSUID | MS_NOEXEC)
    for name in DEVICES:
        open(inside(f"/dev/{name}"), "w").close()
        _bind(f"/dev/{name}", inside(f"/dev/{name}"), MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NOEXEC)
    for name, target in DEV_LINKS.items():
        os.symlink(target, inside(f"/dev/{name}"))
    os.mkdir(inside("/dev/shm"))
    os.mkdir(inside("/tmp"))
    # Ephemeral storage: one tmpfs of Size MB; /tmp and /dev/shm are two folders of it (one budget, as one disk).
    stage = inside("/.ephemeral")
    os.mkdir(stage)
    _tmpfs(stage, f"size={int(jail['tmp_mb'])}m,mode=0755")
    for name, target in (("tmp", "/tmp"), ("shm", "/dev/shm")):
        os.mkdir(f"{stage}/{name}")
        os.chmod(f"{stage}/{name}", 0o1777)
        _mount(f"{stage}/{name}", inside(target), None, MS_BIND)
    _check(_libc.umount2(stage.encode(), MNT_DETACH), "detach the staging mount")
    os.rmdir(stage)
    _mount(None, inside("/dev"), None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC)
    # This namespace's own /proc (the mounter's PID namespace decides what it shows).
    os.mkdir(inside("/proc"))
    _mount("proc", inside("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=invisible")
    _pivot_root(root)
    _mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)  # the root tmpfs itself: read-only


def _exit_like(status: int) -> None:
    """Exit the way a child with wait status `status` did (a signal is re-raised: the executor reports it)."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)
        os._exit(128 + sig)
    os._exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1)


def _quiet(keep: int) -> None:
    """A keeper or init holds none of the runtime's pipes: their end of file must mean what it says."""
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 20)


def _keeper(init_pid: int, status_r: int) -> None:
    _quiet(status_r)
    while True:
        try:
            _, status = os.waitpid(init_pid, 0)
            break
        except ChildProcessError:
            os._exit(1)
    reported = b""
    with contextlib.suppress(OSError):
        reported = os.read(status_r, 16)
    _exit_like(int(reported) if reported.strip() else status)


def _init(runtime_pid: int, status_w: int) -> None:
    _quiet(status_w)
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(1)
        if pid == runtime_pid:
            os.write(status_w, str(status).encode())
            os._exit(0)  # PID 1 leaves: the kernel kills every other process of the namespace


def enter(jail: dict, report: dict) -> None:
    """Called by the runtime before it reads any handler code; returns only in the runtime process, now PID 2 of
    its own namespace, as the environment's uid/gid. On failure (raises JailError) nothing has been forked."""
    flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | (CLONE_NEWNET if jail["isolate_network"] else 0)
    _check(_libc.unshare(flags), "unshare")
    status_r, status_w = os.pipe()
    init_pid = os.fork()
    if init_pid:
        os.close(status_w)
        _keeper(init_pid, status_r)
    # The init: PID 1 of the new namespace, dies with the keeper.
    os.close(status_r)
    try:
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        _build_root(jail)
    except Exception as exc:  # the init still holds the protocol pipes: bootstrap reports it there, and exits
        raise JailError(0, f"private root: {exc}") from None
    runtime_pid = os.fork()
    if runtime_pid:
        _init(runtime_pid, status_w)
    os.close(status_w)
    os.setgroups([])
    os.setresgid(jail["gid"], jail["gid"], jail["gid"])
    os.setresuid(jail["uid"], jail["uid"], jail["uid"])
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # after the uid change, which clears it
    os.chdir("/var/task")
    report["private_root"] = True
    report["pid_namespace"] = True
    report["proc_own_uid_only"] = True  # hidepid=invisible: not even its root-owned init
    report["network_isolated"] = bool(jail["isolate_network"])
    report["tmp_mb"] = int(jail["tmp_mb"])
