"""ASGI entry point: HTTP through Django (Invoke through its lean route first), websockets through Channels."""

import os

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lambdaviz.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs the app registry)

from invocations.api.checks import warn_if_demo_credentials  # noqa: E402
from invocations.api.lambda_api.invoke_route import LeanInvoke  # noqa: E402
from invocations.ws_routing import websocket_urlpatterns  # noqa: E402

from .http_limits import install as answer_over_long_lines  # noqa: E402

warn_if_demo_credentials()
answer_over_long_lines()

application = ProtocolTypeRouter(
    {
        "http": LeanInvoke(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
