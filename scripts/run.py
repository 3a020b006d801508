"""`make run`: Redis, migrations, demo data, then daphne + a Celery worker + beat, supervised, in the foreground.

`make run HOST=0.0.0.0` (LAMBDAVIZ_HOST) serves a class on the LAN (scripts/lan.py); QUIET=1 (or --quiet)
starts without demo traffic.
"""

from __future__ import annotations

import argparse
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

from lan import is_lan, lan_settings, refusals  # noqa: E402
from redis_service import ensure_redis  # noqa: E402
from supervisor import OrphanGuard, Program, Supervisor, write_run_state  # noqa: E402

# What this run chose (Redis URL, port, pids): management commands read the Redis URL from it (lambdaviz/settings).
RUN_STATE = VAR / "run.json"


def admin_password() -> str:
    """LAMBDAVIZ_ADMIN_PASSWORD, or one generated once into var/ so every start can print the login."""
    if os.environ.get("LAMBDAVIZ_ADMIN_PASSWORD"):
        return os.environ["LAMBDAVIZ_ADMIN_PASSWORD"]
    path = VAR / "admin_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


def secret_key() -> str:
    """SECRET_KEY, or the one kept in var/ (settings' own local default, which needs DEBUG on, reads the same file)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quiet",
        action="store_true",
        default=os.environ.get("QUIET", "").strip().lower() in {"1", "true", "yes", "on"},
        help="start idle: no demo background traffic (QUIET=1 does the same)",
    )
    return parser.parse_args(argv)


def programs(*, python: str, host: str, port: str, env: dict[str, str]) -> list[Program]:
    celery = [python, "-m", "celery", "-A", "lambdaviz"]
    return [
        Program("daphne", [python, "-m", "daphne", "-b", host, "-p", port, "lambdaviz.asgi:application"], env, ROOT),
        Program("worker", celery + ["worker", "-l", "warning", "--concurrency", "2", "-n", "lambdaviz@%h"], env, ROOT),
        Program("beat", celery + ["beat", "-l", "warning", "-s", str(VAR / "celerybeat-schedule")], env, ROOT),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    VAR.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    port = os.environ.get("PORT", "8000")
    host = os.environ.get("LAMBDAVIZ_HOST") or "127.0.0.1"  # `make run HOST=...`
    password = admin_password()
    lan = None
    if is_lan(host):
        reasons = refusals(dict(os.environ), admin_password=password)
        if reasons:
            print(f"Refusing to serve on {host} (the LAN):", *(f"  - {r}" for r in reasons), sep="\n", file=sys.stderr)
            return 2
        lan = lan_settings(port, dict(os.environ))

    redis_url, redis_proc = ensure_redis(VAR)
    guard = OrphanGuard(redis_url)
    if redis_proc:
        guard.watch_pid(redis_proc.pid)
    # Only seed_demo gets the admin password: the long-running processes (and their children) never see it.
    env = {k: v for k, v in os.environ.items() if k != "LAMBDAVIZ_ADMIN_PASSWORD"} | {"REDIS_URL": redis_url}
    if lan:
        env |= lan.env | {"SECRET_KEY": secret_key()}
    print(f"Redis: {redis_url}" + (" (embedded, files in var/redis)" if redis_proc else ""), flush=True)
    warn_about_redis_persistence(redis_url)

    manage = [python, str(ROOT / "manage.py")]
    seed = ["seed_demo"] if args.quiet else ["seed_demo", "--traffic"]
    for step, step_env in (
        (["migrate", "--noinput", "-v", "0"], env),
        (seed, env | {"LAMBDAVIZ_ADMIN_PASSWORD": password}),
    ):
        if subprocess.run(manage + step, env=step_env, cwd=ROOT).returncode != 0:
            _stop_redis(redis_proc)
            guard.release()
            return 1

    run_state = {"pid": os.getpid(), "redis_url": redis_url, "host": host, "port": int(port)}
    supervisor = Supervisor(
        programs(python=python, host=host, port=port, env=env),
        guard=guard,
        on_change=lambda: write_run_state(RUN_STATE, run_state | {"children": supervisor.pids()}),
    )
    supervisor.start_all()
    local_url = f"http://127.0.0.1:{port}/"
    print(
        f"\n  LambdaViz is running:  {local_url}\n"
        + (f"  Give students:         {lan.url}   (DEBUG off; hosts: {lan.env['ALLOWED_HOSTS']})\n" if lan else "")
        + f"  Staff login:           admin / {password}   (admin at /admin/)\n"
        + ('  Idle (QUIET): press "Start the classroom demo" on the dashboard for traffic.\n' if args.quiet else "")
        + "  A process that dies is restarted; Ctrl-C stops everything.\n",
        flush=True,
    )

    def _terminate(*_) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    try:
        while True:
            supervisor.check()
            time.sleep(0.2)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second TERM must not cut the orderly stop short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _stop_host(redis_url)
        supervisor.stop()
        _stop_redis(redis_proc)
        RUN_STATE.unlink(missing_ok=True)
        guard.release()


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


def _stop_redis(redis_proc: subprocess.Popen | None) -> None:
    if redis_proc is None or redis_proc.poll() is not None:
        return
    redis_proc.terminate()
    try:
        redis_proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        redis_proc.kill()


if __name__ == "__main__":
    sys.exit(main())
