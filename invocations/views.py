"""Dashboard views (thin: they call selectors and services)."""

from django.shortcuts import render


def home(request):
    return render(request, "invocations/home.html", {})
