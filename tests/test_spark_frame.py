"""classify_frame: a DataFrame's records classified in the executors answer as classify() does, every row
comes back with its own columns untouched, and wrong arguments are refused before any job runs."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from classifier import classify
from classifier.errors import InputError, InvalidDate, InvalidProfile, MissingColumn, UnknownKind
from classifier.spark import COLUMNS, classify_frame
from classifier.surfaces.audit.records import result_data
from conftest import sample_inputs

DAY = "2025-06-01"


def _expected(subject, kind=None) -> dict:
    return result_data(classify(subject, as_of=DAY, verify_questions=False, kind=kind))


def test_every_text_answers_as_classify_does(spark):
    rows, _ = sample_inputs(600)
    frame = spark.createDataFrame(rows, "id string, text string")
    out = {r["id"]: r for r in classify_frame(frame, "text", as_of=DAY).collect()}
    assert len(out) == len(rows)
    for record_id, text in rows:
        row = out[record_id]
        expected = _expected(text)
        assert json.loads(row["tlc_result"]) == expected, record_id
        assert row["tlc_codes"] == [b["code"] for b in expected["businesses"]]
        assert row["tlc_authority"] == {b["code"]: b["authority"] for b in expected["businesses"]}
        assert [(r["id"], r["severity"]) for r in row["tlc_red_lines"]] == [(r["id"], r["severity"])
                                                                            for r in expected["red_lines"]]
        assert row["tlc_status"] == expected["status"] and row["tlc_error"] is None


def test_profile_columns_and_kinds(spark):
    frame = spark.createDataFrame(
        [("IDC服务器托管", 0.9, "兰州", None, None), ("提供CDN加速服务", None, None, ["北京", "上海"], "news"),
         ("经营范围：技术开发；第二类增值电信业务中的因特网接入服务业务", None, None, None, None)],
        "d string, share double, city string, provinces array<string>, k string")
    out = classify_frame(frame, "d", profile_columns={"foreign_share": "share", "location": "city",
                                                      "coverage": "provinces"},
                         kind_column="k", kind="business_scope", as_of=DAY, fail_on="condition_unmet").collect()
    assert json.loads(out[0]["tlc_result"]) == _expected(
        {"description": "IDC服务器托管", "foreign_share": 0.9, "location": "兰州"}, "business_scope")
    assert out[0]["tlc_severity"] == "condition_unmet" and out[0]["tlc_fails"] is True
    assert json.loads(out[1]["tlc_result"]) == _expected({"description": "提供CDN加速服务", "coverage": ["北京", "上海"]},
                                                         "news")
    assert out[2]["tlc_kind"] == "business_scope"


def test_rows_in_rows_out_with_their_columns_untouched(spark):
    stamp = dt.datetime(2024, 5, 1, 12, 30)
    frame = spark.createDataFrame([(1, "提供CDN加速服务", stamp), (None, "", None), (3, None, stamp), (4, "\x00\x01", None)],
                                  "n long, text string, at timestamp")
    out = classify_frame(frame, "text", as_of=DAY).orderBy("at", "n").collect()
    assert len(out) == 4
    by_n = {row["n"]: row for row in out}
    assert by_n[1]["at"] == stamp and by_n[1]["tlc_codes"] == ["B12"]
    assert by_n[None]["tlc_error"].startswith("empty text") and by_n[None]["tlc_status"] is None
    assert by_n[3]["tlc_error"] == "'text' is null"
    assert by_n[4]["tlc_error"] and by_n[4]["tlc_codes"] is None
    assert [f.name for f in classify_frame(frame, "text", as_of=DAY).schema.fields][:3] == ["n", "text", "at"]


def test_result_columns_have_their_documented_types(spark):
    frame = classify_frame(spark.createDataFrame([("x",)], "text string"), "text", as_of=DAY, prefix="r_")
    types = dict(frame.dtypes)
    assert [name for name in types if name.startswith("r_")] == [f"r_{c.name}" for c in COLUMNS]
    assert types["r_codes"] == "array<string>" and types["r_authority"] == "map<string,string>"
    assert types["r_red_lines"] == "array<struct<id:string,severity:string>>" and types["r_fails"] == "boolean"


@pytest.mark.parametrize("call, error, code", [
    (lambda f: classify_frame(f, "nope"), MissingColumn, "missing_column"),
    (lambda f: classify_frame(f, "tlc_status"), MissingColumn, "column_clash"),
    (lambda f: classify_frame(f, "text", as_of="2001-01-01"), InvalidDate, "date_out_of_range"),
    (lambda f: classify_frame(f, "text", as_of="tomorrow"), InvalidDate, "invalid_date"),
    (lambda f: classify_frame(f, "text", kind="poem"), UnknownKind, "unknown_kind"),
    (lambda f: classify_frame(f, "text", fail_on="bad"), InputError, "invalid_arguments"),
    (lambda f: classify_frame(f), InputError, "invalid_arguments"),
    (lambda f: classify_frame(f, profile_columns={"colour": "text"}), InvalidProfile, "unknown_fact"),
    (lambda f: classify_frame(f, profile_columns=["location"]), InvalidProfile, "invalid_profile"),
])
def test_wrong_arguments_are_refused_before_any_job(spark, call, error, code):
    frame = spark.createDataFrame([("x", "上海", "y")], "text string, location string, tlc_status string")
    with pytest.raises(error) as caught:
        call(frame)
    assert caught.value.code == code
