"""Profiles and bad input: every refusal says what is wrong; nothing is guessed."""
from __future__ import annotations

import pytest

from classifier import InputError, classify


@pytest.mark.parametrize("profile,message", [
    ({"description": "IDC托管", "foreign_share": 1.7}, "foreign_share"),
    ({"description": "IDC托管", "colour": "red"}, "unknown fact 'colour'"),
    ({"description": "IDC托管", "coverage": ["火星"]}, "unknown province"),
    ({"description": "IDC托管", "customers": ["aliens"]}, "customers"),
    ({"description": "   "}, "empty profile description"),
    ({"coverage": "nationwide"}, "empty profile description"),
    ({"description": "IDC", "licences_held": [{"code": "B99"}]}, "unknown catalogue code"),
    ("not a mapping".encode(), "mapping"),
])
def test_bad_profiles_are_refused_with_the_reason(profile, message):
    with pytest.raises(InputError, match=message):
        classify(profile)


@pytest.mark.parametrize("text,message", [
    ("", "empty text"), ("  \n\t ", "empty text"), ("abc\x00def", "binary"),
    ("\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f", "binary"),
    ("ok" + "\x85\x9f\x7f" * 4, "binary"),  # C1 controls and DEL count as binary too
])
def test_bad_text_is_refused(text, message):
    with pytest.raises(InputError, match=message):
        classify(text)


def test_text_over_the_limit_is_refused_and_the_limit_is_configurable():
    with pytest.raises(InputError, match="limit is 100"):
        classify("SD-WAN组网" * 20, max_chars=100)
    assert classify("SD-WAN组网服务" * 20, max_chars=1000).codes


def test_bad_date_is_refused():
    with pytest.raises(InputError, match="not a date"):
        classify("CDN加速服务", as_of="2025-13-01")


def test_profile_facts_win_over_the_text():
    text = "为企业提供跨境SD-WAN组网"
    assert "cross_border_connectivity" in classify(text).red_line_ids
    stated = classify({"description": text, "cross_border": False})
    assert "cross_border_connectivity" not in stated.red_line_ids


def test_answers_complete_the_profile_and_remove_their_question():
    first = classify("为企业客户提供SD-WAN组网服务，仅限境内")
    assert "coverage_scope" in {q.fact for q in first.questions}
    answered = classify("为企业客户提供SD-WAN组网服务，仅限境内", answers={"coverage": ["北京", "上海"]})
    assert "coverage_scope" not in {q.fact for q in answered.questions}
    assert answered.businesses[0].authority == "MIIT"


def test_coverage_in_one_province_is_provincial():
    result = classify({"description": "为企业客户提供SD-WAN组网服务", "coverage": ["广东"], "cross_border": False})
    assert [(b.code, b.authority) for b in result.businesses] == [("B13", "provincial")]
