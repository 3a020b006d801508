"""A Python function's whole deployment package (the uploaded zip) extracted as its task root, and Invoke's
ClientContext in the handler's context object."""

from __future__ import annotations

import io
import zipfile

import pytest

from invocations.engine.config import VersionConfig
from invocations.engine.outcomes import Outcome
from invocations.runtime.python_executor import PythonCode
from invocations.runtime.python_executor.package import check_archive

HANDLER = """
import json, os
from helpers import shout
from pkg.tax import rate

with open(os.path.join(os.path.dirname(__file__), "data", "prices.json")) as f:
    PRICES = json.load(f)

def handler(event, context):
    with open("data/greeting.txt") as f:  # relative to the working directory, the task root
        greeting = f.read()
    try:
        open("scribble.txt", "w")
        writable = True
    except OSError:
        writable = False
    return {
        "total": PRICES[event["item"]] * (1 + rate()),
        "greeting": shout(greeting),
        "task_root_is_cwd": os.getcwd() == os.environ["LAMBDA_TASK_ROOT"],
        "code_writable": writable,
    }
"""


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def package_config(files: dict[str, str], handler: str = "app.handler") -> VersionConfig:
    return VersionConfig(executor="python", code=PythonCode(handler, archive=zip_of(files)))


def test_the_handler_imports_sibling_modules_and_reads_data_files_of_its_package(executor, lam):
    config = package_config(
        {
            "app.py": HANDLER,
            "helpers.py": "def shout(text):\n    return text.upper()\n",
            "pkg/__init__.py": "",
            "pkg/tax.py": "def rate():\n    return 0.5\n",
            "data/prices.json": '{"tea": 4}',
            "data/greeting.txt": "hello",
        }
    )
    report = lam.run(executor, lam.job(config, {"item": "tea"}))
    assert report.outcome is Outcome.SUCCESS, report.response
    assert report.response == {"total": 6.0, "greeting": "HELLO", "task_root_is_cwd": True, "code_writable": False}


def test_a_handler_module_missing_from_the_package_is_an_import_error(executor, lam):
    report = lam.run(executor, lam.job(package_config({"other.py": "x = 1"})))
    assert report.outcome is Outcome.FUNCTION_ERROR
    assert report.response["errorType"] == "Runtime.ImportModuleError"


@pytest.mark.parametrize("name", ["../evil.py", "/etc/evil.py", "a/../../evil.py", "..\\evil.py", "C:/evil.py"])
def test_a_package_entry_outside_the_task_root_is_refused(name):
    with pytest.raises(ValueError, match="unsafe file name"):
        check_archive(zip_of({"app.py": "", name: ""}))


def test_an_unsafe_package_fails_the_invoke_without_starting_a_process(executor, lam):
    config = package_config({"app.py": "def handler(e, c):\n    return 1\n", "../escape.py": "x = 1"})
    before = executor.stats()["spawned"]
    report = lam.run(executor, lam.job(config))
    assert report.response["errorType"] == "Runtime.ImportModuleError"
    assert "unsafe file name" in report.response["errorMessage"]
    assert executor.stats()["spawned"] == before


def test_a_package_declaring_more_than_250_mb_unzipped_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "x = 1")
    data = bytearray(buffer.getvalue())
    # Patch the central directory's declared uncompressed size (offset 24 of the entry) to 300 MB: a zip bomb's header.
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (300 << 20).to_bytes(4, "little")
    with pytest.raises(ValueError, match="unzips to more than"):
        check_archive(bytes(data))


CONTEXT_HANDLER = """
def handler(event, context):
    cc = context.client_context
    if cc is None:
        return None
    return {"custom": cc.custom, "env": cc.env, "app_title": cc.client.app_title,
            "installation_id": cc.client.installation_id}
"""


def test_a_client_context_reaches_the_handler_as_context_client_context(executor, lam):
    # semantics §1: X-Amz-Client-Context, as the Python runtime's ClientContext (client, custom, env)
    client_context = {
        "client": {"installation_id": "i-1", "app_title": "Shop", "app_version_name": "1.2"},
        "custom": {"cart": "42"},
        "env": {"locale": "fr_FR"},
    }
    job = lam.job(lam.config(CONTEXT_HANDLER), client_context=client_context)
    assert lam.run(executor, job).response == {
        "custom": {"cart": "42"},
        "env": {"locale": "fr_FR"},
        "app_title": "Shop",
        "installation_id": "i-1",
    }


def test_without_a_client_context_the_handler_sees_none(executor, lam):
    assert lam.run(executor, lam.job(lam.config(CONTEXT_HANDLER))).response is None
