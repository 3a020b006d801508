"""Warnings, at start-up, when the API accepts the well-known demo credentials test/test."""

import logging

from django.core import checks

from .sigv4 import DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY, using_demo_credentials

logger = logging.getLogger("invocations.api")

DEMO_CREDENTIALS_MESSAGE = f"The Lambda API accepts the demo credentials {DEMO_ACCESS_KEY_ID}/{DEMO_SECRET_ACCESS_KEY}."
DEMO_CREDENTIALS_HINT = "Set LAMBDAVIZ_ACCESS_KEY_ID and LAMBDAVIZ_SECRET_ACCESS_KEY before sharing this server."


@checks.register(checks.Tags.security)
def demo_credentials_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """For `manage.py check` and runserver (registered once this module is imported, e.g. from AppConfig.ready)."""
    if not using_demo_credentials():
        return []
    return [checks.Warning(DEMO_CREDENTIALS_MESSAGE, hint=DEMO_CREDENTIALS_HINT, id="lambdaviz.W001")]


def warn_if_demo_credentials() -> bool:
    """Log the warning (for the web server's start-up, e.g. in lambdaviz/asgi.py); True when it was logged."""
    if not using_demo_credentials():
        return False
    logger.warning("%s %s", DEMO_CREDENTIALS_MESSAGE, DEMO_CREDENTIALS_HINT)
    return True
