"""Dashboard views (thin: they call selectors and services)."""

from django.shortcuts import render

from . import selectors
from .runtime.snapshot import function_summary


def home(request):
    """The account at a glance: every function with its versions, aliases and alias weights."""
    functions = [function_summary(fn) for fn in selectors.function_list()]
    return render(
        request,
        "invocations/home.html",
        {"functions": functions, "account": selectors.account_settings_get(), "is_staff": request.user.is_staff},
    )
