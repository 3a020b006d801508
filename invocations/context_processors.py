"""Template context every page needs: the URL to give students when the server is shared on the LAN."""

from django.conf import settings


def public_url(request) -> dict[str, str]:
    return {"lambdaviz_public_url": settings.LAMBDAVIZ_PUBLIC_URL}
