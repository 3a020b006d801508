"""Settings for the daphne test server: the project's settings with the test views' URLs and the test key pair."""

import os

from lambdaviz.settings import *  # noqa: F403

ROOT_URLCONF = "tests.api.urls"
LAMBDAVIZ_ACCESS_KEY_ID = os.environ["LAMBDAVIZ_ACCESS_KEY_ID"]
LAMBDAVIZ_SECRET_ACCESS_KEY = os.environ["LAMBDAVIZ_SECRET_ACCESS_KEY"]
