"""What a deployment package may hold: entries that extract inside the task root (checked by the API on upload
and by the python executor before extracting; pure, so both may import it)."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath


def is_safe_entry(name: str) -> bool:
    """An entry that extracts inside the task root: relative, no `..` part, no drive or root (either slash)."""
    windows = PureWindowsPath(name)  # splits on "/" and "\\" alike
    return bool(name) and not PurePosixPath(name).is_absolute() and not windows.anchor and ".." not in windows.parts
