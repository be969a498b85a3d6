"""The typed result columns: their values for a result or a refusal, and Spark and Arrow types that agree."""
from __future__ import annotations

import json
import os

import pytest

from classifier import classify
from classifier.surfaces.audit.records import result_data
from classifier.surfaces.spark import columns

if os.environ.get("TLC_REQUIRE_SPARK"):
    import pyarrow as pa
else:
    pa = pytest.importorskip("pyarrow")

DAY = "2025-06-01"


def _result(text: str):
    return classify(text, as_of=DAY, verify_questions=False)


def test_values_say_what_the_result_says():
    result = _result("我司持有B11 ISP牌照，为写字楼提供宽带接入，另有面向个人用户的翻墙加速器")
    values = columns.result_values(result, "basic_licence_required")
    assert values["codes"] == list(result.codes)
    assert values["authority"] == [(b.code, b.authority) for b in result.businesses]
    assert values["red_lines"] == [{"id": r.id, "severity": r.severity} for r in result.red_lines]
    assert values["severity"] == "prohibited" and values["fails"] is True
    assert values["claims"] == [{"check": "code_name", "claimed": "B11", "actual": "B14"}]
    assert json.loads(values["result"]) == result_data(result) and values["error"] is None


def test_fails_follows_the_threshold():
    result = classify({"description": "IDC服务器托管", "foreign_share": 0.9, "location": "兰州"}, as_of=DAY,
                      verify_questions=False)
    assert columns.result_values(result, "basic_licence_required")["fails"] is False
    assert columns.result_values(result, "condition_unmet")["fails"] is True


def test_a_refusal_sets_only_the_reason():
    values = columns.refused_values("empty text")
    assert values["error"] == "empty text" and all(values[n] is None for n in columns.NAMES if n != "error")


def test_every_column_has_a_value_and_an_arrow_type():
    values = columns.result_values(_result("提供CDN加速服务"), "review")
    assert set(values) == set(columns.NAMES) == set(columns.arrow_types())
    arrays = columns.arrow_arrays([values, columns.refused_values("x")])
    assert [len(a) for a in arrays] == [2] * len(columns.COLUMNS)
    assert arrays[columns.NAMES.index("authority")].type == pa.map_(pa.string(), pa.string())


def test_ddl_names_every_column_with_its_prefix():
    ddl = columns.ddl("x_")
    assert all(f"`x_{c.name}` {c.ddl}" in ddl for c in columns.COLUMNS)
