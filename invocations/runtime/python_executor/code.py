"""What a Python function's `code` holds: the handler setting and its deployment package (a zip and/or sources)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from .package import check_archive

DEFAULT_HANDLER = "lambda_function.lambda_handler"  # AWS's default, and the project's (rules/functions.py)


@dataclass(frozen=True, slots=True)
class PythonCode:
    """`handler` is module.function ("lambda_function.lambda_handler", "src/app.main" or "src.app.main");
    `archive` is the uploaded zip, extracted into the task root; `files` maps a relative path in the task root to
    its source text (written after the archive is extracted)."""

    handler: str = DEFAULT_HANDLER
    files: Mapping[str, str] = field(default_factory=dict)
    archive: bytes = field(default=b"", repr=False)

    @classmethod
    def single_file(cls, source: str, handler: str = DEFAULT_HANDLER) -> PythonCode:
        """One source file, named after the handler's module (as the Lambda console's inline editor does)."""
        return cls(handler, {module_path(handler): source})

    @classmethod
    def coerce(cls, code: Any, default_handler: str = DEFAULT_HANDLER) -> PythonCode:
        """Accepts what VersionConfig.code may hold for executor="python": a PythonCode, the handler source as a
        string (module from `default_handler`), or a mapping {"handler", "source"} or {"handler", "files"}."""
        if isinstance(code, PythonCode):
            return code
        if code is None:
            code = ""  # no source: the invoke fails with Runtime.HandlerNotFound, as an empty package would
        if isinstance(code, str):
            return cls.single_file(code, default_handler)
        if isinstance(code, Mapping):
            handler = str(code.get("handler") or default_handler)
            if "files" in code:
                return cls(handler, {str(k): str(v) for k, v in code["files"].items()})
            return cls.single_file(str(code.get("source") or ""), handler)
        raise TypeError(f"python code must be a str, a mapping or a PythonCode, not {type(code).__name__}")

    def checked_files(self) -> dict[str, str]:
        """The files with safe relative paths only (no absolute path, no '..'); the archive must be safe too."""
        if self.archive:
            check_archive(self.archive)
        out = {}
        for name, text in self.files.items():
            path = PurePosixPath(name)
            if path.is_absolute() or ".." in path.parts or not path.parts:
                raise ValueError(f"unsafe file name in the deployment package: {name!r}")
            out[str(path)] = text
        return out


def module_path(handler: str) -> str:
    """lambda_function.handler -> lambda_function.py; src/app.main and src.app.main -> src/app.py. A malformed
    handler still gets a file (lambda_function.py), so the worker can report Runtime.MalformedHandlerName."""
    module, dot, _ = handler.rpartition(".")
    if not dot or not module:
        return "lambda_function.py"
    return module.replace(".", "/") + ".py"
