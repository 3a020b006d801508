"""The runtime inside one sandboxed worker process: lock itself down, run Init, then one invoke per request.

Started by worker.py as `python -I -S -u -B bootstrap.py REQ_FD RESP_FD`, standard library only: it never imports
the project (the sandbox cannot see it). It mirrors AWS's Python runtime interface client (awslambdaric): the
handler lookup and its Runtime.* faults, the LambdaContext, the logging format, the error body and `[ERROR]` log.

Protocol: frames of a 4-byte big-endian length and UTF-8 JSON; requests on REQ_FD, replies on RESP_FD.
  parent -> {"t": "setup", ...}  then  {"t": "invoke", "id", "event" (JSON text), "arn", "client_context"}
  child  -> {"t": "ready", "sandbox"} | {"t": "init_error", "error", "sandbox"} (then exit 1)
            {"t": "result", "id", "ok", "body" (JSON text) | "error" (error body), "ms", "rss_kb"}
Output (print, logging, anything on fds 1 and 2) goes to one pipe the parent reads as the function's log.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import resource
import sys
import time
import traceback

_THIS_FILE = os.path.abspath(__file__)
_REQUEST_ID = ""  # read by the logging filter


# --- framing --------------------------------------------------------------------------------------------------


def _read_exact(fd: int, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> dict | None:
    header = _read_exact(fd, 4)
    if header is None:
        return None
    body = _read_exact(fd, int.from_bytes(header, "big"))
    return None if body is None else json.loads(body)


def write_frame(fd: int, message: dict) -> None:
    data = json.dumps(message).encode()
    view = memoryview(len(data).to_bytes(4, "big") + data)
    while view:
        view = view[os.write(fd, view) :]


# --- the sandbox (best effort; every step's outcome is reported to the parent) -----------------------------------

_CLONE_NEWNS, _CLONE_NEWUSER, _CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_BIND, _MS_REC, _MS_PRIVATE = 1, 2, 4, 8, 0x1000, 0x4000, 0x40000
_PR_SET_PDEATHSIG, _PR_SET_SECUREBITS, _PR_SET_NO_NEW_PRIVS = 1, 28, 38
_SECBITS_LOCKED_NOROOT = 0x2F  # NOROOT, NO_SETUID_FIXUP and KEEP_CAPS, each locked: no way back to capabilities
_M_ARENA_MAX = -8


def _libc():
    import ctypes

    return ctypes, ctypes.CDLL(None, use_errno=True)


def _namespaces(setup: dict, report: dict) -> None:
    """A private user namespace (so no capability on the host), with a network namespace (no interface but a
    down loopback: no route to the server's Redis or database) and a mount namespace where private paths and,
    optionally, /proc are covered by empty read-only tmpfs mounts. Then every capability is dropped for good."""
    ctypes, libc = _libc()
    uid, gid = os.geteuid(), os.getegid()
    flags = _CLONE_NEWUSER | _CLONE_NEWNS
    if setup["isolate_network"]:
        flags |= _CLONE_NEWNET
    if libc.unshare(flags) != 0:
        report["errors"].append(f"unshare: {os.strerror(ctypes.get_errno())}")
        return
    report["user_namespace"] = True
    report["network_isolated"] = bool(setup["isolate_network"])
    try:
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as f:
            f.write(f"{gid} {gid} 1")
    except OSError as exc:
        report["errors"].append(f"id maps: {exc}")
    if libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        report["errors"].append(f"mount private: {os.strerror(ctypes.get_errno())}")
    else:
        source = setup.get("proc_source")
        if source:  # the server's hidepid=invisible /proc: only this uid's (this environment's) processes
            if libc.mount(source.encode(), b"/proc", None, _MS_BIND | _MS_REC, None) == 0:
                report["proc_own_uid_only"] = True
            else:
                report["errors"].append(f"bind /proc: {os.strerror(ctypes.get_errno())}")
        hide = list(setup["private_paths"]) + (["/proc"] if setup["hide_proc"] else [])
        flags = _MS_RDONLY | _MS_NOSUID | _MS_NODEV | _MS_NOEXEC
        for path in hide:
            if not os.path.lexists(path):
                continue
            if libc.mount(b"tmpfs", path.encode(), b"tmpfs", flags, b"size=4k,mode=0555") == 0:
                report["hidden"].append(path)
            else:
                report["errors"].append(f"hide {path}: {os.strerror(ctypes.get_errno())}")
    if libc.prctl(_PR_SET_SECUREBITS, _SECBITS_LOCKED_NOROOT, 0, 0, 0) != 0:
        report["errors"].append(f"securebits: {os.strerror(ctypes.get_errno())}")

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    if libc.capset(ctypes.byref(Header(0x20080522, 0)), (Data * 2)()) == 0:
        report["capabilities_dropped"] = True
    else:
        report["errors"].append(f"capset: {os.strerror(ctypes.get_errno())}")


def _rlimits(limits: dict, report: dict) -> None:
    for name, value in limits.items():
        if value is None:
            continue
        which = getattr(resource, name)
        try:
            resource.setrlimit(which, (value, value))
            report["rlimits"][name] = value
        except (OSError, ValueError) as exc:
            report["errors"].append(f"{name}: {exc}")


def _new_report() -> dict:
    return {
        "uid": os.getuid(),
        "gid": os.getgid(),
        "private_root": False,
        "pid_namespace": False,
        "user_namespace": False,
        "network_isolated": False,
        "capabilities_dropped": False,
        "hidden": [],
        "proc_own_uid_only": False,
        "rlimits": {},
        "no_new_privs": False,
        "errors": [],
    }


def _enter_jail(setup: dict, report: dict) -> None:
    """The private root, PID namespace and /tmp (jail.py, beside this file); returns in the runtime process only."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_lambdaviz_jail", os.path.join(os.path.dirname(_THIS_FILE), "jail.py")
    )
    jail = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(jail)
    ctypes, libc = _libc()
    libc.prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)  # the keeper dies with the executor's I/O thread, unless orphaned
    if os.getppid() != setup["parent_pid"]:
        os._exit(1)
    jail.enter(setup["jail"], report)
    report["uid"], report["gid"] = os.getuid(), os.getgid()
    with open("/proc/self/status") as f:  # the uid change from root cleared every capability; say so if it did
        report["capabilities_dropped"] = any(line.split() == ["CapEff:", "0000000000000000"] for line in f)


