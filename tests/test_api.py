"""The HTTP API: contract, status codes, limits, and property-based testing against its own OpenAPI."""
from __future__ import annotations

import warnings

import pytest

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from classifier.surfaces.bodies import MAX_AUDIT_RECORDS  # noqa: E402
from classifier.surfaces.http import create_app  # noqa: E402

APP = create_app()
client = TestClient(APP)


def test_classify_text_follows_the_contract():
    body = client.post("/v1/classify", json={"text": "我们为外贸企业提供中国与新加坡之间的跨境专线"}).json()
    assert body["schema"] == "tlc.result/1"
    assert {"input", "businesses", "red_lines", "questions", "trace", "claims"} <= set(body)
    assert "cross_border_connectivity" in {r["id"] for r in body["red_lines"]}
    assert body["trace"] == []
    assert client.post("/v1/classify", json={"text": "CDN加速", "trace": True}).json()["trace"]


def test_classify_profile_with_answers_and_requirements():
    body = client.post("/v1/classify", json={
        "profile": {"description": "为企业客户提供SD-WAN组网服务", "cross_border": False},
        "answers": {"coverage": ["北京", "上海"]}, "as_of": "2025-06-01", "requirements": True}).json()
    assert [(b["code"], b["authority"]) for b in body["businesses"]] == [("B13", "MIIT")]
    assert body["requirements"][0]["conditions"]


@pytest.mark.parametrize("payload,status,message", [
    ({"text": ""}, 422, "empty text"),
    ({}, 422, "exactly one of"),
    ({"text": "x", "profile": {"description": "y"}}, 422, "exactly one of"),
    ({"profile": {"description": "IDC", "foreign_share": 1.7}}, 422, "foreign_share"),
    ({"profile": {"description": "IDC", "colour": "red"}}, 422, "unknown fact"),
    ({"text": "CDN", "as_of": "2025-13-01"}, 422, "as_of"),
    ({"text": "CDN", "surprise": 1}, 422, "surprise"),
])
def test_invalid_input_is_422_with_a_readable_message(payload, status, message):
    response = client.post("/v1/classify", json=payload)
    assert response.status_code == status and message in response.json()["detail"]


def test_malformed_json_and_oversized_bodies():
    assert client.post("/v1/classify", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    big = client.post("/v1/classify", content=b"x" * 2_000_000, headers={"content-type": "application/json"})
    assert big.status_code == 413


def test_audit_endpoint_is_bounded():
    body = client.post("/v1/audit", json={"records": [
        {"id": "a", "text": "面向个人用户的翻墙加速器"}, {"id": "b", "text": ""},
        {"id": "c", "profile": {"description": "提供CDN加速服务"}}]}).json()
    assert body["schema"] == "tlc.audit/1" and body["summary"]["read"] == 3 and body["summary"]["skipped"] == 1
    assert body["summary"]["fails"] is True and [r["id"] for r in body["results"]] == ["a", "c"]
    too_many = {"records": [{"text": "CDN"}] * (MAX_AUDIT_RECORDS + 1)}
    assert client.post("/v1/audit", json=too_many).status_code == 422


def test_catalogue_and_lookup():
    index = client.get("/v1/catalogue").json()
    assert {e["code"] for e in index} >= {"A", "B", "B13", "A14-4", "X-MVNO"}
    assert client.get("/v1/catalogue/B13").json()["name_zh"] == "国内互联网虚拟专用网业务"
    assert client.get("/v1/catalogue/B99").status_code == 404
    assert client.get("/v1/lookup", params={"name": "因特网接入服务业务"}).json()["matches"][0]["code"] == "B14"
    assert client.get("/v1/lookup", params={"name": ""}).status_code == 422


def test_health_page_and_openapi():
    assert client.get("/healthz").json()["status"] == "ok"
    page = client.get("/")
    assert page.status_code == 200 and "/v1/classify" in page.text
    spec = client.get("/openapi.json").json()
    assert {"/v1/classify", "/v1/audit", "/v1/catalogue", "/v1/catalogue/{code}", "/v1/lookup", "/healthz"} <= set(spec["paths"])


import schemathesis  # noqa: E402  (a declared test dependency: this must not skip)
from hypothesis import HealthCheck, settings  # noqa: E402

SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)


@SCHEMA.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_schemathesis_finds_no_server_error_and_responses_match_the_schema(case):
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
    from schemathesis.checks import not_a_server_error

    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance, status_code_conformance])


def test_a_request_may_state_the_kind_of_text_and_gets_status_and_mentions():
    body = client.post("/v1/classify", json={"text": "我们提供CDN加速", "kind": "job_post"}).json()
    assert body["input_kind"]["id"] == "job_post" and body["input_kind"]["how"] == "stated"
    assert body["status"] == "unrecognised" and body["mentions"][0]["role"] == "recruits"
    bad = client.post("/v1/classify", json={"text": "我们提供CDN加速", "kind": "poem"})
    assert bad.status_code == 422 and "unknown document kind" in bad.json()["detail"]
    audit = client.post("/v1/audit", json={"records": [{"text": "全国CDN加速服务", "kind": "news"}]}).json()
    assert audit["results"][0]["status"] == "unrecognised"


def test_classify_answers_with_a_verdict_a_chatbot_can_show():
    data = client.post("/v1/classify", json={"text": "面向个人用户的翻墙加速器", "verify_questions": False}).json()
    verdict = data["verdict"]
    assert verdict["tone"] == "stop" and verdict["headline_en"] == "Crosses a prohibited red line"
    assert len(verdict["sentences_zh"]) == len(verdict["sentences_en"]) == 2
    assert "no licence makes this lawful" in verdict["sentences_en"][1]
    assert verdict["red_lines"][0]["title_zh"] == "面向个人的“翻墙”或国际加速"


def test_web_page_carries_the_sources_it_may_cite():
    import json
    import re

    page = client.get("/").text
    blob = re.search(r'<script type="application/json" id="tlc-sources">(.*?)</script>', page, re.S).group(1)
    sources = json.loads(blob)
    assert sources["P1"]["url"] == "https://www.gov.cn/gongbao/content/2016/content_5139478.htm"
    assert sources["P1"]["issuer"] and "ref" not in sources["P1"] and "note" not in sources["P1"]
    assert "LawRefBook" not in page and "/*TLC_SOURCES*/" not in page
