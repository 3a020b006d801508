"""`make test`: lint (Python and JS), the JS unit tests, migration check, then the suite on SQLite, on PostgreSQL
when reachable, and in a browser."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
sys.path.insert(0, str(ROOT / "scripts"))

from redis_service import DEFAULT_URL, redis_answers, start_embedded  # noqa: E402

PG_URL = os.environ.get("LAMBDAVIZ_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/lambdaviz")


def test_redis_url() -> str:
    """Tests use database 15 of the usual Redis so a running `make run` (database 0) is left alone."""
    parsed = urlparse(os.environ.get("REDIS_URL", DEFAULT_URL))
    return urlunparse(parsed._replace(path="/15"))


def port_open(url: str) -> bool:
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 5432), timeout=0.5).close()
        return True
    except OSError:
        return False


def run(title: str, cmd: list[str], env: dict, ok_codes: tuple[int, ...] = (0,)) -> None:
    print(f"\n=== {title}", flush=True)
    code = subprocess.run(cmd, env=env, cwd=ROOT).returncode
    if code not in ok_codes:
        print(f"=== FAILED: {title} (exit {code})", flush=True)
        sys.exit(code or 1)


def ensure_chromium() -> None:
    """Browser tests need Debian's chromium; install it when we are root and it is missing."""
    if shutil.which("chromium") or os.geteuid() != 0:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)


def ensure_node() -> None:
    """The JS checks need node and npm; install Debian's when we are root and they are missing."""
    if (shutil.which("node") and shutil.which("npm")) or os.geteuid() != 0:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nodejs", "npm"], check=True, env=env)


def ensure_node_modules(env: dict) -> None:
    """`npm ci` (the only step that needs the network) when node_modules is missing or the lockfile changed since."""
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".lambdaviz-lock-sha256"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run("npm ci (JS lint and test tools, pinned by package-lock.json)", ["npm", "ci", "--no-audit", "--no-fund"], env)
    stamp.write_text(digest)


def js_checks(env: dict) -> None:
    """biome lint (warnings fail too) and node's built-in test runner on tests/js, offline."""
    ensure_node()
    if not (shutil.which("node") and shutil.which("npm")):
        print("\n=== FAILED: the JS checks need node and npm (install them, or run make test as root)", flush=True)
        sys.exit(1)
    ensure_node_modules(env)
    run("biome lint (JS)", [str(ROOT / "node_modules" / ".bin" / "biome"), "lint", "--error-on-warnings"], env)
    run("JS unit tests (node --test)", ["node", "--test", "tests/js/"], env)


def main() -> int:
    py = sys.executable
    redis_proc = None
    url = test_redis_url()
    if not redis_answers(url):
        url, redis_proc = start_embedded(VAR, port=6391)
    base_env = {**os.environ, "REDIS_URL": url, "LAMBDAVIZ_CHANNEL_PREFIX": "lambdaviz-test"}
    base_env.pop("DATABASE_URL", None)
    extra = sys.argv[1:]
    try:
        run("ruff check", [py, "-m", "ruff", "check", "."], base_env)
        run("ruff format --check", [py, "-m", "ruff", "format", "--check", "."], base_env)
        js_checks(base_env)
        run("migrations are up to date", [py, "manage.py", "makemigrations", "--check", "--dry-run"], base_env)
        pytest = [py, "-m", "pytest", *extra]
        run("tests on SQLite", pytest + ["-m", "not browser"], base_env)
        if port_open(PG_URL):
            pg_env = {**base_env, "DATABASE_URL": PG_URL}
            # The engine is database-free; everything that touches the database runs again on PostgreSQL.
            run(
                "database tests on PostgreSQL",
                pytest + ["-m", "not browser", "--ignore=tests/engine", "--ignore=tests/stack"],
                pg_env,
                ok_codes=(0, 5),
            )
        else:
            print("\n=== PostgreSQL not reachable at", PG_URL, "- skipped the PostgreSQL run", flush=True)
        if any((ROOT / "tests" / "browser").glob("test_*.py")):
            ensure_chromium()
            browser_env = {**base_env, "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}
            run("browser tests (headless Chromium)", pytest + ["-m", "browser", "tests/browser"], browser_env)
    finally:
        if redis_proc:
            redis_proc.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