def _lock_down(setup: dict, report: dict) -> dict:
    linux = sys.platform.startswith("linux")
    jailed = report["private_root"]
    if linux and setup["namespaces"] and not jailed:
        try:
            _namespaces(setup, report)
        except Exception as exc:  # ctypes missing, or an unexpected kernel answer: carry on with what we have
            report["errors"].append(f"namespaces: {exc!r}")
    if linux:
        try:
            ctypes, libc = _libc()
            if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0:
                report["no_new_privs"] = True
            libc.mallopt(_M_ARENA_MAX, 2)  # threads share 2 malloc arenas: RLIMIT_AS stays meaningful
            if not jailed:  # (jailed, the runtime dies with its init, which dies with the keeper: jail.py)
                # Die with the executor's I/O thread (set last: credential changes clear it), unless orphaned.
                libc.prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)
                if os.getppid() != setup["parent_pid"]:
                    os._exit(1)
        except Exception as exc:
            report["errors"].append(f"prctl: {exc!r}")
    limits = dict(setup["limits"])
    if setup.get("nproc_needs_namespace") and not report["user_namespace"]:
        limits.pop("RLIMIT_NPROC", None)
    _rlimits(limits, report)
    return report


# --- the context object (awslambdaric's LambdaContext) ------------------------------------------------------------


class CognitoIdentity:
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")

    def __init__(self, identity: dict | None = None) -> None:
        identity = identity or {}
        self.cognito_identity_id = identity.get("cognitoIdentityId")
        self.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")

    def __repr__(self) -> str:
        return (
            f"CognitoIdentity([cognito_identity_id={self.cognito_identity_id},"
            f"cognito_identity_pool_id={self.cognito_identity_pool_id}])"
        )


class Client:
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")

    def __init__(self, client: dict) -> None:
        for name in self.__slots__:
            setattr(self, name, client.get(name))


