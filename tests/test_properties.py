"""Invariants of classification, checked over generated input."""
from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from classifier import InputError, classify
from classifier.pipeline import get_classifier

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SENTENCES = [
    "为企业客户提供SD-WAN组网服务。", "机房位于北京和上海。", "提供服务器托管和机柜租用。", "面向个人用户提供网络加速。",
    "我们为外贸企业提供跨境专线。", "平台支持第三方商家入驻交易。", "提供视频会议服务。", "用户付费订阅资讯内容。",
    "企业邮箱托管服务。", "提供CDN加速服务。", "域名解析服务。", "呼叫中心外包服务，服务国内消费者。",
    "We resell bandwidth to other IDCs.", "Cloud servers for developers.", "外商独资企业。", "跨境段由中国联通提供并登记。",
]
NEGATED_CROSS_BORDER = ["不提供任何跨境专线或国际加速。", "不涉及跨境业务。", "We do not offer cross-border links."]
CROSS_BORDER_RED = {"cross_border_connectivity", "own_cross_border_channel", "consumer_circumvention"}


@given(st.text(max_size=300))
@SETTINGS
def test_no_exception_on_any_text(text):
    try:
        result = classify(text)
    except InputError:
        return  # empty, whitespace or binary-looking text is refused by design
    data = result.to_dict()
    assert data["schema"] == "tlc.result/1"
    for business in data["businesses"]:
        for evidence in business["evidence"]:
            if evidence["start"] is not None:
                assert text[evidence["start"]:evidence["end"]] == evidence["text"]


@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6))
@SETTINGS
def test_same_input_same_output(sentences):
    text = "".join(sentences)
    assert classify(text).to_dict() == classify(text).to_dict()


@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6, unique=True), st.randoms())
@SETTINGS
def test_reordering_sentences_does_not_change_codes(sentences, random):
    shuffled = list(sentences)
    random.shuffle(shuffled)
    assert set(classify("".join(sentences)).codes) == set(classify("".join(shuffled)).codes)


@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=5), st.sampled_from(NEGATED_CROSS_BORDER))
@SETTINGS
def test_a_negated_cross_border_clause_never_adds_a_cross_border_red_line(sentences, negated):
    text = "".join(sentences)
    before = set(classify(text).red_line_ids) & CROSS_BORDER_RED
    after = set(classify(text + negated).red_line_ids) & CROSS_BORDER_RED
    assert after <= before


@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=5))
@SETTINGS
def test_stating_a_fact_in_the_profile_removes_its_question(sentences):
    text = "".join(sentences)
    first = classify(text)
    asked = {q.fact for q in first.questions}
    assume("coverage_scope" in asked)
    answered = classify({"description": text, "coverage": ["北京", "上海"]})
    assert "coverage_scope" not in {q.fact for q in answered.questions}


def test_many_classifications_leave_no_engine_state_behind():
    classifier = get_classifier()
    for i in range(300):
        classify(SENTENCES[i % len(SENTENCES)] * (1 + i % 3))
    assert classifier.engine._live == set()


PLAIN = [  # service sentences with no negation, self-use, partner or vendor words
    "提供服务器托管和机柜租用。", "提供云服务器和对象存储。", "提供CDN加速服务。", "为企业客户提供SD-WAN组网服务。",
    "提供宽带上网服务。", "平台支持第三方商家入驻交易。", "提供视频会议服务。", "企业邮箱托管服务。",
    "呼叫中心外包服务，服务国内消费者。", "提供域名解析服务。", "用户付费订阅资讯内容。", "提供短信群发平台。",
]


def _covered(code, codes, catalogue):
    return code in codes or any(code in catalogue.ancestors(other) for other in codes)


@given(st.lists(st.sampled_from(PLAIN), min_size=1, max_size=4), st.sampled_from(PLAIN))
@SETTINGS
def test_adding_a_plain_service_sentence_never_removes_a_business(sentences, extra):
    from classifier.knowledge.loader import load_catalogue

    catalogue = load_catalogue()
    before = set(classify("".join(sentences), verify_questions=False).codes) - {"X-ICP-FILING"}
    after = set(classify("".join(sentences) + extra, verify_questions=False).codes)
    lost = [code for code in before if not _covered(code, after, catalogue)]
    assert not lost, f"adding {extra!r} removed {lost}"
