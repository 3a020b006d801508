"""`make run`: Redis, migrations, demo data, then daphne + a Celery worker + beat in the foreground."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("LAMBDAVIZ_VAR_DIR", ROOT / "var"))
sys.path.insert(0, str(ROOT / "scripts"))

from redis_service import ensure_redis  # noqa: E402


def admin_password() -> str:
    """LAMBDAVIZ_ADMIN_PASSWORD, or one generated once into var/ so every start can print the login."""
    if os.environ.get("LAMBDAVIZ_ADMIN_PASSWORD"):
        return os.environ["LAMBDAVIZ_ADMIN_PASSWORD"]
    path = VAR / "admin_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


def main() -> int:
    VAR.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    port = os.environ.get("PORT", "8000")
    redis_url, redis_proc = ensure_redis(VAR)
    children: list[subprocess.Popen] = [redis_proc] if redis_proc else []
    password = admin_password()
    # Only seed_demo gets the admin password: the long-running processes (and their children) never see it.
    env = {k: v for k, v in os.environ.items() if k != "LAMBDAVIZ_ADMIN_PASSWORD"} | {"REDIS_URL": redis_url}
    print(f"Redis: {redis_url}" + (" (embedded, files in var/redis)" if redis_proc else ""), flush=True)
    warn_about_redis_persistence(redis_url)

    manage = [python, str(ROOT / "manage.py")]
    for step, step_env in (
        (["migrate", "--noinput", "-v", "0"], env),
        (["seed_demo"], env | {"LAMBDAVIZ_ADMIN_PASSWORD": password}),
    ):
        if subprocess.run(manage + step, env=step_env, cwd=ROOT).returncode != 0:
            _stop(children)
            return 1

    celery = [python, "-m", "celery", "-A", "lambdaviz"]
    # Own sessions: Ctrl-C reaches only this script, which then stops the host first and the processes in order.
    children += [
        subprocess.Popen(
            [python, "-m", "daphne", "-b", "127.0.0.1", "-p", port, "lambdaviz.asgi:application"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        ),
        subprocess.Popen(
            celery + ["worker", "-l", "warning", "--concurrency", "2", "-n", "lambdaviz@%h"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        ),
        subprocess.Popen(
            celery + ["beat", "-l", "warning", "-s", str(VAR / "celerybeat-schedule")],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        ),
    ]
    print(
        f"\n  LambdaViz is running:  http://127.0.0.1:{port}/\n"
        f"  Staff login:           admin / {password}   (admin at /admin/)\n"
        "  Ctrl-C stops everything.\n",
        flush=True,
    )
    signal.signal(signal.SIGTERM, lambda *_: (_stop_host(redis_url), _stop(children), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("A process stopped unexpectedly; stopping the rest.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        _stop_host(redis_url)
        _stop(children)


def warn_about_redis_persistence(redis_url: str) -> None:
    """Say plainly what a restart of this Redis would lose when it has no append-only persistence (the embedded one
    always has it; see invocations/runtime/persistence.py)."""
    sys.path.insert(0, str(ROOT))
    from invocations.runtime.persistence import persistence_warning

    warning = persistence_warning(redis_url)
    if warning:
        print(
            f"WARNING: {warning}\n  Turn it on with `redis-cli CONFIG SET appendonly yes` (and in redis.conf), "
            "or point REDIS_URL at a Redis that has it.",
            file=sys.stderr,
            flush=True,
        )


def _stop_host(redis_url: str) -> None:
    """Ask the engine host to finish its step and flush before the worker goes (no lost-worker noise)."""
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_timeout=1).set("lv:host:stop", 1, ex=10)
        time.sleep(1.5)
    except Exception:  # noqa: BLE001 (best effort: the worker's own shutdown still stops the host)
        pass


def _stop(children: list[subprocess.Popen]) -> None:
    for child in reversed(children):
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            # Kill the whole session: a Celery worker's pool processes (the engine host, handler sandboxes) too.
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                child.kill()


if __name__ == "__main__":
    sys.exit(main())
