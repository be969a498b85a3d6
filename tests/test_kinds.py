"""Document kinds and the roles they give mentions: who operates what (text/kinds.py, text/lexicon.py)."""
from __future__ import annotations

import pytest

from classifier import InputError, classify
from classifier.pipeline import get_classifier


@pytest.fixture(scope="module")
def detector():
    return get_classifier().kinds


@pytest.mark.parametrize("text, kind", [
    ("岗位职责：负责IDC机房运维与CDN节点巡检。任职要求：本科及以上，三年以上网络运维经验。", "job_post"),
    ("Key responsibilities: operate our SD-WAN edge. Qualifications: CCNP, 3 years of experience.", "job_post"),
    ("某市政务云采购公告：采购人某市数据局，预算金额200万元，投标人须具备云服务能力。", "tender"),
    ("被告人李某在未取得许可的情况下架设VPN服务器牟利，本院认为其行为构成非法经营罪，判处有期徒刑一年。", "enforcement"),
    ("A man was sentenced to two years in prison for selling VPN accounts, prosecutors said.", "enforcement"),
    ("经营范围：软件开发；技术服务；第二类增值电信业务。（依法须经批准的项目，经相关部门批准后方可开展经营活动）", "business_scope"),
    ("许可证编号：B1-20201234，业务种类：内容分发网络业务，覆盖范围：全国。", "licence_record"),
    ("© 2024 某某科技 版权所有 京ICP备12345678号-1", "footer"),
    ("请问做一个收费的小程序需要办什么证？", "question"),
    ("Do I need an ICP license to host my blog in China?", "question"),
    ("CDN是指内容分发网络，是一种把内容缓存到边缘节点的技术。", "news"),
    ("根据《电信业务经营许可管理办法》第六条，申请增值电信业务需满足注册资本要求。", "legal_article"),
    ("## Installation\n```\ngit clone https://example.org/tunnel && make install\n```", "readme"),
    ("评测：三款游戏加速器横评，实测延迟与稳定性，附优缺点。", "review"),
    ("千兆SD-WAN网关设备，产品型号X9，规格参数见下表，支持私有化部署。", "vendor_page"),
    ("我们提供全国CDN加速服务，按流量计费，立即购买享优惠。", "product_page"),
])
def test_each_kind_is_read_from_its_cues(detector, text, kind):
    found = detector.detect(text)
    assert found.id == kind and found.how == "detected"
    assert found.evidence and all(text[e.start:e.end] == e.text for e in found.evidence)


def test_a_text_with_no_cue_is_a_self_description(detector):
    found = detector.detect("服务器托管与机柜租用，机房位于广州")
    assert found.id == "product_page" and found.evidence == ()


def test_evidence_points_at_the_users_traditional_characters(detector):
    text = "被告人陳某以出售翻牆帳號牟利，法院判處有期徒刑一年。"
    found = detector.detect(text)
    assert found.id == "enforcement" and all(text[e.start:e.end] == e.text for e in found.evidence)


def test_a_stated_kind_wins_and_an_unknown_one_is_refused():
    assert classify("我们提供CDN加速服务", kind="news", verify_questions=False).input_kind.how == "stated"
    with pytest.raises(InputError, match="unknown document kind 'poem'"):
        classify("我们提供CDN加速服务", kind="poem")


def test_a_profile_is_a_self_description():
    description = "CDN是指内容分发网络加速服务，节点覆盖全国"
    assert classify(description, verify_questions=False).codes == ()   # as a text it reads as an explainer
    result = classify({"description": description, "coverage": ["北京", "上海"]}, verify_questions=False)
    assert result.input_kind.how == "profile" and result.codes == ("B12",)


# -- roles: only what the subject offers makes a business ------------------------------------------------
@pytest.mark.parametrize("text, role", [
    ("CDN是一种内容分发网络技术，是指把内容缓存到边缘节点。", "discussed"),
    ("岗位职责：负责CDN节点运维。任职要求：本科。", "recruits"),
    ("采购公告：采购人某医院，采购CDN加速服务，预算金额50万元。", "procures"),
    ("## Install\n```\ndocker run wireguard\n```\nA self-hosted VPN server.", "documents"),
])
def test_kinds_that_talk_about_services_make_no_business(text, role):
    result = classify(text, verify_questions=False)
    assert result.codes == () and result.red_lines == ()
    assert result.status == "unrecognised"
    assert result.mentions and {m.role for m in result.mentions} == {role}


