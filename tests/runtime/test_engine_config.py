"""The engine's view of the account, built from the models (the runtime's one translation layer)."""

import pytest

from invocations.runtime.engine_config import account_config, all_function_configs
from invocations.runtime.python_executor import PythonCode
from invocations.services import function_concurrency_put, function_create
from invocations.services.demo import demo_seed

pytestmark = pytest.mark.django_db


def test_the_demo_becomes_engine_config_with_versions_aliases_weights_and_async_settings():
    demo_seed()
    configs = {fn.name: fn for fn in all_function_configs()}
    checkout = configs["checkout"]
    assert sorted(checkout.versions) == ["$LATEST", "1", "2"]
    assert checkout.aliases["prod"].function_version == "1"
    assert checkout.aliases["prod"].additional_version_weights == {"2": 0.05}
    assert checkout.versions["2"].profile.error_rate > checkout.versions["1"].profile.error_rate
    thumbnailer = configs["thumbnailer"].async_configs["$LATEST"]
    assert thumbnailer.on_success and thumbnailer.on_failure
    assert account_config().concurrency_limit == 1000


def test_building_twice_gives_equal_configs_so_a_reload_can_skip_unchanged_functions():
    demo_seed()
    assert all_function_configs() == all_function_configs()


def test_a_python_function_carries_its_handler_and_decrypted_secrets_reach_only_the_runtime():
    source = "def main(event, context):\n    return 1\n"
    fn = function_create(
        name="py", runtime="python3.12", handler="app.main", handler_source=source, secret_environment={"TOKEN": "s3"}
    )
    function_concurrency_put(function=fn, reserved_concurrent_executions=7)
    (config,) = [c for c in all_function_configs() if c.name == "py"]
    latest = config.versions["$LATEST"]
    assert latest.executor == "python"
    assert latest.code == PythonCode.single_file(source, "app.main")
    assert latest.env["TOKEN"] == "s3"
    assert config.reserved_concurrency == 7


def test_a_secret_that_cannot_be_decrypted_does_not_stop_the_simulator(caplog):
    # semantics §7: decryption failures belong to that function, never to the whole account.
    from invocations.models import Function

    function_create(name="locked", secret_environment={"TOKEN": "s3"}, environment={"PLAIN": "1"})
    Function.objects.filter(name="locked").update(secret_environment={"TOKEN": "not-a-fernet-token"})
    (config,) = [c for c in all_function_configs() if c.name == "locked"]
    assert config.versions["$LATEST"].env == {"PLAIN": "1"}
    assert "could not decrypt the secret environment" in caplog.text