class ClientContext:
    __slots__ = ("custom", "env", "client")

    def __init__(self, context: dict) -> None:
        self.custom = context.get("custom")
        self.env = context.get("env")
        client = context.get("client")
        self.client = Client(client) if isinstance(client, dict) else None


class LambdaContext:
    """What `handler(event, context)` receives; field names and types as in AWS's Python runtime (note that
    memory_limit_in_mb is a string there, read from AWS_LAMBDA_FUNCTION_MEMORY_SIZE)."""

    def __init__(self, request_id: str, arn: str, deadline_ms: int, client_context: dict | None) -> None:
        env = os.environ
        self.aws_request_id = request_id
        self.log_group_name = env.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = env.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = env.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = env.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = arn
        self.client_context = ClientContext(client_context) if isinstance(client_context, dict) else None
        self.identity = CognitoIdentity()
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, message: str) -> None:
        sys.stdout.write(message)

    def __repr__(self) -> str:
        return (
            f"LambdaContext([aws_request_id={self.aws_request_id},log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn},client_context={self.client_context},"
            f"identity={self.identity}])"
        )


# --- logging and errors (awslambdaric's formats) ------------------------------------------------------------------


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = _REQUEST_ID
        return True


def _setup_logging() -> None:
    handler = logging.StreamHandler(sys.stdout)
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"
    )
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(_RequestIdFilter())
    logging.getLogger().addHandler(handler)  # the root level stays WARNING, as on AWS


class Fault(Exception):
    def __init__(self, error_type: str, message: str, trace: list[str] | None = None) -> None:
        super().__init__(message)
        self.error_type, self.message, self.trace = error_type, message, trace or []


def _user_frames(tb) -> list[str]:
    frames = traceback.extract_tb(tb)
    while frames and frames[0].filename == _THIS_FILE:
        frames = frames[1:]
    return traceback.format_list(frames)


def error_body(exc: BaseException, request_id: str) -> dict:
    if isinstance(exc, Fault):
        return {
            "errorMessage": exc.message,
            "errorType": exc.error_type,
            "requestId": request_id,
            "stackTrace": exc.trace,
        }
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "requestId": request_id,
        "stackTrace": _user_frames(exc.__traceback__),
    }


def log_error(body: dict) -> None:
    """The runtime's own log line for an error, written straight to fd 1 (the handler may have replaced stdout)."""
    lines = [f"[ERROR] {body['errorType']}: {body['errorMessage']}" if body["errorMessage"] else "[ERROR]"]
    lines.append("Traceback (most recent call last):")
    for element in body["stackTrace"]:
        lines.extend(element.splitlines() or [""])
    with contextlib.suppress(OSError):
        os.write(1, ("\n".join(lines) + "\n").encode("utf-8", "replace"))


# --- Init and Invoke -------------------------------------------------------------------------------------------


def load_handler(handler: str):
    """awslambdaric's _get_handler: a missing function is not an Init error, it fails every invoke instead."""
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as exc:
        raise Fault("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {exc}") from None
    try:
        if module_name.split(".")[0] in sys.builtin_module_names:
            raise Fault(
                "Runtime.BuiltInModuleConflict", f"Cannot use built-in module {module_name} as a handler module"
            )
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as exc:
        raise Fault("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {exc}") from None
    except SyntaxError as exc:
        trace = [f'  File "{exc.filename}" Line {exc.lineno}\n    {exc.text}']
        raise Fault("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {exc}", trace) from None
    function = getattr(module, function_name, None)
    if function is None:
        missing = Fault("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")

        def function(event, context):
            raise missing

    return function


def _marshal_default(value):
    if type(value).__name__ == "Decimal" and type(value).__module__ == "decimal":  # imported only if used
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _max_rss_kb() -> int:
    return max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )


def invoke(function, request: dict, timeout_ms: int) -> dict:
    global _REQUEST_ID
    rid = _REQUEST_ID = request["id"]
    started = time.perf_counter()
    context = LambdaContext(rid, request["arn"], int(time.time() * 1000) + timeout_ms, request.get("client_context"))
    reply: dict = {"t": "result", "id": rid}
    try:
        result = function(json.loads(request["event"]), context)
        try:
            reply["body"] = json.dumps(result, default=_marshal_default)
            reply["ok"] = True
        except (TypeError, ValueError) as exc:
            raise Fault("Runtime.MarshalError", f"Unable to marshal response: {exc}") from None
    except Exception as exc:  # BaseException (SystemExit, KeyboardInterrupt) ends the process, as on AWS
        body = error_body(exc, rid)
        log_error(body)
        reply["ok"], reply["error"] = False, body
    reply["ms"] = (time.perf_counter() - started) * 1000.0
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    reply["rss_kb"] = _max_rss_kb()
    return reply


