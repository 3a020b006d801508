"""The Celery application: async retries, event-source pollers, deliveries and the reaper."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lambdaviz.settings")

app = Celery("lambdaviz")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
