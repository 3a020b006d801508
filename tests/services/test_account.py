"""The account singleton: defaults from settings, limits, identity and the simulation clock (semantics §8)."""

import pytest

from invocations import services
from invocations.errors import InvalidParameterValueException, ValidationException
from invocations.models import AccountSettings
from tests.factories import assert_refused, make_function

pytestmark = pytest.mark.django_db


# semantics §8
def test_the_account_starts_with_aws_defaults_and_the_configured_identity(settings):
    account = AccountSettings.load()
    assert (account.concurrency_limit, account.unreserved_minimum) == (1000, 100)
    assert (account.region, account.account_id) == (settings.LAMBDAVIZ_REGION, settings.LAMBDAVIZ_ACCOUNT_ID)
    assert (account.clock_factor, account.clock_paused) == (1.0, False)


def test_the_clock_can_be_sped_up_and_paused():
    account = services.account_settings_update(clock_factor=60.0, clock_paused=True)
    assert (account.clock_factor, account.clock_paused) == (60.0, True)
    assert_refused(lambda: services.account_settings_update(clock_factor=0), InvalidParameterValueException)


# semantics §12
def test_region_and_account_id_change_every_arn():
    function = make_function("fn")
    services.account_settings_update(region="eu-west-1", account_id="210987654321")
    assert function.arn == "arn:aws:lambda:eu-west-1:210987654321:function:fn"
    assert_refused(lambda: services.account_settings_update(account_id="12"), ValidationException)
    assert_refused(lambda: services.account_settings_update(region="moon"), ValidationException)


# semantics §8
def test_the_limit_cannot_drop_below_reservations_plus_the_unreserved_minimum():
    function = make_function()
    services.function_concurrency_put(function=function, reserved_concurrent_executions=400)
    assert_refused(lambda: services.account_settings_update(concurrency_limit=499), InvalidParameterValueException)
    assert services.account_settings_update(concurrency_limit=500).concurrency_limit == 500
