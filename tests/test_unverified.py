"""An unverified catalogue code never stands alone in an answer: businesses, red lines, mentions and claims
say which codes are unverified (issue 12)."""
from __future__ import annotations

from classifier import classify
from classifier.findings.result import render_text, unverified_note


def test_the_note_names_each_unverified_code():
    assert unverified_note(()) == ("", "")
    assert unverified_note(("A26",)) == ("（注：业务编号A26未经核实。）", " (Note: code A26 is unverified.)")
    assert unverified_note(("A26", "A27"))[1] == " (Note: codes A26, A27 are unverified.)"


def test_a_red_line_that_names_an_unverified_code_says_so_in_text_and_json():
    result = classify("我们把从运营商租来的带宽转售给其他公司使用，层层转租。", as_of="2024-06-01")
    (resale,) = [r for r in result.red_lines if r.id == "bandwidth_resale"]
    assert resale.unverified == ("A26",)
    assert resale.message_zh.endswith("（注：业务编号A26未经核实。）")
    assert resale.to_dict()["unverified_codes"] == ["A26"]
    assert "A26 (unverified), A11-4" in render_text(result)


def test_a_red_line_with_verified_codes_only_adds_nothing():
    result = classify("为外贸企业提供中国与新加坡之间的跨境SD-WAN组网，企业客户使用。", as_of="2024-06-01")
    for red_line in result.red_lines:
        assert red_line.unverified == () and "未经核实" not in red_line.message_zh


def test_a_mention_of_an_unverified_code_is_marked():
    result = classify("工信部通报多家企业未经许可经营国内通信设施服务业务。", kind="news", as_of="2024-06-01")
    (mention,) = [m for m in result.mentions if m.code == "A26"]
    assert mention.confidence == "unverified" and mention.to_dict()["confidence"] == "unverified"
    assert "→ A26 (unverified)" in render_text(result)


def test_a_licence_claim_that_names_an_unverified_code_says_so():
    result = classify("我司持有B14网络托管业务经营许可证，为企业代管网络。", as_of="2024-06-01")
    (claim,) = result.claims
    assert claim.actual == "A27" and claim.message_en.endswith("(Note: code A27 is unverified.)")
