"""Function references Invoke accepts (semantics §12)."""

from __future__ import annotations

import pytest

from invocations.engine.arns import FunctionRef, function_arn, parse_function_ref
from invocations.engine.config import AccountConfig
from invocations.errors import ValidationException


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("my-function", FunctionRef("my-function")),
        ("my-function:PROD", FunctionRef("my-function", "PROD")),
        ("my_function:$LATEST", FunctionRef("my_function", "$LATEST")),
        ("123456789012:function:my-function", FunctionRef("my-function", None, account="123456789012")),
        ("123456789012:function:my-function:7", FunctionRef("my-function", "7", account="123456789012")),
        (
            "arn:aws:lambda:us-east-2:123456789012:function:my-function",
            FunctionRef("my-function", None, region="us-east-2", account="123456789012"),
        ),
        (
            "arn:aws:lambda:us-east-2:123456789012:function:helloworld:42",
            FunctionRef("helloworld", "42", region="us-east-2", account="123456789012"),
        ),
    ],
)
def test_every_function_reference_form_parses(ref, expected):
    # semantics §12: name, partial ARN, full ARN, each optionally qualified
    assert parse_function_ref(ref) == expected


@pytest.mark.parametrize("ref", ["", "a" * 65, "fn:", "fn:a:b", "arn:aws:lambda:nowhere:123:function:fn", "x y"])
def test_malformed_references_are_a_validation_error(ref):
    # semantics §12: names are at most 64 of [a-zA-Z0-9-_]
    with pytest.raises(ValidationException):
        parse_function_ref(ref)


def test_function_arns_are_built_with_and_without_a_qualifier():
    # semantics §12
    account = AccountConfig(region="us-east-2", account_id="123456789012")
    assert function_arn(account, "fn") == "arn:aws:lambda:us-east-2:123456789012:function:fn"
    assert function_arn(account, "fn", "$LATEST") == "arn:aws:lambda:us-east-2:123456789012:function:fn:$LATEST"
