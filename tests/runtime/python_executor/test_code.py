"""What VersionConfig.code may hold for a Python function, and where its files go (the deployment package)."""

from __future__ import annotations

import pytest

from invocations.engine.config import VersionConfig
from invocations.engine.outcomes import Outcome
from invocations.runtime.python_executor import PythonCode
from invocations.runtime.python_executor.code import module_path


@pytest.mark.parametrize(
    ("handler", "path"),
    [
        ("lambda_function.lambda_handler", "lambda_function.py"),
        ("app.handler", "app.py"),
        ("src/app.main", "src/app.py"),
        ("src.app.main", "src/app.py"),
        ("no_dot", "lambda_function.py"),  # the worker then reports Runtime.MalformedHandlerName
    ],
)
def test_a_single_source_file_is_named_after_the_handlers_module(handler, path):
    assert module_path(handler) == path


def test_code_may_be_source_text_a_mapping_or_a_package():
    assert PythonCode.coerce("x = 1") == PythonCode("lambda_function.lambda_handler", {"lambda_function.py": "x = 1"})
    assert PythonCode.coerce({"handler": "app.go", "source": "y = 2"}) == PythonCode("app.go", {"app.py": "y = 2"})
    package = {"handler": "app.go", "files": {"app.py": "import util", "util.py": ""}}
    assert PythonCode.coerce(package).files == {"app.py": "import util", "util.py": ""}
    assert PythonCode.coerce(None).files == {"lambda_function.py": ""}


@pytest.mark.parametrize("name", ["/etc/passwd", "../outside.py", "a/../../b.py"])
def test_a_package_cannot_write_outside_its_task_root(name):
    with pytest.raises(ValueError, match="unsafe file name"):
        PythonCode("app.go", {name: ""}).checked_files()


def test_a_multi_file_package_imports_its_own_modules(executor, lam):
    code = PythonCode("app.handler", {"app.py": "from lib.util import twice\ndef handler(e, c):\n    return twice(e)\n",
                                      "lib/util.py": "def twice(x):\n    return 2 * x\n"})  # fmt: skip
    report = lam.run(executor, lam.job(VersionConfig(executor="python", code=code), 21))
    assert (report.outcome, report.response) == (Outcome.SUCCESS, 42)


def test_an_unsafe_package_fails_the_invoke_without_starting_a_process(executor, lam):
    config = VersionConfig(executor="python", code={"handler": "app.go", "files": {"../x.py": ""}})
    before = executor.stats()["spawned"]
    report = lam.run(executor, lam.job(config))
    assert report.outcome is Outcome.FUNCTION_ERROR
    assert report.response["errorType"] == "Runtime.ImportModuleError"
    assert executor.stats()["spawned"] == before
