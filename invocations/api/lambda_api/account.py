"""GetAccountSettings: the account's limits and usage (semantics §8)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from invocations import selectors

from .common import respond


def get_account_settings(request: HttpRequest) -> HttpResponse:
    return respond(request, selectors.account_usage().as_aws())
