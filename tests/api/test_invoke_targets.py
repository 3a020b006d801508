"""Invoke's target lookup, cached per configuration version: no query while nothing changed, every committed change
seen by the next lookup (a new timeout, a deleted alias or function), and a Redis that lost its data never brings a
stale entry back."""

import pytest

from invocations.api.lambda_api.invoke import InvokeCall, cached_target
from invocations.api.lambda_api.invoke_targets import Target
from invocations.errors import ResourceNotFoundException
from invocations.models import AccountSettings
from invocations.services import alias_create, alias_delete, function_create, function_delete
from invocations.services.functions import function_update_configuration
from invocations.services.versions import version_publish

pytestmark = pytest.mark.django_db(transaction=True)


def call(name: str, qualifier: str | None = None) -> InvokeCall:
    return InvokeCall(name, qualifier, "RequestResponse", False, {}, {})


def test_an_unchanged_function_is_found_without_a_query(redis_client, django_assert_num_queries):
    function_create(name="checkout", timeout=7)
    assert cached_target(call("checkout")) == Target("checkout", 7.0)
    with django_assert_num_queries(0):
        assert cached_target(call("checkout")) == Target("checkout", 7.0)


def test_a_new_timeout_is_seen_by_the_next_lookup(redis_client):
    function = function_create(name="checkout", timeout=7)
    assert cached_target(call("checkout")).timeout_s == 7.0
    function_update_configuration(function=function, timeout=30)
    assert cached_target(call("checkout")).timeout_s == 30.0


def test_a_deleted_alias_or_function_is_seen_by_the_next_lookup(redis_client):
    function = function_create(name="checkout")
    version_publish(function=function)
    alias = alias_create(function=function, name="prod", function_version="1")
    assert cached_target(call("checkout", "prod")).name == "checkout:prod"
    alias_delete(alias=alias)
    with pytest.raises(ResourceNotFoundException):
        cached_target(call("checkout", "prod"))
    assert cached_target(call("checkout")).name == "checkout"
    function_delete(function=function)
    with pytest.raises(ResourceNotFoundException):
        cached_target(call("checkout"))


def test_a_flushed_redis_does_not_bring_back_a_stale_entry(redis_client):
    # A counter would restart after a flush: the same changes again would give the cached entry's version back.
    AccountSettings.load()  # created now, so both creations below make the same number of changes
    redis_client.flushdb()
    function = function_create(name="checkout", timeout=7)
    assert cached_target(call("checkout")).timeout_s == 7.0
    redis_client.flushdb()
    function.delete()
    redis_client.flushdb()  # lost again, then the same changes as before the first lookup
    function_create(name="checkout", timeout=9)
    assert cached_target(call("checkout")).timeout_s == 9.0