def _refuse(resp_fd: int, sandbox: dict, message: str) -> None:
    body = {"errorMessage": message, "errorType": "Runtime.SandboxUnavailable", "stackTrace": []}
    log_error(body)
    write_frame(resp_fd, {"t": "init_error", "error": body, "sandbox": sandbox})
    os._exit(1)


def probe_jail(spec: str) -> None:
    """`bootstrap.py --probe-jail SPEC`: the server's start-up check that the private root works here (prints one
    JSON line from the runtime process, or from whichever process failed)."""
    report = _new_report()
    try:
        _enter_jail({"jail": json.loads(spec), "parent_pid": os.getppid()}, report)
        import tempfile  # noqa: F401  (the standard library is reachable inside)

        with open("/tmp/probe", "w") as f:
            f.write("ok")
        ok = os.getpid() == 2 and report["capabilities_dropped"] and os.listdir("/var/task") is not None
        print(json.dumps({"ok": ok, "pid": os.getpid(), "report": report}), flush=True)
    except Exception as exc:
        print(json.dumps({"ok": False, "error": str(exc)}), flush=True)
        os._exit(1)


def main() -> None:
    if sys.argv[1] == "--probe-jail":
        probe_jail(sys.argv[2])
        return
    req_fd, resp_fd = int(sys.argv[1]), int(sys.argv[2])
    os.set_inheritable(req_fd, False)  # a subprocess the handler starts must not talk the protocol
    os.set_inheritable(resp_fd, False)
    setup = read_frame(req_fd)
    if setup is None:
        return
    sandbox = _new_report()
    if setup.get("refuse"):  # the server found at start that it cannot isolate handlers here: fail closed
        _refuse(resp_fd, sandbox, setup["refuse"])
    if setup.get("jail"):
        try:
            _enter_jail(setup, sandbox)
        except Exception as exc:  # fail closed: the server's layout (paths, env) counted on the private root
            sandbox["errors"].append(f"{exc}")
            _refuse(
                resp_fd,
                sandbox,
                f"LambdaViz could not give this handler its private root and PID namespace ({exc}), "
                "so it will not run it.",
            )
    _lock_down(setup, sandbox)
    if setup.get("require_hidden"):
        wanted = set(setup.get("private_paths", [])) | ({"/proc"} if setup.get("hide_proc") else set())
        if not sandbox.get("user_namespace") or not wanted <= set(sandbox.get("hidden", [])):
            _refuse(
                resp_fd,
                sandbox,
                "LambdaViz could not isolate this handler from the server (it is not running as root "
                "and the kernel refused private namespaces), so it will not run it.",
            )
    # Python's C-locale coercion (PEP 538) may have added LC_CTYPE; the handler sees exactly what it was given.
    if setup.get("lc_ctype") is None:
        os.environ.pop("LC_CTYPE", None)
    else:
        os.environ["LC_CTYPE"] = setup["lc_ctype"]
    sys.argv = ["/var/runtime/bootstrap.py" if sandbox["private_root"] else _THIS_FILE]
    sys.path.insert(0, setup["task_root"])
    time.tzset()
    _setup_logging()
    try:
        function = load_handler(setup["handler"])
    except Exception as exc:
        body = error_body(exc, "")
        log_error(body)
        write_frame(resp_fd, {"t": "init_error", "error": body, "sandbox": sandbox})
        os._exit(1)
    write_frame(resp_fd, {"t": "ready", "sandbox": sandbox})
    timeout_ms = setup["timeout_ms"]
    while True:
        request = read_frame(req_fd)
        if request is None:  # the executor closed the pipe (or went away): shut down
            return
        write_frame(resp_fd, invoke(function, request, timeout_ms))


if __name__ == "__main__":
    main()
