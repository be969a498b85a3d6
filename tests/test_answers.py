"""One answer parser for every surface: the options a question offers, yes/no, percentages, provinces."""
from __future__ import annotations

import pytest

from classifier import InputError, classify
from classifier.knowledge.loader import load_knowledge
from classifier.text.answers import answer_target, parse_answer


@pytest.fixture(scope="module")
def vocabulary():
    return load_knowledge().vocabulary


def spec(vocabulary, name):
    return vocabulary.facts[name]


def test_coverage_accepts_provinces_nationwide_and_the_offered_scopes(vocabulary):
    coverage = spec(vocabulary, "coverage_scope")
    assert parse_answer(coverage, "北京、上海") == ["北京", "上海"]
    assert parse_answer(coverage, "Beijing, Shanghai") == ["Beijing", "Shanghai"]
    assert parse_answer(coverage, "全国") == "nationwide"
    assert parse_answer(coverage, "multi_province") == "multi_province"
    assert parse_answer(coverage, "2") == "multi_province"   # the second option offered


@pytest.mark.parametrize("raw, value", [("是", True), ("否", False), ("yes", True), ("No", False), ("1", True),
                                        ("2", False), ("true", True), ("不是", False)])
def test_yes_and_no_in_chinese_and_english(vocabulary, raw, value):
    assert parse_answer(spec(vocabulary, "cross_border"), raw) is value


@pytest.mark.parametrize("raw, share", [("30%", 0.3), ("30 %", 0.3), ("0.3", 0.3), ("三成", 0.3), ("百分之四十九", 0.49),
                                        ("一半", 0.5), ("30", 0.3), ("0", 0.0), ("100%", 1.0)])
def test_shares_as_people_write_them(vocabulary, raw, share):
    assert parse_answer(spec(vocabulary, "foreign_share"), raw) == pytest.approx(share)


def test_set_answers_take_several_options(vocabulary):
    assert parse_answer(spec(vocabulary, "customers"), "enterprises, consumers") == ["enterprises", "consumers"]
    assert parse_answer(spec(vocabulary, "customers"), "2") == ["enterprises"]


@pytest.mark.parametrize("fact, raw", [("cross_border", "maybe"), ("foreign_share", "lots"), ("customers", "aliens"),
                                       ("cross_border_operator", "someone"), ("coverage_scope", "  ")])
def test_unreadable_answers_name_the_accepted_forms(vocabulary, fact, raw):
    with pytest.raises(InputError, match="accepted"):
        parse_answer(spec(vocabulary, fact), raw)


def test_an_answer_may_name_the_fact_or_its_profile_field(vocabulary):
    assert answer_target(vocabulary, "coverage_scope")[0] == "coverage"
    assert answer_target(vocabulary, "coverage")[0] == "coverage"


def test_offered_options_answer_through_classify():
    text = "为企业客户提供SD-WAN组网服务"
    asked = classify(text, as_of="2025-06-01")
    assert "coverage_scope" in {q.fact for q in asked.questions}
    answered = classify(text, as_of="2025-06-01", answers={"coverage_scope": "multi_province", "foreign_share": "30%",
                                                           "cross_border": "否"})
    assert answered.businesses[0].authority == "MIIT"
    assert "coverage_scope" not in {q.fact for q in answered.questions}
