"""Follow-up questions: asked exactly when an answer could change the result; answering removes them."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from classifier import classify
from classifier.budget import NO_DEADLINE
from classifier.pipeline import get_classifier

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SENTENCES = [
    "为企业客户提供SD-WAN组网服务。", "提供服务器托管和机柜租用。", "面向个人用户提供网络加速。", "我们为外贸企业提供跨境专线。",
    "平台支持第三方商家入驻交易。", "提供视频会议服务。", "用户付费订阅资讯内容。", "企业邮箱托管服务。", "提供CDN加速服务。",
    "呼叫中心外包，服务国内消费者。", "公司官网展示产品。", "外资持股40%。", "机房位于北京。",
]
PROFILE_FACTS = st.fixed_dictionaries({}, optional={
    "coverage": st.sampled_from([["北京"], ["北京", "上海"], "nationwide"]),
    "foreign_share": st.sampled_from([0, 0.3, 0.6, 1]),
    "location": st.sampled_from(["兰州", "杭州", "上海临港新片区"]),
    "customers": st.sampled_from([["enterprises"], ["consumers"], ["own_staff"]]),
})


def _subjects():
    text = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map("".join)
    return st.one_of(text, st.builds(lambda t, facts: {"description": t, **facts}, text, PROFILE_FACTS))


@given(_subjects(), st.booleans())
@SETTINGS
def test_every_question_asked_can_change_the_result(subject, with_requirements):
    classifier = get_classifier()
    day = dt.date(2025, 6, 1)
    result = classifier.classify(subject, day, requirements=with_requirements)
    base = result.signature()
    for question in result.questions:
        spec = classifier.kb.facts[question.fact]
        changed = False
        for value in spec.probe_values or spec.options:
            probed = classifier.classify(subject, day, {question.fact: value}, requirements=with_requirements,
                                         verify_questions=False)
            if probed.signature() != base:
                changed = True
                break
        assert changed, f"{question.fact} asked but no answer changes the result"


@given(_subjects())
@SETTINGS
def test_a_dropped_candidate_really_changes_nothing(subject):
    classifier = get_classifier()
    day = dt.date(2025, 6, 1)
    candidates = {q.fact for q in classifier.classify(subject, day, verify_questions=False).questions}
    verified = classifier.classify(subject, day)
    base = verified.signature()
    for fact in candidates - {q.fact for q in verified.questions}:
        spec = classifier.kb.facts[fact]
        for value in spec.probe_values or spec.options:
            probed = classifier.classify(subject, day, {fact: value}, verify_questions=False)
            assert probed.signature() == base, f"{fact}={value!r} changes the result but was not asked"


@given(_subjects())
@SETTINGS
def test_a_question_never_repeats_once_answered(subject):
    result = classify(subject, as_of="2025-06-01")
    for question in result.questions:
        spec = get_classifier().kb.facts[question.fact]
        value = (spec.probe_values or spec.options)[0]
        again = classify(subject, as_of="2025-06-01", answers={question.fact: value})
        assert question.fact not in {q.fact for q in again.questions}


def test_the_issue_example():
    profile = {"description": "SD-WAN组网服务，仅在中国境内组网", "coverage": ["北京", "上海", "广东"], "cross_border": False,
               "customers": ["enterprises"], "foreign_share": 0.3, "location": "上海临港新片区",
               "registered_capital": 20_000_000, "dishonest_listed": False}
    today = classify(profile, as_of="2026-06-01", requirements=True)
    assert [(b.code, b.authority) for b in today.businesses] == [("B13", "MIIT")]
    (req,) = today.requirements
    checked = [j for j in req.conditions if j.condition.check is not None]
    assert checked and all(j.status == "met" for j in checked) and all(j.condition.sources for j in req.conditions)
    without_coverage = dict(profile)
    del without_coverage["coverage"]
    asked = classify(without_coverage, as_of="2026-06-01", requirements=True)
    assert "coverage_scope" in {q.fact for q in asked.questions}
    # Lingang joined the Shanghai FTZ on 2019-08-20, where B13 may be up to 50% foreign (2018 FTZ list)
    before = classify(profile, as_of="2019-06-01", requirements=True)
    assert "foreign_ownership_over_cap" in before.red_line_ids and "foreign_ownership_over_cap" not in today.red_line_ids


@SETTINGS
@given(_subjects(), st.booleans(), st.data())
def test_a_question_check_resumed_mid_engine_answers_as_a_full_run(subject, with_requirements, data):
    """Question checks reuse the first run: the text is read once and the engine starts at the first stage
    the answer can reach. For any subject and any probe answer, that gives exactly what classifying with
    the answer from scratch gives; and the signature a check reads off the store is the result's."""
    classifier = get_classifier()
    day = dt.date(2025, 6, 1)
    detected = classifier._kind(subject, None, 1_000_000)
    first, reading, base = classifier._classify_once(subject, day, {}, 1_000_000, with_requirements, detected, keep=True)
    for question in first.questions:
        spec = classifier.kb.facts[question.fact]
        value = data.draw(st.sampled_from(list(spec.probe_values or spec.options)), label=question.fact)
        answers = {question.field or question.fact: value}
        resumed, _, _ = classifier._classify_once(subject, day, answers, 1_000_000, with_requirements, detected,
                                                  reading=reading, base=base)
        full, _, _ = classifier._classify_once(subject, day, answers, 1_000_000, with_requirements, detected)
        probed = classifier._probe(subject, day, answers, 1_000_000, with_requirements, detected, NO_DEADLINE,
                                   reading, base)
        assert resumed.signature() == full.signature() == probed
        assert resumed.to_dict()["red_lines"] == full.to_dict()["red_lines"]
        assert [b.code for b in resumed.businesses] == [b.code for b in full.businesses]
