"""Real Python handlers in worker processes: results, context, environment, logs, Init and warm reuse, errors."""

from __future__ import annotations

import re
import time

from invocations.engine.outcomes import Outcome
from invocations.runtime.python_executor import SandboxPolicy


def test_a_hello_world_handler_returns_its_value(executor, lam):
    # semantics §1: the body is the handler's return value
    config = lam.config("def handler(event, context):\n    return {'hello': event['name']}\n")
    report = lam.run(executor, lam.job(config, {"name": "world"}))
    assert report.outcome is Outcome.SUCCESS
    assert report.response == {"hello": "world"}
    assert report.reset is False
    assert report.duration_ms > 0
    assert 1 <= report.memory_used_mb <= 128


def test_a_handler_returning_nothing_answers_null(executor, lam):
    # semantics §1: body = return value, null if none
    report = lam.run(executor, lam.job(lam.config("def handler(event, context):\n    pass\n")))
    assert (report.outcome, report.response) == (Outcome.SUCCESS, None)


def test_the_handler_setting_names_the_module_and_function(executor, lam):
    config = lam.config("def main(event, context):\n    return __name__\n", handler="src/app.main")
    assert lam.run(executor, lam.job(config)).response == "src.app"


def test_the_context_object_carries_the_request_function_and_deadline(executor, lam):
    # semantics §1, §9: the Lambda context object as the Python runtime builds it
    source = """
import time
def handler(event, context):
    first = context.get_remaining_time_in_millis()
    time.sleep(0.05)  # the thing under test: the remaining time shrinks as real time passes
    return {
        "aws_request_id": context.aws_request_id,
        "function_name": context.function_name,
        "function_version": context.function_version,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "invoked_function_arn": context.invoked_function_arn,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "identity": [context.identity.cognito_identity_id, context.identity.cognito_identity_pool_id],
        "client_context": context.client_context,
        "remaining": [first, context.get_remaining_time_in_millis()],
    }
"""
    config = lam.config(source, memory_mb=256, timeout_s=2.0)
    job = lam.job(config, function="orders", version="3", qualifier="live", request_id="6f1c7a2e-0000-4000-8000-1")
    body = lam.run(executor, job).response
    assert body["aws_request_id"] == "6f1c7a2e-0000-4000-8000-1"
    assert (body["function_name"], body["function_version"]) == ("orders", "3")
    assert body["memory_limit_in_mb"] == "256"  # a string on AWS too (read from the environment)
    assert body["invoked_function_arn"] == "arn:aws:lambda:eu-west-1:123456789012:function:orders:live"
    assert body["log_group_name"] == "/aws/lambda/orders"
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[3\][0-9a-f]{32}", body["log_stream_name"])
    assert body["identity"] == [None, None]
    assert body["client_context"] is None
    first, later = body["remaining"]
    assert 1900 <= first <= 2000
    assert first - later >= 45


