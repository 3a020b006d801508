"""LambdaViz settings: everything comes from the environment, with embedded defaults for local use."""

import json
import os
import secrets
from importlib.util import find_spec
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LAMBDAVIZ_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Secrets and the SQLite database live here: only the server's own user may enter (handlers run as another user).
VAR_DIR.chmod(0o700)


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _local_secret(filename: str, make) -> str:
    """Read a secret kept in var/, creating it on first use (local runs only)."""
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _local_secret("secret_key", lambda: secrets.token_urlsafe(50))

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h.strip()
]
# Function URLs answer at <url-id>.lambda-url.<region>.localhost (loopback by RFC 6761, so never another machine).
if ".localhost" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(".localhost")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "invocations",
]

MIDDLEWARE = [
    # First: no visitor ever sees a traceback or a debug page, DEBUG or not (invocations/http_errors.py).
    "invocations.http_errors.VisitorSafeErrors",
    # A function URL's Host (<url-id>.lambda-url.<region>.localhost) routes every path to its function.
    "invocations.api.function_url_door.FunctionUrlHosts",
    # A REST API's Host (<api-id>.execute-api.localhost) routes every path to its stages.
    "invocations.api.apigateway_door.ExecuteApiHosts",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "lambdaviz.urls"
# What Django itself still renders on a failure, in DEBUG too: plain pages and JSON, never a traceback.
CSRF_FAILURE_VIEW = "invocations.http_errors.csrf_failure"
DEFAULT_EXCEPTION_REPORTER = "invocations.http_errors.PlainExceptionReporter"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "invocations.context_processors.public_url",
            ],
        },
    },
]

WSGI_APPLICATION = "lambdaviz.wsgi.application"
ASGI_APPLICATION = "lambdaviz.asgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lambdaviz.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so Celery workers started by tests see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL: the engine host writes records while web requests and workers read, without "database is locked".
    # IMMEDIATE: a transaction that reads then writes takes the write lock up front, so it waits its turn instead of
    # failing at once when the host's record writer commits in between (a 500 under load).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# plotly (a pinned PyPI dependency) ships plotly.min.js; it is served from the installed package, never copied.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/plotly", Path(find_spec("plotly").origin).parent / "package_data")]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
# WhiteNoise serves static files under daphne; finders mean no collectstatic step for local runs.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "admin:login"

# The address students use (`make run HOST=0.0.0.0` sets it to this machine's LAN URL); shown in the top bar.
LAMBDAVIZ_PUBLIC_URL = os.environ.get("LAMBDAVIZ_PUBLIC_URL", "")

# True hides the dashboard's controls even from staff (a read-only classroom screen).
LAMBDAVIZ_READONLY_DASHBOARD = _env_bool("LAMBDAVIZ_READONLY_DASHBOARD", False)


def _running_redis_url() -> str | None:
    """The Redis that a running `make run` chose (it records it in var/run.json), so every management command
    drives that simulator rather than a default one."""
    try:
        state = json.loads((VAR_DIR / "run.json").read_text())
        os.kill(int(state["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no run.json, or the `make run` that wrote it is gone
    return state.get("redis_url") or None


REDIS_URL = os.environ.get("REDIS_URL") or _running_redis_url() or "redis://127.0.0.1:6379/0"

# redis-py 8 sets a socket timeout that closes idle websockets (STACK-NOTES); capacity sized for bursts.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
            "capacity": 2000,
            "prefix": os.environ.get("LAMBDAVIZ_CHANNEL_PREFIX", "lambdaviz"),
        },
    }
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# The engine host runs under Celery; beat restarts it after a crash and does the runtime's housekeeping.
CELERY_BEAT_SCHEDULE = {
    "host-ensure": {"task": "invocations.tasks.host_ensure", "schedule": 2.0},
    "runtime-housekeeping": {"task": "invocations.tasks.runtime_housekeeping", "schedule": 10.0},
}
# Invocation records older than this (simulated seconds) are folded into per-minute totals.
LAMBDAVIZ_RECORDS_RETENTION_S = float(os.environ.get("LAMBDAVIZ_RECORDS_RETENTION_S", "900"))
# The metric store (CloudWatch): simulated seconds kept at 1-second resolution (AWS: 3 h for high resolution), then
# at 1 minute (AWS: 15 days). At least 120 s at 1 second: minutes are rolled up as they end.
LAMBDAVIZ_METRICS_SECOND_RETENTION_S = max(
    120.0, float(os.environ.get("LAMBDAVIZ_METRICS_SECOND_RETENTION_S", "10800"))
)
LAMBDAVIZ_METRICS_MINUTE_RETENTION_S = float(os.environ.get("LAMBDAVIZ_METRICS_MINUTE_RETENTION_S", "1296000"))

# Wall seconds an async event stays claimed by a host that stopped heartbeating before another host retries it.
LAMBDAVIZ_ASYNC_CLAIM_TIMEOUT_S = float(os.environ.get("LAMBDAVIZ_ASYNC_CLAIM_TIMEOUT_S", "30"))

# The key pair the Lambda-compatible API accepts (SigV4, issue 5). test/test is the demo default; set both for a
# shared server (a warning is logged at start-up while test/test is accepted).
LAMBDAVIZ_ACCESS_KEY_ID = os.environ.get("LAMBDAVIZ_ACCESS_KEY_ID", "test")
LAMBDAVIZ_SECRET_ACCESS_KEY = os.environ.get("LAMBDAVIZ_SECRET_ACCESS_KEY", "test")
# CreateFunction carries a zip of up to 50 MB, base64 in JSON; Invoke payload limits (6 MB / 1 MB) are the API's.
DATA_UPLOAD_MAX_MEMORY_SIZE = 75 * 1024 * 1024

# At most this many real Python handler processes (one per warm environment) run at once.
LAMBDAVIZ_PYTHON_PROCESSES = int(os.environ.get("LAMBDAVIZ_PYTHON_PROCESSES", "16"))
# First uid of the sandboxes' block (one uid per Python process); 0: derived from VAR_DIR (python_executor/identity.py)
LAMBDAVIZ_SANDBOX_UID_BASE = int(os.environ.get("LAMBDAVIZ_SANDBOX_UID_BASE", "0"))
# Where the kernel cannot give handlers a private root (not root, a rootless container), they are refused; 1 runs
# them partly isolated instead (shared PIDs and /tmp, the source tree readable). Trusted code only.
LAMBDAVIZ_SANDBOX_ALLOW_PARTIAL = os.environ.get("LAMBDAVIZ_SANDBOX_ALLOW_PARTIAL", "") == "1"

# Simulated seconds before provisioned environments start their Init (AWS: 1-2 min, semantics §9 ⚠); 0 = at once.
LAMBDAVIZ_PC_ALLOCATION_DELAY_S = float(os.environ.get("LAMBDAVIZ_PC_ALLOCATION_DELAY_S", "0"))

LAMBDAVIZ_REGION = os.environ.get("LAMBDAVIZ_REGION", "us-east-1")
LAMBDAVIZ_ACCOUNT_ID = os.environ.get("LAMBDAVIZ_ACCOUNT_ID", "123456789012")

# The KMS stand-in: a Fernet key for secret environment values, kept outside the database.
LAMBDAVIZ_KMS_KEY = os.environ.get("LAMBDAVIZ_KMS_KEY", "")
if not LAMBDAVIZ_KMS_KEY:

    def _fernet_key() -> str:
        from cryptography.fernet import Fernet

        return Fernet.generate_key().decode()

    LAMBDAVIZ_KMS_KEY = _local_secret("kms_key", _fernet_key)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
