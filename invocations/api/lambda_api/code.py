"""Code.ZipFile: a zip holding `behaviour.json` (a modelled function) or the handler's Python module.

- `behaviour.json` at the zip's root: a behaviour profile (invocations/engine/profile.py) → a modelled function.
  It wins when the zip holds Python files as well.
- otherwise the module the handler names ("lambda_function.handler" → lambda_function.py, "pkg.app.handler" →
  pkg/app.py) → a Python function whose handler source is that one file. Other files in the zip are not kept.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from invocations.errors import InvalidParameterValueException
from invocations.rules.functions import CODE_SIZE_UNZIPPED_MAX

PROFILE_FILE = "behaviour.json"
UNZIP_FAILED = "Could not unzip uploaded file. Please check your file, then try to upload again."
NOT_SUPPORTED = (
    "LambdaViz takes function code as Code.ZipFile only (S3 objects and container images are not simulated)."
)


@dataclass(frozen=True)
class FunctionCode:
    """Exactly one of the two is set."""

    behaviour_profile: dict[str, Any] | None = None
    handler_source: str | None = None


def code_from_request(code: dict[str, Any] | None, *, handler: str) -> FunctionCode:
    """CreateFunction's Code member (or UpdateFunctionCode's top-level ZipFile, given as {"ZipFile": ...})."""
    code = code or {}
    if code.get("S3Bucket") or code.get("S3Key") or code.get("ImageUri"):
        raise InvalidParameterValueException(NOT_SUPPORTED)
    zip_b64 = code.get("ZipFile")
    if not zip_b64:
        raise InvalidParameterValueException("Please provide a source for function code.")
    return code_from_zip(zip_b64, handler=handler)


def code_from_zip(zip_b64: str, *, handler: str) -> FunctionCode:
    try:
        data = base64.b64decode(zip_b64, validate=True)
        archive = zipfile.ZipFile(io.BytesIO(data))
        files = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    except (binascii.Error, ValueError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise InvalidParameterValueException(UNZIP_FAILED) from None
    # Read nothing before the declared sizes are known to fit (no zip bombs).
    if sum(info.file_size for info in files.values()) > CODE_SIZE_UNZIPPED_MAX:
        raise InvalidParameterValueException(f"Unzipped size must be smaller than {CODE_SIZE_UNZIPPED_MAX} bytes")
    if PROFILE_FILE in files:
        raw = _read(archive, PROFILE_FILE)
        try:
            profile = json.loads(raw)
        except (UnicodeDecodeError, ValueError) as error:
            raise InvalidParameterValueException(f"{PROFILE_FILE} is not valid JSON: {error}") from None
        if not isinstance(profile, dict):
            raise InvalidParameterValueException(f"{PROFILE_FILE} must hold a JSON object (a behaviour profile).")
        return FunctionCode(behaviour_profile=profile)
    module_path = handler_module_path(handler)
    if module_path is None or module_path not in files:
        shown = module_path or "the module the handler names"
        raise InvalidParameterValueException(
            f"The zip holds neither {PROFILE_FILE} (a modelled function) nor {shown} for handler {handler} "
            "(a Python function)."
        )
    try:
        source = _read(archive, module_path).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidParameterValueException(f"{module_path} is not UTF-8 text.") from None
    return FunctionCode(handler_source=source)


def handler_module_path(handler: str) -> str | None:
    """The file a Python handler string names: "pkg.app.handler" → "pkg/app.py" (None without a module part)."""
    module, dot, function = (handler or "").rpartition(".")
    if not dot or not module or not function:
        return None
    return module.replace(".", "/") + ".py"


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError):
        # Corrupt data, an encrypted member or an unsupported compression method.
        raise InvalidParameterValueException(UNZIP_FAILED) from None