def test_the_handler_sees_the_reserved_variables_and_its_own(executor, lam):
    # semantics §7: reserved variables set by the runtime, plus the function's own
    source = "import os, time\ndef handler(event, context):\n    return {'env': dict(os.environ), 'tz': time.tzname}\n"
    config = lam.config(source, memory_mb=512, runtime="python3.12", env={"TABLE": "orders", "STAGE": "dev"})
    body = lam.run(executor, lam.job(config, function="orders", version="7", init_type="on-demand")).response
    env = body["env"]
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "orders"
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "7"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "512"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.12"
    assert env["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/orders"
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[7\][0-9a-f]{32}", env["AWS_LAMBDA_LOG_STREAM_NAME"])
    assert env["_HANDLER"] == "lambda_function.handler"
    assert env["LAMBDA_TASK_ROOT"].endswith("/task")
    assert env["TZ"] == ":UTC" and body["tz"] == ["UTC", "UTC"]
    assert (env["TABLE"], env["STAGE"]) == ("orders", "dev")


def test_provisioned_environments_report_their_initialization_type(executor, lam):
    # semantics §9: AWS_LAMBDA_INITIALIZATION_TYPE is fixed for the environment's lifetime
    config = lam.config("import os\ndef handler(e, c):\n    return os.environ['AWS_LAMBDA_INITIALIZATION_TYPE']\n")
    job = lam.job(config, init_type="provisioned-concurrency")
    assert lam.run(executor, job).response == "provisioned-concurrency"


def test_the_handler_sees_nothing_of_the_servers_environment(executor, lam, monkeypatch):
    # semantics §7: a scrubbed environment, never the server's variables
    for name, value in {
        "SECRET_KEY": "server-secret",
        "DATABASE_URL": "postgres://admin:pw@db/lambdaviz",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_SETTINGS_MODULE": "lambdaviz.settings",
        "LAMBDAVIZ_KMS_KEY": "kms-secret",
        "AWS_SECRET_ACCESS_KEY": "host-credentials",
        "PYTHONPATH": "/work/main",
    }.items():
        monkeypatch.setenv(name, value)
    source = "import os, sys\ndef handler(event, context):\n    return {'env': dict(os.environ), 'path': sys.path}\n"
    body = lam.run(executor, lam.job(lam.config(source, env={"OWN": "1"}))).response
    expected = {
        "PATH", "LANG", "TZ", "TMPDIR", "OWN", "_HANDLER", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    }  # fmt: skip
    assert set(body["env"]) == expected
    assert not any("server-secret" in v or "kms-secret" in v or "pw@db" in v for v in body["env"].values())
    assert "/work/main" not in body["path"] and not any("site-packages" in p for p in body["path"])


def test_print_and_logging_output_land_in_the_invocations_log(executor, lam):
    # semantics §9: function output appears between START and END
    source = """
import logging, sys
logger = logging.getLogger()
def handler(event, context):
    print("plain print")
    print("to stderr", file=sys.stderr)
    logger.info("not shown: the root logger stays at WARNING, as on AWS")
    logger.warning("careful %s", event["who"])
    context.log("via context.log\\n")
    print("two\\nlines")
    return "ok"
"""
    job = lam.job(lam.config(source), {"who": "you"}, request_id="rid-42")
    logs = lam.run(executor, job).logs
    assert logs[0:2] == ("plain print", "to stderr")
    assert re.fullmatch(r"\[WARNING\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\trid-42\tcareful you", logs[2])
    assert logs[3:] == ("via context.log", "two", "lines")


def test_a_warm_environment_reuses_its_process_and_globals_and_runs_init_once(executor, lam):
    # semantics §9: Init once, then frozen/thawed reuse; globals persist; Init Duration only on the cold invoke
    source = """
import os, time
time.sleep(0.15)  # the thing under test: an Init that takes 150 ms
CALLS = 0
print("init ran")
def handler(event, context):
    global CALLS
    CALLS += 1
    return {"calls": CALLS, "pid": os.getpid()}
"""
    config = lam.config(source)
    cold = lam.run(executor, lam.job(config, env_id=1))
    warm = lam.run(executor, lam.job(config, env_id=1, cold=False))
    assert cold.init_ms is not None and cold.init_ms >= 150
    assert warm.init_ms is None
    assert cold.response["calls"] == 1 and warm.response["calls"] == 2
    assert warm.response["pid"] == cold.response["pid"]
    assert cold.logs == ("init ran",) and warm.logs == ()
    assert warm.duration_ms < 100  # the 150 ms of Init is not part of any Duration


def test_another_environment_of_the_same_version_has_its_own_process(executor, lam):
    # semantics §9: environments do not share memory
    source = (
        "import os\nN = 0\ndef handler(e, c):\n    global N\n    N += 1\n"
        "    return [N, os.environ['AWS_LAMBDA_LOG_STREAM_NAME']]\n"  # the process (jailed, every pid is 2)
    )
    config = lam.config(source)
    a = lam.run(executor, lam.job(config, env_id=11))
    b = lam.run(executor, lam.job(config, env_id=12))
    assert a.response[0] == b.response[0] == 1
    assert a.response[1] != b.response[1]


def test_an_idle_environment_is_frozen_between_invokes(executor, lam):
    # semantics §9: between invokes the environment is frozen; a background thread does not run
    source = """
import threading, time
TICKS = 0
def tick():
    global TICKS
    while True:
        TICKS += 1
        time.sleep(0.001)  # about one tick a millisecond while the process runs
threading.Thread(target=tick, daemon=True).start()
def handler(event, context):
    return TICKS
"""
    config = lam.config(source)
    first = lam.run(executor, lam.job(config, env_id=21)).response
    # The thing under test: a frozen process does not run while real time passes (~400 ticks if it did).
    time.sleep(0.4)
    second = lam.run(executor, lam.job(config, env_id=21, cold=False)).response
    assert second - first < 100


def test_an_unhandled_exception_returns_the_python_error_body(executor, lam):
    # semantics §1: Python 3.11+ body {"errorMessage","errorType","requestId","stackTrace"}
    source = "def handler(event, context):\n    check(event)\n\ndef check(event):\n    raise ValueError('bad order')\n"
    config = lam.config(source)
    job = lam.job(config, request_id="rid-err")
    report = lam.run(executor, job)
    assert report.outcome is Outcome.FUNCTION_ERROR
    body = report.response
    assert set(body) == {"errorMessage", "errorType", "requestId", "stackTrace"}
    assert (body["errorMessage"], body["errorType"], body["requestId"]) == ("bad order", "ValueError", "rid-err")
    assert len(body["stackTrace"]) == 2  # the handler's frames only, not the runtime's
    assert 'lambda_function.py", line 2, in handler' in body["stackTrace"][0]
    assert "raise ValueError('bad order')" in body["stackTrace"][1]
    assert report.logs[0] == "[ERROR] ValueError: bad order"
    assert report.logs[1] == "Traceback (most recent call last):"
    assert report.reset is False
    again = lam.run(executor, lam.job(config, env_id=job.env.env_id, cold=False))
    assert again.init_ms is None  # the environment stays warm after a handled function error


def test_a_result_that_is_not_json_is_a_marshal_error(executor, lam):
    # semantics §1: the runtime cannot serialise the response
    report = lam.run(executor, lam.job(lam.config("def handler(e, c):\n    return {1, 2}\n")))
    assert report.outcome is Outcome.FUNCTION_ERROR
    assert report.response["errorType"] == "Runtime.MarshalError"
    assert report.response["errorMessage"] == "Unable to marshal response: Object of type set is not JSON serializable"


def test_a_missing_handler_function_fails_every_invoke(executor, lam):
    config = lam.config("def other(e, c):\n    return 1\n")
    report = lam.run(executor, lam.job(config))
    assert report.response["errorType"] == "Runtime.HandlerNotFound"
    assert report.response["errorMessage"] == "Handler 'handler' missing on module 'lambda_function'"
    assert report.init_ms is not None and report.reset is False


def test_an_import_error_fails_init_and_resets_the_environment(executor, lam):
    # semantics §9: an Init failure (INIT_REPORT Status: error); the next invoke runs Init again
    report = lam.run(executor, lam.job(lam.config("import not_a_module\ndef handler(e, c):\n    return 1\n")))
    assert report.outcome is Outcome.FUNCTION_ERROR
    assert report.response["errorType"] == "Runtime.ImportModuleError"
    assert report.response["errorMessage"] == (
        "Unable to import module 'lambda_function': No module named 'not_a_module'"
    )
    assert report.reset is True and report.init_ms is not None
    assert report.logs[-1].startswith("INIT_REPORT Init Duration: ")
    assert report.logs[-1].endswith("\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError")


def test_a_syntax_error_in_the_module_is_a_user_code_syntax_error(executor, lam):
    report = lam.run(executor, lam.job(lam.config("def handler(e, c)\n    return 1\n")))
    assert report.response["errorType"] == "Runtime.UserCodeSyntaxError"
    assert report.response["errorMessage"].startswith("Syntax error in module 'lambda_function': ")


def test_a_large_event_reaches_a_handler_that_is_still_initialising(executor, lam):
    # semantics §1: sync requests up to 6 MB; the executor must not block while the worker runs Init
    source = (
        "import time\n"
        "time.sleep(0.1)  # the thing under test: still initialising when the event arrives\n"
        "def handler(event, context):\n    return len(event['blob'])\n"
    )
    report = lam.run(executor, lam.job(lam.config(source), {"blob": "x" * (5 << 20)}))
    assert report.response == 5 << 20


def test_log_output_beyond_the_cap_is_dropped_with_a_note(new_executor, lam):
    ex = new_executor(policy=SandboxPolicy(max_log_bytes=10_000))
    source = "def handler(event, context):\n    for i in range(5000):\n        print('line', i)\n    return 'done'\n"
    report = lam.run(ex, lam.job(lam.config(source)))
    assert report.response == "done"
    assert report.logs[:2] == ("line 0", "line 1")
    assert report.logs[-1] == "[LambdaViz] log output beyond 10000 bytes was dropped"
    assert sum(len(line) + 1 for line in report.logs[:-1]) <= 10_000


def test_decimals_in_the_result_are_marshalled_as_numbers(executor, lam):
    # as AWS's Python runtime does (DynamoDB numbers come back as Decimal)
    source = "from decimal import Decimal\ndef handler(e, c):\n    return [Decimal('1.5'), Decimal('2')]\n"
    assert lam.run(executor, lam.job(lam.config(source))).response == [1.5, 2]
