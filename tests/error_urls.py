"""The project's URLs plus views that fail on purpose: what a visitor sees when a view has a bug."""

from django.urls import path

from lambdaviz.urls import handler400, handler403, handler404, handler500  # noqa: F401
from lambdaviz.urls import urlpatterns as project_urlpatterns


def boom(request, **kwargs):
    raise RuntimeError("a bug in a view, with /secret/server/paths in its message")


urlpatterns = [
    path("test-only/boom", boom),
    path("dashboard/api/test-only/boom", boom),
    path("2015-03-31/test-only/boom", boom),
    *project_urlpatterns,
]
