"""Code.ZipFile: a zip holding `behaviour.json` (a modelled function) or the handler's Python module.

- `behaviour.json` at the zip's root: a behaviour profile (invocations/engine/profile.py) → a modelled function.
  It wins when the zip holds Python files as well.
- otherwise the module the handler names ("lambda_function.handler" → lambda_function.py, "pkg.app.handler" →
  pkg/app.py) must be in the zip → a Python function. The whole zip is kept (the runtime extracts it, so sibling
  modules, packages and data files are there); the handler module's text is also kept, to be shown.
Entries that would land outside the task root (an absolute path, a `..` part) make the zip unusable, as on AWS.
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

from invocations.errors import InvalidParameterValueException, InvalidRequestContentException
from invocations.models import CodeKind
from invocations.models.configuration import FunctionConfiguration
from invocations.rules.functions import CODE_SIZE_UNZIPPED_MAX
from invocations.rules.json_input import PREFIX as JSON_PREFIX
from invocations.rules.json_input import parse_json
from invocations.rules.packages import is_safe_entry

PROFILE_FILE = "behaviour.json"
UNZIP_FAILED = "Could not unzip uploaded file. Please check your file, then try to upload again."
NOT_SUPPORTED = (
    "LambdaViz takes function code as Code.ZipFile only (S3 objects and container images are not simulated)."
)


@dataclass(frozen=True)
class FunctionCode:
    """Exactly one of behaviour_profile and handler_source is set; `archive` is the zip they came from."""

    archive: bytes
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
        entries = archive.infolist()
        files = {info.filename: info for info in entries if not info.is_dir()}
    except (binascii.Error, ValueError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise InvalidParameterValueException(UNZIP_FAILED) from None
    if not all(is_safe_entry(info.filename) for info in entries):
        raise InvalidParameterValueException(UNZIP_FAILED)
    # Read nothing before the declared sizes are known to fit (no zip bombs).
    if sum(info.file_size for info in files.values()) > CODE_SIZE_UNZIPPED_MAX:
        raise InvalidParameterValueException(f"Unzipped size must be smaller than {CODE_SIZE_UNZIPPED_MAX} bytes")
    if PROFILE_FILE in files:
        raw = _read(archive, PROFILE_FILE)
        try:
            profile = parse_json(raw)
        except InvalidRequestContentException as error:
            detail = error.message.removeprefix(JSON_PREFIX)
            raise InvalidParameterValueException(f"{PROFILE_FILE} is not valid JSON: {detail}") from None
        if not isinstance(profile, dict):
            raise InvalidParameterValueException(f"{PROFILE_FILE} must hold a JSON object (a behaviour profile).")
        return FunctionCode(data, behaviour_profile=profile)
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
    return FunctionCode(data, handler_source=source)


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


def deployment_package(config: FunctionConfiguration) -> bytes:
    """The zip GetFunction's Code.Location serves: the one uploaded, else one built from the code written in the
    dashboard or the admin (behaviour.json, or the handler's module), with fixed timestamps so it never changes."""
    if config.code_archive:
        return bytes(config.code_archive)
    if config.code_kind == CodeKind.PYTHON:
        name, text = handler_module_path(config.handler) or "lambda_function.py", config.handler_source
    else:
        name, text = PROFILE_FILE, json.dumps(config.behaviour_profile or {}, indent=2, sort_keys=True)
    buffer = io.BytesIO()
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16  # rw-r--r-- once unzipped
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(info, text)
    return buffer.getvalue()
