"""Names as people write them resolve to their codes; unknown names get candidates, never silence."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from classifier.errors import InputError
from classifier.knowledge.loader import load_knowledge
from classifier.knowledge.names import all_names
from classifier.normalise import normalise_name

ALL_NAMES = all_names(load_knowledge())


@pytest.mark.parametrize("target", ALL_NAMES, ids=lambda t: f"{t.name}->{t.code}")
def test_every_name_resolves_to_its_target(names, target):
    result = names.lookup(target.name)
    assert result.found
    assert (target.code, target.item) in {(m.code, m.item) for m in result.matches}
    assert len({m.code for m in result.matches}) == 1, "a name must not map to two codes"


# Names the issue singles out, written as users write them.
@pytest.mark.parametrize(
    "name,code",
    [
        ("因特网接入服务业务", "B14"),
        ("因特网数据中心业务", "B11"),
        ("信息服务业务（不含固定网电话信息服务和互联网信息服务）", "B25"),
        ("第二类增值电信业务中的因特网接入服务业务", "B14"),
        ("第一类增值电信业务中的因特网数据中心业务", "B11"),
        ("IDC", "B11"), ("idc", "B11"), ("ＩＤＣ", "B11"),
        ("CDN", "B12"), ("ISP", "B14"), ("ICP", "B25"), ("EDI", "B21"), ("SP", "B25"), ("IP-VPN", "B13"),
        ("ICP备案", "X-ICP-FILING"),
        ("Internet data center", "B11"),
        ("Content Delivery Network", "B12"),
        ("互联网接入服务业务", "B14"),
        ("網際網路資料中心業務", "B11"),  # traditional (Taiwan) wording
        ("国际数据通信业务", "A14-4"),
        ("国内通信设施服务业务", "A26"),
        ("通过转售方式提供的蜂窝移动通信业务", "X-MVNO"),
    ],
)
def test_names_people_write(names, name, code):
    result = names.lookup(name)
    assert result.found, name
    assert {m.code for m in result.matches} == {code}


def test_suffixes_are_stripped_and_coverage_read(names):
    result = names.lookup("IDC全网证")
    assert [m.code for m in result.matches] == ["B11"]
    assert result.coverage == "multi_province"
    assert names.lookup("ISP许可证").matches[0].code == "B14"
    assert names.lookup("ICP经营许可证").matches[0].code == "B25"


def test_whole_network_licence_alone_means_cross_regional_value_added(names):
    result = names.lookup("全网证")
    assert [m.code for m in result.matches] == ["B"]


def test_items_resolve_with_their_item(names):
    match = names.lookup("互联网数据中心业务（仅限互联网资源协作服务）").matches[0]
    assert (match.code, match.item) == ("B11", "B11.ircs")
    assert names.lookup("SP").matches[0].item == "B25.sp"


def test_unknown_name_gets_candidates(names):
    result = names.lookup("互联网数据中心服务")
    assert not result.found
    assert result.candidates and result.candidates[0].code == "B11"


def test_nonsense_gets_an_answer_not_an_exception(names):
    assert not names.lookup("zzzz qqqq").found


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_empty_name_is_an_input_error(names, blank):
    with pytest.raises(InputError):
        names.lookup(blank)


@given(st.text(min_size=1, max_size=60))
@settings(max_examples=200, deadline=None)
def test_lookup_never_crashes(text):
    from classifier.knowledge.loader import load_name_index

    index = load_name_index()
    if not text.strip():
        return
    result = index.lookup(text)
    assert result.found or isinstance(result.candidates, tuple)


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text):
    once = normalise_name(text)
    assert normalise_name(once) == once
