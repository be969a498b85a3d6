"""The verdict: two sentences per language that say what to do, never "no licence" when it could not tell."""
from __future__ import annotations

import dataclasses

import pytest

from classifier import classify
from classifier.findings.result import Mention
from classifier.findings.verdict import verdict_of


def _verdict(catalogue, subject, **kwargs):
    return verdict_of(classify(subject, as_of="2025-06-01", **kwargs), catalogue)


def test_a_licence_names_code_authority_and_open_questions(catalogue):
    v = _verdict(catalogue, {"description": "为企业客户提供SD-WAN组网服务，仅在境内", "coverage": ["北京", "上海"],
                             "cross_border": False})
    assert v.tone == "licence" and [l.code for l in v.licences] == ["B13"]
    assert len(v.sentences_zh) == len(v.sentences_en) == 2
    assert v.sentences_zh[0] == "需要取得B13 国内互联网虚拟专用网业务（工业和信息化部审批）经营许可。"
    assert v.sentences_en[0].startswith("It needs a licence for B13 Domestic Internet Virtual Private Network")
    assert "granted by MIIT" in v.sentences_en[0] and "No red line is crossed" in v.sentences_en[1]


def test_a_red_line_comes_with_its_title_severity_and_next_step(catalogue):
    v = _verdict(catalogue, "为外贸企业提供中国与新加坡之间的跨境SD-WAN组网")
    assert v.tone == "stop" and [r.id for r in v.red_lines] == ["cross_border_connectivity"]
    assert "跨境专线、VPN或加速（国际通信业务）【需基础电信许可】" in v.sentences_zh[1]
    assert "change the set-up first" in v.sentences_en[1] and "cross_border_connectivity" not in v.text_en
    assert f"{v.questions} open question" in v.sentences_en[1] and v.questions == len(
        classify("为外贸企业提供中国与新加坡之间的跨境SD-WAN组网", as_of="2025-06-01").questions)


def test_a_prohibited_red_line_says_no_licence_cures_it(catalogue):
    v = _verdict(catalogue, "面向个人用户的翻墙加速器，一键科学上网")
    assert v.tone == "stop" and v.headline_en == "Crosses a prohibited red line"
    assert "no licence makes this lawful" in v.sentences_en[1] and "任何许可都不能使其合法" in v.sentences_zh[1]


def test_could_not_tell_never_reads_as_no_licence_needed(catalogue):
    v = _verdict(catalogue, "岗位职责：负责CDN节点运维。任职要求：本科。")
    assert v.tone == "unknown" and v.headline_en == "Could not tell" and not v.licences
    assert "does not mean no licence is needed" in v.sentences_en[0] and "不等于无需许可" in v.sentences_zh[0]
    assert "No telecom licence needed" not in v.text_en and "无需电信业务经营许可" not in v.text_zh
    assert [m.code for m in v.mentioned] == ["B12"] and "B12 (recruited for)" in v.sentences_en[1]


def test_clear_is_said_plainly_and_mentions_are_not_findings(catalogue):
    result = classify("我们公司使用阿里云的CDN服务加速官网", as_of="2025-06-01")
    assert result.status == "clear"
    v = verdict_of(result, catalogue)
    assert v.tone == "clear" and v.headline_en == "No telecom licence needed" and not v.licences
    assert [m.code for m in v.mentioned] == ["B12"] and "Only mentioned, not operated" in v.sentences_en[1]


def test_a_code_both_operated_and_mentioned_is_a_finding_only(catalogue):
    result = classify("提供CDN加速服务，覆盖全国", as_of="2025-06-01")
    mention = Mention("discussed", "CDN", 2, 5, "svc.cdn", code="B12")
    v = verdict_of(dataclasses.replace(result, mentions=(mention,)), catalogue)
    assert [l.code for l in v.licences] == ["B12"] and v.mentioned == ()


@pytest.mark.parametrize("count, listed", [(1, 1), (3, 3), (5, 3)])
def test_long_lists_are_counted_not_spelled_out(catalogue, count, listed):
    result = classify("提供CDN加速服务，覆盖全国", as_of="2025-06-01")
    business = result.businesses[0]
    many = tuple(dataclasses.replace(business, code=f"B{10 + i}") for i in range(count))
    v = verdict_of(dataclasses.replace(result, businesses=many), catalogue)
    assert v.sentences_zh[0].count("（") == listed
    assert (f"and {count - listed} more" in v.sentences_en[0]) == (count > listed)


def test_to_dict_carries_sentences_and_facts(catalogue):
    data = _verdict(catalogue, "为外贸企业提供中国与新加坡之间的跨境SD-WAN组网").to_dict()
    assert set(data) == {"tone", "headline_zh", "headline_en", "sentences_zh", "sentences_en", "licences", "red_lines",
                         "questions", "mentioned"}
    assert data["red_lines"][0]["title_en"].startswith("Cross-border") and data["red_lines"][0]["severity_en"]
