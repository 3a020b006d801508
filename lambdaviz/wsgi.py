"""WSGI entry point (management tooling only; the server is daphne via asgi.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lambdaviz.settings")
application = get_wsgi_application()
