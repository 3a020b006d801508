"""Invariants the database itself holds, even when validation is bypassed (Meta.constraints)."""

import pytest
from django.db import IntegrityError, transaction

from invocations.models import (
    AccountSettings,
    Alias,
    EventInvokeConfig,
    EventSourceMapping,
    ProvisionedConcurrencyConfig,
    Queue,
)
from tests.factories import make_function, make_queue, make_stream, make_versions

pytestmark = pytest.mark.django_db


def refused_by_database(build) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


# semantics §5
def test_the_database_refuses_routing_from_latest_a_weight_above_one_and_the_same_version_twice():
    function = make_function()
    v1, v2 = make_versions(function, 0.1, 0.2)
    refused_by_database(
        lambda: Alias.objects.create(function=function, name="a", routing_version=v2, routing_weight=0.1)
    )
    refused_by_database(
        lambda: Alias.objects.create(function=function, name="b", version=v1, routing_version=v2, routing_weight=1.5)
    )
    refused_by_database(
        lambda: Alias.objects.create(function=function, name="c", version=v1, routing_version=v1, routing_weight=0.5)
    )
    refused_by_database(lambda: Alias.objects.create(function=function, name="d", version=v1, routing_version=v2))
    Alias.objects.create(function=function, name="ok", version=v1)
    refused_by_database(lambda: Alias.objects.create(function=function, name="ok", version=v2))


# semantics §9
def test_the_database_refuses_provisioned_concurrency_on_latest_and_twice_on_one_version():
    function = make_function()
    (v1,) = make_versions(function, 0.1)
    refused_by_database(lambda: ProvisionedConcurrencyConfig.objects.create(function=function, requested=1))
    ProvisionedConcurrencyConfig.objects.create(function=function, version=v1, requested=1)
    refused_by_database(lambda: ProvisionedConcurrencyConfig.objects.create(function=function, version=v1, requested=2))


# semantics §2
def test_the_database_holds_async_config_ranges_and_one_config_per_qualifier():
    function = make_function()
    refused_by_database(lambda: EventInvokeConfig.objects.create(function=function, maximum_retry_attempts=3))
    refused_by_database(lambda: EventInvokeConfig.objects.create(function=function, maximum_event_age_in_seconds=59))
    EventInvokeConfig.objects.create(function=function, maximum_retry_attempts=1)
    refused_by_database(lambda: EventInvokeConfig.objects.create(function=function, maximum_retry_attempts=0))


# semantics §3
def test_a_mapping_has_exactly_one_source():
    function = make_function()
    queue, stream = make_queue(), make_stream()
    refused_by_database(lambda: EventSourceMapping.objects.create(function=function))
    refused_by_database(lambda: EventSourceMapping.objects.create(function=function, queue=queue, stream=stream))


# semantics §3
def test_a_redrive_policy_is_complete_and_never_points_at_its_own_queue():
    dlq = make_queue("dlq")
    refused_by_database(lambda: Queue.objects.create(name="a", dead_letter_queue=dlq))
    queue = Queue.objects.create(name="b")
    queue.dead_letter_queue, queue.max_receive_count = queue, 5
    refused_by_database(queue.save)


def test_account_settings_stay_a_single_row():
    AccountSettings.objects.create(concurrency_limit=500)
    AccountSettings(concurrency_limit=700).save()
    refused_by_database(lambda: AccountSettings.objects.create(concurrency_limit=900))
    assert AccountSettings.objects.count() == 1
    assert AccountSettings.load().concurrency_limit == 700
