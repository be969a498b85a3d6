"""Caps by code, zone and date: the most specific cap in force wins."""
from __future__ import annotations

import datetime as dt

import pytest

from classifier.findings.foreign_investment import decide_cap, zones_of
from classifier.knowledge.schema import ForeignInvestmentFile, Zone

D = dt.date


@pytest.fixture(scope="module")
def table(kb):
    return kb.foreign


def cap(table, catalogue, code, items=(), location=None, day=D(2025, 6, 1), activities=()):
    return decide_cap(table, catalogue, code, tuple(items), zones_of(table, location, day), day,
                      frozenset(activities)).max_share


def test_zones_from_locations(table):
    assert {"shanghai-lingang", "shanghai"} <= zones_of(table, "上海临港新片区")
    assert "pilot-2025" in zones_of(table, "杭州市西湖区")
    assert zones_of(table, "兰州") == frozenset()


def test_a_zone_counts_from_the_day_it_was_set_up_and_a_sub_zone_dates_its_wider_zone():
    def zone(id, aliases, within=(), valid_from=None):
        return Zone(id=id, name_zh=id, name_en=id, aliases=aliases, within=within, valid_from=valid_from,
                    sources=("P1",))

    table = ForeignInvestmentFile(zones=(
        zone("ftz", ("自贸区",), valid_from=D(2013, 9, 29)),
        zone("ftz-x", ("x省自贸区",), ("ftz",), D(2015, 4, 20)),
        zone("ftz-x-new", ("新片区",), ("ftz-x",), D(2019, 8, 20)),
    ), caps=())
    assert zones_of(table, "x省自贸区", D(2015, 4, 19)) == frozenset()
    assert zones_of(table, "x省自贸区", D(2015, 4, 20)) == {"ftz", "ftz-x"}
    # the location names the wider zones too, but lies in them only once its own area was set up
    assert zones_of(table, "x省自贸区新片区", D(2019, 1, 1)) == frozenset()
    assert zones_of(table, "x省自贸区新片区", D(2019, 8, 20)) == {"ftz", "ftz-x", "ftz-x-new"}
    assert zones_of(table, "某地自贸区", D(2014, 1, 1)) == {"ftz"}
    assert zones_of(table, "x省自贸区新片区") == {"ftz", "ftz-x", "ftz-x-new"}   # no date: dates ignored


def test_general_value_added_cap_is_half(table, catalogue):
    assert cap(table, catalogue, "B11", ["B11.no-ircs"], "成都", D(2023, 1, 1)) == 0.5


def test_2024_pilot_zones_lift_the_idc_cap_from_launch_day(table, catalogue):
    assert cap(table, catalogue, "B11", ["B11.ircs"], "上海临港新片区", D(2024, 10, 22)) == 0.5
    assert cap(table, catalogue, "B11", ["B11.ircs"], "上海临港新片区", D(2024, 10, 23)) == 1.0


def test_b13_is_closed_except_in_2025_pilot_cities(table, catalogue):
    assert cap(table, catalogue, "B13", [], "兰州") == 0.0
    assert cap(table, catalogue, "B13", [], "杭州", D(2025, 4, 10)) == 0.0
    assert cap(table, catalogue, "B13", [], "杭州", D(2025, 4, 11)) == 0.5


def test_ecommerce_and_b22_b23_b24_are_open_nationwide(table, catalogue):
    assert cap(table, catalogue, "B21", ["B21.ecommerce", "B21.transaction"], "兰州", D(2015, 6, 19)) == 1.0
    assert cap(table, catalogue, "B21", ["B21.transaction"], "兰州") == 0.5   # 交易处理 that is not e-commerce
    assert cap(table, catalogue, "B21", ["B21.device"], "兰州") == 0.5
    for code in ("B22", "B23", "B24-1"):
        assert cap(table, catalogue, code, [], "兰州") == 1.0


def test_isp_for_users_in_2025_cities_but_not_platform_access(table, catalogue):
    assert cap(table, catalogue, "B14", ["B14.users"], "杭州") == 1.0
    assert cap(table, catalogue, "B14", ["B14.platforms"], "杭州") == 0.5


def test_isp_is_capped_at_half_not_closed_outside_the_zones(table, catalogue):
    # MIIT's 2024 pilot plan describes the rule it lifts for ISP as the 50% cap (S-6611)
    assert cap(table, catalogue, "B14", ["B14.users"], "兰州", D(2023, 1, 1)) == 0.5


def test_free_trade_zones_from_the_2018_list_and_from_the_day_each_zone_was_set_up(table, catalogue):
    xian = "中国（陕西）自由贸易试验区西安国际港务区片区"
    assert cap(table, catalogue, "B14", ["B14.users"], xian, D(2018, 7, 29)) == 0.5
    assert cap(table, catalogue, "B14", ["B14.users"], xian, D(2018, 7, 30)) == 1.0
    assert cap(table, catalogue, "B14", ["B14.platforms"], xian, D(2019, 1, 1)) == 0.5
    assert cap(table, catalogue, "B13", [], xian, D(2019, 1, 1)) == 0.5
    assert cap(table, catalogue, "B22", [], xian, D(2019, 1, 1)) == 1.0
    assert cap(table, catalogue, "B22", [], "兰州", D(2019, 1, 1)) == 0.5
    assert cap(table, catalogue, "B14", ["B14.users"], "海口", D(2018, 10, 15)) == 0.5
    assert cap(table, catalogue, "B14", ["B14.users"], "海口", D(2018, 10, 16)) == 1.0
    assert cap(table, catalogue, "B13", [], "上海自贸区临港新片区", D(2019, 8, 19)) == 0.0
    assert cap(table, catalogue, "B13", [], "上海自贸区临港新片区", D(2019, 8, 20)) == 0.5
    assert cap(table, catalogue, "B13", [], "上海自贸区外高桥", D(2019, 8, 19)) == 0.5


def test_app_store_opening_needs_the_app_store_activity(table, catalogue):
    assert cap(table, catalogue, "B25", ["B25.icp", "B25.publish"], "成都", activities=["app_store"]) == 1.0
    assert cap(table, catalogue, "B25", ["B25.icp", "B25.publish"], "成都", activities=["publishing_platform"]) == 0.5


def test_basic_services_are_capped_at_49_percent(table, catalogue):
    assert cap(table, catalogue, "A14-4", [], "北京") == 0.49
