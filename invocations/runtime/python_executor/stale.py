"""Per-host sandbox folders and the sweep of those a dead host left behind (issue #10: function code on disk).

Each Sandbox owns one folder `<parent>/lambdaviz-python-XXXX` holding `.host.lock`, flock'd for the Sandbox's
whole life. The kernel drops the lock when the process dies, however it dies (SIGKILL included), so a folder whose
lock can be taken belongs to a dead host and is removed at the next host's start.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

from .procfs import unmount

PREFIX = "lambdaviz-python-"
LOCK = ".host.lock"
PROC = ".proc"  # the host's hidepid /proc mount (procfs.py), unmounted before the folder is removed


def create_host_folder(parent: Path) -> tuple[Path, int]:
    """A fresh folder under `parent` and the fd holding its lock (close it to release)."""
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)  # never inherited by workers
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return folder, fd


def sweep_stale_folders(parent: Path) -> list[Path]:
    """Remove every host folder under `parent` whose host has died; returns the folders removed."""
    removed = []
    with contextlib.suppress(FileNotFoundError):
        for folder in parent.iterdir():
            if folder.name.startswith(PREFIX) and folder.is_dir() and not folder.is_symlink() and _is_stale(folder):
                unmount(folder / PROC)
                if os.path.ismount(folder / PROC):
                    continue  # never walk into a /proc
                remove_tree(folder)
                removed.append(folder)
    return removed


def _is_stale(folder: Path) -> bool:
    try:
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        # No lock file: a host between mkdtemp and its lock, or one from before locks (it cannot say whether it
        # lives); or another user's folder. Not ours to judge.
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live host holds it
    finally:
        os.close(fd)
    return True


def remove_tree(path: Path) -> None:
    """rmtree that first makes the read-only code directories writable again (their mode is 0555). As root, so it
    never follows a symlink (a handler may plant one in its TMPDIR: /proc/<pid>/root, /etc) and never enters
    another mount (the hidepid /proc)."""
    for directory, dirs, _ in os.walk(path):
        dirs[:] = [name for name in dirs if not os.path.ismount(os.path.join(directory, name))]
        for name in dirs:
            _make_writable(os.path.join(directory, name))
    _make_writable(str(path))
    shutil.rmtree(path, ignore_errors=True)  # fd-based on Linux: symlinks are removed, not followed


def _make_writable(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return  # a symlink (ELOOP / ENOTDIR) or gone
    try:
        os.fchmod(fd, 0o700)
    except OSError:
        pass
    finally:
        os.close(fd)
