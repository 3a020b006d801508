"""The variables a handler sees in os.environ (semantics §7): built from nothing, never from the server's."""

from __future__ import annotations

from collections.abc import Mapping

# Unreserved defaults a function may override with its own variables (semantics §7: LANG, PATH, TZ, ...).
# AWS's TZ is ":UTC" (the leading colon: "read the zone file"), as in its configuration-envvars page.
DEFAULTS = {"PATH": "/usr/local/bin:/usr/bin/:/bin", "LANG": "en_US.UTF-8", "TZ": ":UTC"}


def lambda_environment(
    *,
    function: str,
    version: str,
    memory_mb: int,
    runtime: str,
    handler: str,
    init_type: str,
    region: str,
    log_stream: str,
    task_root: str,
    runtime_dir: str,
    tmp_dir: str,
    own: Mapping[str, str],
) -> dict[str, str]:
    """Defaults, then the function's own variables, then the reserved ones (which always win).

    Not set, on purpose: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (the simulator has no
    credentials to hand out), AWS_LAMBDA_RUNTIME_API (there is no Runtime API endpoint: the worker talks to the
    executor over pipes) and _X_AMZN_TRACE_ID (no X-Ray). TMPDIR points at the environment's private directory
    (AWS has no TMPDIR; its /tmp is already private to the environment, ours is shared by the host).
    """
    env = {**DEFAULTS, "TMPDIR": tmp_dir}
    env.update({str(k): str(v) for k, v in own.items()})
    env.update(
        {
            "_HANDLER": handler,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime}",
            "AWS_LAMBDA_FUNCTION_NAME": function,
            "AWS_LAMBDA_FUNCTION_VERSION": version,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
            "AWS_LAMBDA_INITIALIZATION_TYPE": init_type,
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function}",
            "AWS_LAMBDA_LOG_STREAM_NAME": log_stream,
            "LAMBDA_TASK_ROOT": task_root,
            "LAMBDA_RUNTIME_DIR": runtime_dir,
        }
    )
    return env