def test_a_writers_own_offer_in_an_explainer_still_counts():
    text = "CDN是一种内容分发网络技术，是指把内容缓存到边缘节点。我们提供全国CDN加速服务。"
    result = classify(text, verify_questions=False)
    assert result.input_kind.id == "news" and "B12" in result.codes


def test_a_hosted_version_offered_in_a_readme_counts():
    text = "## Install\n```\ndocker run meet-server\n```\nWe also offer a hosted video conferencing service for teams."
    assert "B22" in classify(text, verify_questions=False).codes


def test_a_question_asks_about_the_licence_and_classifies_the_intended_service():
    result = classify("我们想做一个面向全国的CDN加速服务，需要办ICP证吗？", verify_questions=False)
    assert result.input_kind.id == "question"
    assert result.codes == ("B12",)
    assert [m.role for m in result.mentions if m.code == "B25"] == ["asked"]


@pytest.mark.parametrize("text, intended, asked", [
    ("我想在北京做IDC，需要什么许可证？", ("B11",), []),
    ("做IDC需要办ICP证吗？", ("B11",), ["B25"]),
    ("Can I run a CDN in China as a foreign company?", ("B12",), []),
    ("办理IDC许可证需要什么条件？", (), ["B11"]),
    ("Do I need an IDC license?", (), ["B11"]),
])
def test_a_licence_name_after_an_operating_verb_is_the_intended_service(text, intended, asked):
    """做IDC / run a CDN: the service the asker means to run; IDC许可证 / ICP证 / license: the licence asked about."""
    result = classify(text, verify_questions=False)
    assert result.input_kind.id == "question"
    assert result.codes == intended
    assert sorted(m.code for m in result.mentions if m.role in ("asked", "required")) == asked


@pytest.mark.parametrize("text", ["能不能做跨境专线业务？", "可不可以给企业客户提供跨境专线？", "是否可以为外贸企业提供跨境专线"])
def test_question_words_never_negate(text):
    result = classify(text, verify_questions=False)
    assert "cross_border_connectivity" in result.red_line_ids


def test_a_licence_required_of_customers_is_not_the_providers_business():
    result = classify("使用我们的CDN加速前，您的域名需完成ICP备案。我们提供全国CDN加速。", verify_questions=False)
    assert result.codes == ("B12",)
    assert any(m.role == "required" and m.code == "X-ICP-FILING" for m in result.mentions)


# -- status: silence is never a clean bill ---------------------------------------------------------
def test_status_says_findings_clear_or_could_not_tell():
    assert classify("我们提供全国CDN加速服务", verify_questions=False).status == "findings"
    assert classify("我们的订货系统部署在阿里云上，使用了腾讯云CDN加速。", verify_questions=False).status == "clear"
    assert classify("经营范围：软件开发；技术咨询；计算机系统集成。", verify_questions=False).status == "clear"
    assert classify("今天天气很好，我们去公园散步。", verify_questions=False).status == "unrecognised"


@pytest.mark.parametrize("facts", [{"coverage": ["北京"]}, {"foreign_share": 0.2}, {"coverage": "nationwide",
                                                                                   "cross_border": False}])
def test_stated_facts_alone_never_make_a_result_clear(facts):
    """A profile whose description names no service is 'could not tell' whatever facts it states: the typed
    path must not say 'no licence needed' where the text path says it could not tell."""
    assert classify({"description": "今天天气很好，我们去公园散步。", **facts}, verify_questions=False).status == "unrecognised"
    assert classify({"description": "我们的订货系统部署在阿里云上，使用了腾讯云CDN加速。", **facts},
                    verify_questions=False).status == "clear"


def test_the_json_carries_kind_status_and_mentions():
    data = classify("岗位职责：负责CDN节点运维。任职要求：本科。", verify_questions=False).to_dict()
    assert data["status"] == "unrecognised"
    assert data["input_kind"]["id"] == "job_post" and data["input_kind"]["how"] == "detected"
    mention = data["mentions"][0]
    assert mention["role"] == "recruits" and mention["code"] == "B12" and mention["text"] == "CDN"
