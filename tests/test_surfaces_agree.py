"""The same input gives the same answers through Python, the CLI, HTTP and Spark.

Each surface answers a batch as an audit does (no question checks, no rule trace): ``classify`` from
Python, ``tlc audit`` (local), ``POST /v1/audit``, ``classify_frame`` and ``tlc audit --engine spark``.
"""
from __future__ import annotations

import json
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from classifier import classify  # noqa: E402
from classifier.surfaces.audit.records import result_data  # noqa: E402
from classifier.surfaces.http import create_app  # noqa: E402
from conftest import run_cli, sample_inputs  # noqa: E402

DAY = "2025-06-01"


def _records() -> list[dict]:
    rows, objects = sample_inputs(40)
    profiles = [o for o in objects if "description" in o][:15]
    kinded = [o for o in objects if "kind" in o][:5]
    return [{"id": record_id, "text": text} for record_id, text in rows] + profiles + kinded


def _python(record: dict) -> dict:
    subject = record["text"] if "text" in record else {k: v for k, v in record.items() if k != "id"}
    return result_data(classify(subject, as_of=DAY, verify_questions=False, kind=record.get("kind")))


def _http(records: list[dict]) -> dict[str, dict]:
    body = [{"id": r["id"], "kind": r.get("kind"), **({"text": r["text"]} if "text" in r else
            {"profile": {k: v for k, v in r.items() if k != "id"}})} for r in records]
    answer = TestClient(create_app()).post("/v1/audit", json={"records": body, "as_of": DAY}).json()
    found = {}
    for line in answer["results"]:
        line.pop("line")
        found[line.pop("id")] = line
    return found


def _lines(paths) -> dict[str, dict]:
    found = {}
    for path in paths:
        for text in path.read_text(encoding="utf-8").splitlines():
            data = json.loads(text)
            data.pop("source"), data.pop("line", None)
            found[data.pop("id")] = data
    return found


def test_python_cli_http_and_spark_answer_alike(spark, capsys, tmp_path):
    records = _records()
    source = tmp_path / "records.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records), encoding="utf-8")
    python = {r["id"]: _python(r) for r in records}

    run_cli(capsys, "audit", str(source), "--as-of", DAY, "-o", str(tmp_path / "local.jsonl"))
    run_cli(capsys, "audit", "--engine", "spark", str(source), "--as-of", DAY, "-o", str(tmp_path / "spark.jsonl"))
    from classifier.spark import classify_frame

    texts = [(r["id"], r["text"], r.get("kind")) for r in records if "text" in r]
    frame = classify_frame(spark.createDataFrame(texts, "id string, text string, kind string"), "text",
                           kind_column="kind", as_of=DAY)
    spark_frame = {row["id"]: json.loads(row["tlc_result"]) for row in frame.collect()}

    assert len(python) == len(records) == 60
    assert _lines([tmp_path / "local.jsonl"]) == python
    assert _http(records) == python
    assert _lines(sorted((tmp_path / "spark.jsonl").glob("part-*"))) == python
    assert spark_frame == {record_id: python[record_id] for record_id in spark_frame} and len(spark_frame) == 45
