"""FilterCriteria: the EventBridge pattern subset (exact, prefix, numeric, exists), OR across filters (§3)."""

import json

import pytest

from invocations.engine.sources import FilterCriteria
from invocations.errors import InvalidParameterValueException, ValidationException


def criteria(*patterns: dict) -> FilterCriteria:
    parsed = FilterCriteria.parse({"Filters": [{"Pattern": json.dumps(p)} for p in patterns]})
    assert parsed is not None
    return parsed


def test_exact_values_match_by_equality():
    # semantics §3
    f = criteria({"body": {"colour": ["red", "blue"]}})
    assert f.matches({"body": {"colour": "red"}})
    assert not f.matches({"body": {"colour": "green"}})


def test_numbers_match_numerically_and_booleans_only_booleans():
    # semantics §3
    assert criteria({"data": {"n": [5]}}).matches({"data": {"n": 5.0}})
    assert not criteria({"data": {"flag": [1]}}).matches({"data": {"flag": True}})
    assert criteria({"data": {"flag": [True]}}).matches({"data": {"flag": True}})


def test_prefix_matches_the_start_of_a_string():
    # semantics §3
    f = criteria({"data": {"id": [{"prefix": "AB"}]}})
    assert f.matches({"data": {"id": "AB1234"}})
    assert not f.matches({"data": {"id": "XAB"}})
    assert not f.matches({"data": {"id": 12}})


def test_numeric_ranges_combine_their_conditions():
    # semantics §3
    f = criteria({"data": {"temp": [{"numeric": [">", 30, "<=", 40]}]}})
    assert [f.matches({"data": {"temp": t}}) for t in (30, 31, 40, 41)] == [False, True, True, False]
    assert not f.matches({"data": {"temp": "35"}})


def test_exists_checks_presence_and_absence():
    # semantics §3
    assert criteria({"data": {"tag": [{"exists": True}]}}).matches({"data": {"tag": None}})
    assert not criteria({"data": {"tag": [{"exists": True}]}}).matches({"data": {}})
    assert criteria({"data": {"tag": [{"exists": False}]}}).matches({"data": {}})
    assert not criteria({"data": {"tag": [{"exists": False}]}}).matches({"data": {"tag": 1}})


def test_an_array_value_matches_when_any_element_matches():
    # semantics §3
    assert criteria({"data": {"tags": ["x"]}}).matches({"data": {"tags": ["a", "x"]}})


def test_every_key_of_a_pattern_must_match():
    # semantics §3
    f = criteria({"data": {"a": [1], "b": [2]}})
    assert f.matches({"data": {"a": 1, "b": 2}})
    assert not f.matches({"data": {"a": 1, "b": 3}})


def test_a_record_passes_when_any_filter_matches():
    # semantics §3
    f = criteria({"data": {"a": [1]}}, {"data": {"b": [2]}})
    assert f.matches({"data": {"b": 2}})
    assert not f.matches({"data": {"c": 3}})


def test_a_plain_text_body_can_only_match_as_a_whole_string():
    # semantics §3
    assert criteria({"body": ["hello"]}).matches({"body": "hello"})
    assert not criteria({"body": {"a": [1]}}).matches({"body": "hello"})


@pytest.mark.parametrize(
    "pattern",
    ["not json", "[]", "{}", '{"a": 1}', '{"a": []}', '{"a": [{"anything-but": 1}]}', '{"a": [{"numeric": ["!", 1]}]}'],
)
def test_unsupported_or_malformed_patterns_are_rejected(pattern):
    # semantics §3
    with pytest.raises(InvalidParameterValueException) as err:
        FilterCriteria.parse({"Filters": [{"Pattern": pattern}]})
    assert err.value.message == "Invalid filter pattern definition."


def test_patterns_longer_than_4096_characters_fail_model_validation():
    # semantics §3
    long = json.dumps({"a": ["x" * 4100]})
    with pytest.raises(ValidationException, match="4096"):
        FilterCriteria.parse({"Filters": [{"Pattern": long}]})


def test_no_filters_means_no_filtering():
    assert FilterCriteria.parse(None) is None
    assert FilterCriteria.parse({"Filters": []}) is None
