"""Settings for a daphne serving the real API on the test database (the one pytest-django creates), so requests
through daphne and through the WSGI live server see the same functions."""

import os

from lambdaviz.settings import *  # noqa: F403

_default = DATABASES["default"]  # noqa: F405
_default["NAME"] = _default.get("TEST", {}).get("NAME") or f"test_{_default['NAME']}"
LAMBDAVIZ_ACCESS_KEY_ID = os.environ["LAMBDAVIZ_ACCESS_KEY_ID"]
LAMBDAVIZ_SECRET_ACCESS_KEY = os.environ["LAMBDAVIZ_SECRET_ACCESS_KEY"]
