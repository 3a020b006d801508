"""A /proc instance of the host's own that shows each process only its own uid's processes (`hidepid=invisible`,
Linux 5.8+, where every proc mount is a separate instance). The server mounts it once (root only) in its host
folder; each worker bind-mounts it over /proc in its private mount namespace. With one uid per environment, a
handler then sees its own environment's processes only: not the server's, not other functions'."""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

_MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 2, 4, 8
_MNT_DETACH = 2


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def mount_hidden_proc(path: Path) -> str | None:
    """Mount it at `path`; returns None, or why it could not (not Linux, not root, an older kernel)."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return "needs Linux and root"
    path.mkdir(mode=0o555, exist_ok=True)
    flags = _MS_NOSUID | _MS_NODEV | _MS_NOEXEC
    # Never plain hidepid=2: before Linux 5.8 it would change the host's one /proc for everyone.
    if _libc().mount(b"proc", str(path).encode(), b"proc", flags, b"hidepid=invisible") != 0:
        return f"mount proc: {os.strerror(ctypes.get_errno())}"
    return None


def unmount(path: Path) -> None:
    if sys.platform.startswith("linux") and os.path.ismount(path):
        _libc().umount2(str(path).encode(), _MNT_DETACH)
