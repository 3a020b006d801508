"""`manage.py seed_demo`: the classroom demo, idempotent, with an admin whose password is never stored in clear."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from invocations import selectors
from invocations.models import (
    ApiStage,
    Bucket,
    EventInvokeConfig,
    EventRule,
    EventSourceMapping,
    Function,
    MappingState,
    Queue,
    Stream,
    TargetGroup,
    TopicSubscription,
)
from tests.factories import db_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_password_from_env(monkeypatch, settings):
    monkeypatch.delenv("LAMBDAVIZ_ADMIN_PASSWORD", raising=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_running_the_seed_twice_yields_the_same_state():
    seed()
    first = db_state(with_users=True)
    output = seed()
    assert db_state(with_users=True) == first
    assert "0 created" in output


# semantics §4, §5
def test_checkout_has_two_versions_the_second_a_20_percent_canary_and_three_aliases():
    seed()
    checkout = Function.objects.get(name="checkout")
    v1, v2 = selectors.version_list(function=checkout)
    assert (v1.number, v2.number) == (1, 2)
    assert v1.profile().error_rate == 0.01
    assert v2.profile().error_rate == 0.2
    aliases = {
        a.name: (a.function_version, a.additional_version_weights) for a in selectors.alias_list(function=checkout)
    }
    assert aliases == {"dev": ("$LATEST", {}), "test": ("2", {}), "prod": ("1", {"2": 0.05})}


# semantics §10
def test_api_gateway_stages_prod_test_and_dev_reach_the_matching_aliases():
    seed()
    stages = {stage.name: stage.resolve_alias().name for stage in ApiStage.objects.all()}
    assert stages == {"Prod": "prod", "Test": "test", "Dev": "dev"}
    assert TargetGroup.objects.get(name="checkout-tg").function_arn.endswith(":function:checkout:prod")


# semantics §3
def test_the_orders_queue_has_a_dlq_and_an_enabled_mapping_to_order_worker():
    seed()
    orders = Queue.objects.get(name="orders")
    assert orders.redrive_policy == {
        "deadLetterTargetArn": Queue.objects.get(name="orders-dlq").arn,
        "maxReceiveCount": 5,
    }
    mapping = EventSourceMapping.objects.get(queue=orders)
    assert mapping.function.name == "order-worker"
    assert mapping.state == MappingState.ENABLED
    assert mapping.settings().report_batch_item_failures
    assert orders.visibility_timeout >= mapping.function.timeout


# semantics §3
def test_the_clickstream_has_two_shards_mapped_to_a_processor_that_fails_on_poison():
    seed()
    stream = Stream.objects.get(name="clickstream")
    assert stream.shard_ids == ["shardId-000000000000", "shardId-000000000001"]
    mapping = EventSourceMapping.objects.get(stream=stream)
    assert mapping.function.name == "clickstream-processor"
    assert mapping.settings().starting_position == "TRIM_HORIZON"
    rule = mapping.function.profile().fail_when[0]
    assert rule.matches({"poison": True}) and not rule.matches({"poison": False})


# semantics §2
def test_the_thumbnailer_has_a_dlq_destinations_and_an_s3_trigger():
    seed()
    thumbnailer = Function.objects.get(name="thumbnailer")
    assert thumbnailer.dead_letter_target_arn == Queue.objects.get(name="thumbnailer-dlq").arn
    config = EventInvokeConfig.objects.get(function=thumbnailer)
    assert config.on_success == Queue.objects.get(name="thumbnails-done").arn
    assert config.on_failure.startswith("arn:aws:sns:")
    assert Bucket.objects.get(name="lambdaviz-uploads").notifications.get().function == thumbnailer


# semantics §2
def test_the_thumbnailers_failure_topic_fans_out_to_failure_alerts_and_the_default_bus_has_a_failure_rule():
    seed()
    config = EventInvokeConfig.objects.get(function__name="thumbnailer")
    (subscription,) = TopicSubscription.objects.filter(topic__name="thumbnail-failures")
    assert (subscription.topic.arn, subscription.target) == (config.on_failure, "failure-alerts")
    rule = EventRule.objects.get(bus__name="default", name="lambda-failures")
    assert rule.target == "failure-alerts" and rule.enabled
    assert rule.event_pattern == {"source": ["lambda"], "detail-type": ["Lambda Function Invocation Result - Failure"]}


def test_a_generated_admin_password_is_printed_once_and_only_its_hash_is_stored():
    output = seed()
    password = output.split("admin password (shown once): ")[1].split()[0]
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(password)
    assert password not in admin.password
    again = seed()
    assert "exists (password unchanged)" in again and password not in again
    assert get_user_model().objects.get(username="admin").password == admin.password


def test_the_admin_password_comes_from_the_environment_when_set(monkeypatch):
    monkeypatch.setenv("LAMBDAVIZ_ADMIN_PASSWORD", "classroom-demo-1")
    output = seed()
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("classroom-demo-1")
    assert "classroom-demo-1" not in output and "classroom-demo-1" not in admin.password
    before = admin.password
    seed()
    assert get_user_model().objects.get(username="admin").password == before
