"""Caps by code, zone and date: the most specific cap in force wins."""
from __future__ import annotations

import datetime as dt

import pytest

from classifier.findings.foreign_investment import decide_cap, zones_of

D = dt.date


@pytest.fixture(scope="module")
def table(kb):
    return kb.foreign


def cap(table, catalogue, code, items=(), location=None, day=D(2025, 6, 1), activities=()):
    return decide_cap(table, catalogue, code, tuple(items), zones_of(table, location), day,
                      frozenset(activities)).max_share


def test_zones_from_locations(table):
    assert {"shanghai-lingang", "shanghai"} <= zones_of(table, "上海临港新片区")
    assert "pilot-2025" in zones_of(table, "杭州市西湖区")
    assert zones_of(table, "兰州") == frozenset()


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
    assert cap(table, catalogue, "B21", ["B21.transaction"], "兰州") == 1.0
    assert cap(table, catalogue, "B21", ["B21.device"], "兰州") == 0.5
    for code in ("B22", "B23", "B24-1"):
        assert cap(table, catalogue, code, [], "兰州") == 1.0


def test_isp_for_users_in_2025_cities_but_not_platform_access(table, catalogue):
    assert cap(table, catalogue, "B14", ["B14.users"], "杭州") == 1.0
    assert cap(table, catalogue, "B14", ["B14.platforms"], "杭州") == 0.0


def test_app_store_opening_needs_the_app_store_activity(table, catalogue):
    assert cap(table, catalogue, "B25", ["B25.icp", "B25.publish"], "成都", activities=["app_store"]) == 1.0
    assert cap(table, catalogue, "B25", ["B25.icp", "B25.publish"], "成都", activities=["publishing_platform"]) == 0.5


def test_basic_services_are_capped_at_49_percent(table, catalogue):
    assert cap(table, catalogue, "A14-4", [], "北京") == 0.49
