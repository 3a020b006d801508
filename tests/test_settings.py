"""Settings come from the environment, with safe embedded defaults (issue: the house, point 2)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "REDIS_URL"}}
    code = (
        "import json; from lambdaviz import settings as s;"
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
        "'redis': s.REDIS_URL, 'region': s.LAMBDAVIZ_REGION, 'account': s.LAMBDAVIZ_ACCOUNT_ID,"
        "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'secret': s.SECRET_KEY}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "LAMBDAVIZ_VAR_DIR": str(tmp_path), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_defaults_are_sqlite_under_var_local_redis_and_the_demo_account(tmp_path):

    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "lambdaviz.sqlite3")
    assert values["redis"] == "redis://127.0.0.1:6379/0"
    assert (values["region"], values["account"]) == ("us-east-1", "123456789012")


def test_a_generated_secret_key_is_kept_in_var_and_reused(tmp_path):

    first = json.loads(load_settings(tmp_path).stdout)["secret"]
    second = json.loads(load_settings(tmp_path).stdout)["secret"]
    assert len(first) > 40 and first == second
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_database_url_selects_postgresql(tmp_path):

    result = load_settings(tmp_path, DATABASE_URL="postgres://u:p@db.example:5432/lv")
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "lv"


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = load_settings(tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    ok = load_settings(tmp_path, DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="lv.example")
    assert ok.returncode == 0, ok.stderr


def test_region_account_and_hosts_come_from_the_environment(tmp_path):

    result = load_settings(
        tmp_path,
        LAMBDAVIZ_REGION="eu-west-1",
        LAMBDAVIZ_ACCOUNT_ID="210987654321",
        ALLOWED_HOSTS="a.example, b.example",
    )
    values = json.loads(result.stdout)
    assert (values["region"], values["account"]) == ("eu-west-1", "210987654321")
    # Function URLs (<url-id>.lambda-url.<region>.localhost) are always allowed: `.localhost` is loopback only.
    assert values["hosts"] == ["a.example", "b.example", ".localhost"]
