"""Errors found in consultancy guides (../shared/reference/README.md errata) must never enter the knowledge base."""
from __future__ import annotations

import pytest

from classifier.knowledge.names import all_names


def _codes_for(names, name):
    return {m.code for m in names.lookup(name).matches}


def test_isp_is_b14_never_b11(kb, names):
    for name in ("ISP", "互联网接入服务业务", "因特网接入服务业务", "Internet access service"):
        assert _codes_for(names, name) == {"B14"}
    assert "接入" not in kb.entries["B11"].name_zh
    for target in all_names(kb):
        if target.code == "B11":
            assert "ISP" not in target.name.upper() and "接入服务" not in target.name, target


def test_international_data_communication_is_a14_4_never_a14_2(kb, names):
    assert kb.entries["A14-4"].name_zh == "国际数据通信业务"
    assert kb.entries["A14-2"].name_zh == "互联网国内数据传送业务"
    assert _codes_for(names, "国际数据通信业务") == {"A14-4"}
    for target in all_names(kb):
        if target.code == "A14-2":
            assert "国际" not in target.name and "international" not in target.name.lower(), target


def test_there_is_no_a26_1(kb):
    assert "A26-1" not in kb.entries
    assert not [n for n in kb.names if n.code == "A26-1"]
    assert not kb.entries["A26"].licence_items and not kb.entries["A26"].subkinds


@pytest.mark.parametrize("name", ["带宽转售", "bandwidth resale", "A26-1"])
def test_bandwidth_resale_is_not_named_a26_1(names, name):
    result = names.lookup(name)
    assert "A26-1" not in {m.code for m in (*result.matches, *result.candidates)}


def test_2003_numbering_does_not_leak(names):
    # 2003 codes were IDC=B14, ISP=B23, ICP=B24; 2015 is IDC=B11, ISP=B14, ICP=B25, CDN=B12.
    assert _codes_for(names, "IDC") == {"B11"}
    assert _codes_for(names, "CDN") == {"B12"}
    assert _codes_for(names, "ICP") == {"B25"}


def test_b13_is_domestic_only(kb):
    entry = kb.entries["B13"]
    assert "国内" in entry.name_zh
    escalations = [r for r in kb.relations if r.type == "escalates_to" and r.from_ == "B13"]
    assert any(r.to == "A14-4" and r.when == "cross_border" for r in escalations)


def test_no_fact_rests_on_a_guide_alone(kb):
    for entry in kb.entries.values():
        assert any(kb.sources[s].kind != "guide" for s in entry.sources), entry.code
