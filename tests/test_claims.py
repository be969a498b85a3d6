"""Licence claims in texts, checked against the catalogue (claim_mismatch), separate from red lines."""
from __future__ import annotations

import pytest

from classifier import classify


def claims(text, **profile):
    subject = {"description": text, **profile} if profile else text
    result = classify(subject, verify_questions=False)
    return [(c.check, c.claimed, c.actual) for c in result.claims], result


@pytest.mark.parametrize("text,expected", [
    ("我司持有B11 ISP牌照，为写字楼提供宽带接入", [("code_name", "B11", "B14")]),
    ("本公司已取得B12 IDC许可证，提供服务器托管", [("code_name", "B12", "B11")]),
    ("互联网信息服务（B1-20191234），付费会员内容", [("number_class", "B1-20191234", "B25")]),
    ("经营许可证编号：B2-20190001 提供CDN加速服务", [("number_class", "B2-20190001", "B12")]),
])
def test_mismatched_claims(text, expected):
    found, result = claims(text)
    assert found == expected
    assert all(c.message_zh and c.message_en and c.evidence for c in result.claims)
    assert all(e.text in text for c in result.claims for e in c.evidence)


@pytest.mark.parametrize("text", [
    "ISP许可证（B1-20180001），提供宽带上网服务",          # B14 is first class: consistent
    "已取得IDC全网证，提供服务器托管",
    "持有B14 ISP许可证，为小区提供宽带",
    "B1类 ISP业务",                                       # the class, not a wrong code
    "我们的产品型号为B25路由器",                            # a code with no business name beside it
])
def test_consistent_or_unrelated_claims_pass(text):
    assert claims(text)[0] == []


def test_provincial_licence_for_a_multi_province_service():
    found, _ = claims("网站底部：京B2-20201234。提供付费资讯服务，用户覆盖全国")
    assert ("coverage", "京B2-20201234", None) in found
    same, _ = claims("网站底部：京B2-20201234。提供付费资讯服务", coverage=["北京"])
    assert same == []
    icp, _ = claims("京ICP证030173号 付费资讯", coverage="nationwide")
    assert [c[0] for c in icp] == ["coverage"]


def test_claims_are_not_red_lines():
    _, result = claims("我司持有B11 ISP牌照，为写字楼提供宽带接入")
    assert result.claims and not result.red_lines
    assert result.to_dict()["claims"][0]["kind"] == "claim_mismatch"
