"""Real Python handlers (DESIGN "Function behaviour"): PythonExecutor runs `def handler(event, context)` in
sandboxed worker processes, one per execution environment, from a bounded pool. Free of Django imports."""

from .code import DEFAULT_HANDLER, PythonCode
from .executor import PythonExecutor
from .sandbox import SandboxPolicy

__all__ = ["DEFAULT_HANDLER", "PythonCode", "PythonExecutor", "SandboxPolicy"]
