"""A Python function's deployment package (the uploaded zip): checked once, extracted into each environment's task
root (its /var/task), so sibling modules, packages and data files sit beside the handler as on AWS."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path, PureWindowsPath

from ...rules.functions import CODE_SIZE_UNZIPPED_MAX
from ...rules.packages import is_safe_entry


def check_archive(data: bytes) -> None:
    """Raise ValueError for a zip that cannot be extracted safely: unreadable, an entry outside the task root, or
    more than Lambda's 250 MB unzipped (declared sizes; extraction never writes more than declared)."""
    _safe_entries(data)


def extract_archive(data: bytes, target: Path) -> None:
    """Every entry of the zip under `target` (checked again: the bytes may come from anywhere)."""
    archive, entries = _safe_entries(data)
    with archive:
        for info in entries:
            path = target.joinpath(*PureWindowsPath(info.filename).parts)
            if info.is_dir():
                path.mkdir(parents=True, exist_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            # zipfile stops at the declared size (and checks the CRC), so a lying header cannot inflate the disk use.
            with archive.open(info) as source, path.open("wb") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)


def _safe_entries(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (ValueError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ValueError(f"the deployment package is not a readable zip ({exc})") from None
    for info in entries:
        if not is_safe_entry(info.filename):
            raise ValueError(f"unsafe file name in the deployment package: {info.filename!r}")
    if sum(info.file_size for info in entries) > CODE_SIZE_UNZIPPED_MAX:
        raise ValueError(f"the deployment package unzips to more than {CODE_SIZE_UNZIPPED_MAX} bytes")
    return archive, entries
