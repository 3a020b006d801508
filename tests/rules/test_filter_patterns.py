"""CloudWatch Logs filter patterns for unstructured events (rules/filter_patterns.py)."""

import pytest

from invocations.rules.filter_patterns import InvalidFilterPattern, parse_filter_pattern

LINES = [
    "START RequestId: r1 Version: $LATEST",
    "[ERROR] Exception: card declined",
    "REPORT RequestId: r1\tDuration: 3.01 ms\tInit Duration: 110.10 ms\t",
    "ERROR Invoke Error",
]


def matching(pattern: str) -> list[str]:
    parsed = parse_filter_pattern(pattern)
    return [line for line in LINES if parsed.matches(line)]


def test_an_empty_pattern_matches_every_event():
    assert matching("") == LINES and matching("   ") == LINES


def test_terms_are_anded_and_case_sensitive():
    assert matching("ERROR") == [LINES[1], LINES[3]]
    assert matching("ERROR Exception") == [LINES[1]]
    assert matching("error") == []


def test_a_quoted_phrase_is_matched_whole():
    assert matching('"Init Duration"') == [LINES[2]]
    assert matching('"Duration: 3.01 ms" REPORT') == [LINES[2]]
    assert matching('"card  declined"') == []


def test_question_marked_terms_need_only_one_to_match():
    assert matching("?START ?REPORT") == [LINES[0], LINES[2]]
    assert matching('?"Invoke Error" ?declined') == [LINES[1], LINES[3]]
    assert matching("?START ?REPORT Init") == [LINES[2]]  # and every plain term too


def test_a_minus_term_excludes():
    assert matching("ERROR -Exception") == [LINES[3]]
    assert matching('RequestId -"Init Duration"') == [LINES[0]]


@pytest.mark.parametrize("pattern", ['"unclosed', 'ab"c', '"a"b', '""', "{ $.level = 1 }", "[ip, user]", "%err%", "?"])
def test_patterns_it_cannot_read_are_refused(pattern):
    with pytest.raises(InvalidFilterPattern):
        parse_filter_pattern(pattern)
