"""AWS Lambda's REST paths (botocore's model, lambda/2015-03-31), each told apart by HTTP method as on AWS."""

from django.urls import path, re_path

from . import (
    account,
    aliases,
    code_location,
    concurrency,
    event_invoke_config,
    function_urls,
    functions,
    invoke,
    mappings,
    policies,
    versions,
)
from .common import operations, unknown_operation

FUNCTION = "2015-03-31/functions/<str:function_name>"

urlpatterns = [
    path(
        "2015-03-31/functions",
        operations(POST=functions.create_function, GET=functions.list_functions),
        name="lambda-functions",
    ),
    path(
        FUNCTION,
        operations(GET=functions.get_function, DELETE=functions.delete_function),
        name="lambda-function",
    ),
    path(
        f"{FUNCTION}/configuration",
        operations(GET=functions.get_function_configuration, PUT=functions.update_function_configuration),
        name="lambda-function-configuration",
    ),
    path(f"{FUNCTION}/code", operations(PUT=functions.update_function_code), name="lambda-function-code"),
    path(f"{FUNCTION}/invocations", invoke.invoke, name="lambda-invoke"),
    path(
        f"{FUNCTION}/versions",
        operations(POST=versions.publish_version, GET=versions.list_versions_by_function),
        name="lambda-versions",
    ),
    path(
        f"{FUNCTION}/aliases",
        operations(POST=aliases.create_alias, GET=aliases.list_aliases),
        name="lambda-aliases",
    ),
    path(
        f"{FUNCTION}/aliases/<str:name>",
        operations(GET=aliases.get_alias, PUT=aliases.update_alias, DELETE=aliases.delete_alias),
        name="lambda-alias",
    ),
    path(
        f"{FUNCTION}/policy",
        operations(POST=policies.add_permission, GET=policies.get_policy),
        name="lambda-policy",
    ),
    path(
        f"{FUNCTION}/policy/<str:statement_id>",
        operations(DELETE=policies.remove_permission),
        name="lambda-policy-statement",
    ),
    path(
        "2021-10-31/functions/<str:function_name>/url",
        operations(
            POST=function_urls.create_function_url_config,
            GET=function_urls.get_function_url_config,
            PUT=function_urls.update_function_url_config,
            DELETE=function_urls.delete_function_url_config,
        ),
        name="lambda-function-url",
    ),
    path(
        "2021-10-31/functions/<str:function_name>/urls",
        operations(GET=function_urls.list_function_url_configs),
        name="lambda-function-urls",
    ),
    path(
        "2017-10-31/functions/<str:function_name>/concurrency",
        operations(PUT=concurrency.put_function_concurrency, DELETE=concurrency.delete_function_concurrency),
        name="lambda-reserved-concurrency",
    ),
    path(
        "2019-09-30/functions/<str:function_name>/concurrency",
        operations(GET=concurrency.get_function_concurrency),
        name="lambda-reserved-concurrency-get",
    ),
    path(
        "2019-09-30/functions/<str:function_name>/provisioned-concurrency",
        operations(
            PUT=concurrency.put_provisioned_concurrency_config,
            GET=concurrency.provisioned_get_or_list,
            DELETE=concurrency.delete_provisioned_concurrency_config,
        ),
        name="lambda-provisioned-concurrency",
    ),
    path(
        "2019-09-25/functions/<str:function_name>/event-invoke-config",
        operations(
            PUT=event_invoke_config.put_function_event_invoke_config,
            POST=event_invoke_config.update_function_event_invoke_config,
            GET=event_invoke_config.get_function_event_invoke_config,
            DELETE=event_invoke_config.delete_function_event_invoke_config,
        ),
        name="lambda-event-invoke-config",
    ),
    path(
        "2019-09-25/functions/<str:function_name>/event-invoke-config/list",
        operations(GET=event_invoke_config.list_function_event_invoke_configs),
        name="lambda-event-invoke-configs",
    ),
    path(
        "2015-03-31/event-source-mappings",
        operations(POST=mappings.create_event_source_mapping, GET=mappings.list_event_source_mappings),
        name="lambda-event-source-mappings",
    ),
    path(
        "2015-03-31/event-source-mappings/<str:uuid>",
        operations(
            GET=mappings.get_event_source_mapping,
            PUT=mappings.update_event_source_mapping,
            DELETE=mappings.delete_event_source_mapping,
        ),
        name="lambda-event-source-mapping",
    ),
    # Code.Location of GetFunction: a presigned-style URL, downloaded without SigV4 (code_location.py).
    path("lambda-code/<str:token>", code_location.download_code, name="lambda-code-package"),
    path("2016-08-19/account-settings", operations(GET=account.get_account_settings), name="lambda-account-settings"),
    # Operations LambdaViz does not simulate (tags, layers, code signing, ...) still answer as the API does.
    re_path(r"^20\d\d-\d\d-\d\d/", unknown_operation, name="lambda-unknown-operation"),
]
