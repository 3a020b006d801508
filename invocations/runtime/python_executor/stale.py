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

PREFIX = "lambdaviz-python-"
LOCK = ".host.lock"


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
    """rmtree that first makes the read-only code directories writable again (their mode is 0555)."""
    for directory, dirs, _ in os.walk(path):
        for name in dirs:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(directory, name), 0o700)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)
    shutil.rmtree(path, ignore_errors=True)
