"""Signal extraction: longest match, word boundaries, scopes, provinces, spans into the original."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from classifier.text.lexicon import LICENCE_NAME, PROVINCE, _bounded, _inside_longer, load_lexicon


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def signals(lexicon, text):
    return {(m.signal, m.scope) for m in lexicon.extract(text)}


def test_spans_point_at_the_users_words(lexicon):
    text = "本公司提供ＳＤ－ＷＡＮ組網服務"
    for mention in lexicon.extract(text):
        assert text[mention.start:mention.end] == mention.text


def test_longest_match_wins(lexicon):
    found = [m for m in lexicon.extract("提供互联网数据中心业务") if m.start == 2]
    assert {m.signal for m in found} == {LICENCE_NAME} and found[0].code == "B11"


def test_latin_terms_need_word_boundaries(lexicon):
    assert ("svc.vpn", "asserted") not in signals(lexicon, "we sell vpnx gadgets")
    assert ("svc.vpn", "asserted") in signals(lexicon, "we sell a VPN service")
    # "no" is a negation cue, but not inside "node"
    assert ("svc.cdn", "asserted") in signals(lexicon, "CDN edge node service")


@pytest.mark.parametrize("text", ["不提供跨境专线", "we do not offer cross-border links", "跨境业务除外"])
def test_negation_forward_and_backward(lexicon, text):
    found = signals(lexicon, text)
    assert ("geo.cross_border", "negated") in found
    assert ("geo.cross_border", "asserted") not in found


def test_negation_stays_in_its_clause(lexicon):
    found = signals(lexicon, "不提供跨境专线，提供国内SD-WAN组网")
    assert ("svc.vpn", "asserted") in found


def test_parentheses_bound_the_clause(lexicon):
    found = signals(lexicon, "提供IDC托管和CDN加速服务（跨境业务除外）")
    assert ("svc.cdn", "asserted") in found and ("geo.cross_border", "negated") in found


def test_a_cue_containing_the_term_applies_to_it(lexicon):
    assert ("act.resell", "negated") in signals(lexicon, "不转租给其他单位")


def test_a_cue_overlapping_the_start_of_a_term_still_precedes_it(lexicon):
    # 使用阿里云 (uses) and 云服务器 (cloud) share the character 云
    assert ("svc.cloud", "uses") in signals(lexicon, "系统使用阿里云服务器")
    assert ("svc.cloud", "asserted") in signals(lexicon, "我们提供云服务器")


def test_partner_run_leg(lexicon):
    assert ("geo.cross_border", "partner") in signals(lexicon, "跨境段由中国联通提供并登记")


def test_vendor_context_is_per_list_item(lexicon):
    named = [m for m in lexicon.extract("经营范围：技术服务、互联网数据中心业务") if m.signal == LICENCE_NAME]
    assert named and named[0].scope == "asserted"
    assert ("svc.vpn", "vendor") in signals(lexicon, "SD-WAN软件授权销售")


def test_provinces_are_their_own_layer(lexicon):
    mentions = lexicon.extract("仅为浙江省内企业提供服务")
    assert {m.code for m in mentions if m.signal == PROVINCE} == {"浙江"}
    assert any(m.signal == "geo.single_region" for m in mentions)


def test_hong_kong_is_abroad_not_a_province(lexicon):
    mentions = lexicon.extract("连接香港节点")
    assert not [m for m in mentions if m.signal == PROVINCE]
    assert any(m.signal == "geo.abroad" for m in mentions)


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), max_size=8), st.integers(0, 40), st.integers(1, 8))
def test_a_term_defers_only_to_a_strictly_longer_name_around_it(raw_names, start, length):
    # _inside_longer bisects; it must agree with checking every name (names never overlap).
    names, taken = [], set()
    for s, n in sorted(raw_names):
        if not taken.intersection(range(s, s + n)):
            taken.update(range(s, s + n))
            names.append((s, s + n, "k", ()))
    term = (start, start + length, "t", ())
    brute = any(a <= start and start + length <= b and (b - a) > length for a, b, _, _ in names)
    assert _inside_longer(term, names) == brute


@given(st.lists(st.integers(0, 5000), unique=True).map(sorted), st.integers(1, 50))
def test_clause_breaks_are_kept_and_no_clause_runs_past_the_bound(breaks, most):
    length = 5001
    bounded = _bounded(breaks, length, most)
    assert set(breaks) <= set(bounded) and bounded == sorted(set(bounded))
    edges = [0, *bounded, length]
    assert all(b - a <= most for a, b in zip(edges, edges[1:]))


def test_a_cue_still_reaches_the_terms_of_its_clause_in_an_unbroken_text(lexicon):
    """Bounding clause length changes nothing for a clause of written length, and in a long unbroken run
    each cue still reaches the term beside it."""
    short = "我们不提供CDN加速服务"
    assert ("svc.cdn", "negated") in signals(lexicon, short)
    assert signals(lexicon, short + "的" * 3000 + short) == signals(lexicon, short)
