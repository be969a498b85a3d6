"""The catalogue graph: the tree the 2015 catalogue (as amended 2019) has, and the queries on it."""
from __future__ import annotations

import datetime as dt

from pathlib import Path

import networkx as nx
import pytest
import yaml

from classifier.errors import UnknownCodeError

# The tree as the reference reconstructs it (catalogue-facts.md §0), kept as data beside the cases.
TREE = yaml.safe_load((Path(__file__).parent / "cases" / "catalogue" / "tree.yaml").read_text(encoding="utf-8"))
EXPECTED_PARENTS = TREE["parents"]
OFFICIAL_NAMES = {
    "A11-4": "国际通信设施服务业务", "A12-4": "第五代数字蜂窝移动通信业务", "A14-1": "互联网国际数据传送业务",
    "A14-2": "互联网国内数据传送业务", "A14-4": "国际数据通信业务", "A24-1": "固定网国内数据传送业务",
    "A25-3": "用户驻地网业务", "A26": "国内通信设施服务业务", "A27": "网络托管业务",
    "B11": "互联网数据中心业务", "B12": "内容分发网络业务", "B13": "国内互联网虚拟专用网业务",
    "B14": "互联网接入服务业务", "B21": "在线数据处理与交易处理业务", "B22": "国内多方通信服务业务",
    "B23": "存储转发类业务", "B24": "呼叫中心业务", "B24-1": "国内呼叫中心业务", "B24-2": "离岸呼叫中心业务",
    "B25": "信息服务业务", "B26": "编码和规程转换业务", "B26-1": "互联网域名解析服务业务",
}


REGIMES = set(TREE["regimes"])


def test_every_code_is_covered_by_these_tests(catalogue):
    # A code added to knowledge/ without a line in tests/cases/catalogue/tree.yaml fails.
    assert set(catalogue.codes()) == set(EXPECTED_PARENTS) | {"A", "B"} | REGIMES


@pytest.mark.parametrize("code", sorted(REGIMES))
def test_regimes_have_no_parent(catalogue, code):
    assert catalogue.parent(code) is None and catalogue.entry(code).kind == "regime"


@pytest.mark.parametrize("code,parent", sorted(EXPECTED_PARENTS.items()))
def test_code_sits_under_its_parent(catalogue, code, parent):
    assert catalogue.parent(code) == parent


@pytest.mark.parametrize("code,name", sorted(OFFICIAL_NAMES.items()))
def test_official_names(catalogue, code, name):
    assert catalogue.entry(code).name_zh == name


def test_every_entry_is_complete(catalogue):
    for code in catalogue.codes():
        entry = catalogue.entry(code)
        assert entry.name_zh and entry.name_en and entry.definition_zh and entry.definition_en, code
        assert entry.sources, code
        assert entry.confidence in ("official", "secondary", "unverified"), code


def test_ten_value_added_categories(catalogue):
    # KWM: "There are ten categories of VATS in the 2015 Catalogue" (B11-B14, B21-B26).
    categories = [c for c in catalogue.children("B1") + catalogue.children("B2")]
    assert sorted(categories) == ["B11", "B12", "B13", "B14", "B21", "B22", "B23", "B24", "B25", "B26"]


def test_kinds_and_classes(catalogue):
    for code in catalogue.codes():
        entry = catalogue.entry(code)
        if code.startswith("X-"):
            assert entry.kind == "regime" and catalogue.class_of(code) is None
        elif code in ("A", "B"):
            assert catalogue.class_of(code) is None
        else:
            assert entry.kind == ("basic" if code[0] == "A" else "value_added")
            assert catalogue.class_of(code) == ("first" if code[1] == "1" else "second"), code


def test_dates(catalogue):
    assert catalogue.entry("A12-4").valid_from == dt.date(2019, 6, 6)
    assert not catalogue.in_force("A12-4", dt.date(2019, 6, 5))
    assert catalogue.in_force("A12-4", dt.date(2019, 6, 6))
    for code in catalogue.codes():
        if code != "A12-4" and not code.startswith("X-"):
            assert catalogue.entry(code).valid_from == dt.date(2016, 3, 1), code


def test_licence_items(catalogue):
    items = {code: {i.id for i in catalogue.entry(code).licence_items} for code in ("B11", "B14", "B21", "B25")}
    assert {"B11.no-ircs", "B11.ircs"} <= items["B11"]
    assert {"B14.users", "B14.platforms"} <= items["B14"]
    assert {"B21.transaction", "B21.edi", "B21.device"} <= items["B21"]
    assert {"B25.icp", "B25.sp"} <= items["B25"]
    subkinds = {i.id for i in catalogue.entry("B25").subkinds}
    assert subkinds == {"B25.publish", "B25.search", "B25.community", "B25.instant", "B25.protection"}
    assert catalogue.item("B11.ircs")[1].name_zh == "互联网数据中心业务（仅限互联网资源协作服务）"


def test_regimes_outside_the_catalogue(catalogue):
    assert catalogue.entry("X-MVNO").name_zh == "通过转售方式提供的蜂窝移动通信业务"
    assert catalogue.entry("X-MVNO").treated_as == "value_added"
    assert "备案" in catalogue.entry("X-ICP-FILING").name_zh


def test_hierarchy_is_a_forest_rooted_at_a_and_b(catalogue):
    tree = catalogue.hierarchy()
    assert nx.is_forest(tree)
    assert {c for c in catalogue.roots() if not c.startswith("X-")} == {"A", "B"}


def test_ancestors_and_walk(catalogue):
    assert catalogue.ancestors("A14-4") == ["A", "A1", "A14"]
    assert catalogue.ancestors("B26-1") == ["B", "B2", "B26"]
    walked = [e.code for _, e in catalogue.walk()]
    assert sorted(walked) == sorted(catalogue.codes())


def test_typed_relations(catalogue):
    escalations = {(r.to, r.when) for r in catalogue.escalations("B13")}
    assert ("A14-4", "cross_border") in escalations
    confused = {r.code for r in catalogue.related("B14", "confused_with")}
    assert {"B11", "B25"} <= confused
    # symmetric: B11 sees B14 too
    assert "B14" in {r.code for r in catalogue.related("B11", "confused_with")}
    assert "X-ICP-FILING" in {r.code for r in catalogue.related("B25", "confused_with")}
    assert {"A24-1", "A14-4"} <= {r.code for r in catalogue.related("B13", "confused_with")}
    assert catalogue.related("B11", "commonly_with")


def test_unknown_code_suggests_neighbours(catalogue):
    with pytest.raises(UnknownCodeError) as info:
        catalogue.entry("B15")
    assert "unknown catalogue code 'B15'" in str(info.value)
    assert info.value.candidates


def test_lower_case_code_is_accepted(catalogue):
    assert catalogue.entry("b13").code == "B13"
