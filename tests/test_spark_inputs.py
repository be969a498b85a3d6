"""What the Spark engine reads: formats by name, sources named as the local audit names them, and rows
turned into the local audit's records (a JSONL line through the local reader's own code)."""
from __future__ import annotations

import json

import pytest

from classifier.errors import FileProblem
from classifier.surfaces.audit.records import Record, Skipped
from classifier.surfaces.spark.inputs import AuditRecords, input_format, is_uri, read_inputs, source_name

BUILD = AuditRecords("text", "id", kind="business_scope")


def _row(**values):
    return {"path": "file:/data/%E7%99%BB%E8%AE%B0.jsonl", "format": "jsonl", "raw_id": None, "text": None,
            "line": None, "corrupt": None, "blank": False, "order": 4, **values}


@pytest.mark.parametrize("path, explicit, expected", [
    ("a.csv", None, "csv"), ("a.TSV", None, "tsv"), ("a.ndjson", None, "jsonl"), ("s3a://b/registry.parquet/", None,
                                                                                      "parquet"),
    ("data/part-0", "parquet", "parquet"),
])
def test_formats_by_name_or_as_given(path, explicit, expected):
    assert input_format(path, explicit) == expected


@pytest.mark.parametrize("path, explicit", [("a.txt", None), ("a.yaml", None), ("a.csv", "yaml")])
def test_other_formats_are_refused(path, explicit):
    with pytest.raises(FileProblem) as caught:
        input_format(path, explicit)
    assert caught.value.code == "unknown_format"


def test_sources_and_uris():
    assert source_name("file:/data/%E7%99%BB%E8%AE%B0.jsonl") == "/data/登记.jsonl"
    assert source_name("file:///data/a+b.csv") == "/data/a+b.csv"
    assert source_name("hdfs://nn/x.csv") == "hdfs://nn/x.csv"
    assert is_uri("s3a://bucket/x") and not is_uri("data/x.csv") and not is_uri("C:/x")


def test_a_jsonl_line_is_the_local_readers_record():
    record = BUILD(_row(line=json.dumps({"id": "7", "description": "IDC托管", "coverage": ["上海"], "kind": "news"})))
    assert record == Record("/data/登记.jsonl", None, "7", {"description": "IDC托管", "coverage": ["上海"]}, "news")
    assert BUILD(_row(line='{"text": "提供CDN加速服务"}')).id == "登记.jsonl#5"
    assert BUILD(_row(line="   ")) is None
    skipped = BUILD(_row(line="{bad"))
    assert isinstance(skipped, Skipped) and skipped.reason.startswith("malformed JSON") and skipped.id == "登记.jsonl#5"


def test_a_table_row_is_stripped_and_an_empty_one_skipped():
    table = {"format": "csv", "path": "file:/d/r.csv"}
    assert BUILD(_row(**table, raw_id=" 9 ", text="  IDC托管 \n")) == Record("/d/r.csv", None, "9", "IDC托管", "business_scope")
    assert BUILD(_row(**table, text="x")).id == "r.csv#5"
    assert BUILD(_row(**table, blank=True)) is None
    assert BUILD(_row(**table, raw_id="3", text=" ")).reason == "empty 'text'"
    assert "malformed CSV" in BUILD(_row(**table, raw_id="3", corrupt="a,b,c")).reason


def test_csv_is_read_by_the_local_readers_rules(spark, tmp_path):
    path = tmp_path / "r.tsv"
    path.write_text('\ufeff id \ttext\tn\n1\t"多行\n文本 ""引号"""\t2\n\t\t\n3\t\t\n', encoding="utf-8")
    rows = [BUILD(row.asDict()) for row in read_inputs(spark, [str(path)], None, "text", "id").collect()]
    assert rows[0] == Record(str(path), None, "1", '多行\n文本 "引号"', "business_scope")
    assert rows[1] is None and rows[2].reason == "empty 'text'" and len(rows) == 3
