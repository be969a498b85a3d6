"""The MCP tools, through the SDK's own client: in process, over stdio (`tlc mcp`) and over HTTP (`tlc serve`)."""
from __future__ import annotations

import json
import sys

import anyio
import jsonschema
import pytest
from mcp import Client, StdioServerParameters

from classifier import classify
from classifier.findings.views import view
from classifier.surfaces.mcp_server import create_server

TOOLS = {"classify", "follow_up", "requirements", "catalogue_lookup", "catalogue_show"}
SDWAN = "为企业客户提供SD-WAN组网服务"


@pytest.fixture(scope="module")
def server():
    return create_server()


def call(server, tool: str, arguments: dict):
    """Call one tool in process; return the SDK's CallToolResult."""

    async def run():
        async with Client(server) as client:
            return await client.call_tool(tool, arguments)

    return anyio.run(run)


def refusal(result) -> dict:
    assert result.is_error
    return json.loads(result.content[0].text)


def test_every_tool_is_discoverable_with_described_typed_inputs_and_an_output_schema(server):
    async def run():
        async with Client(server) as client:
            return (await client.list_tools()).tools

    tools = {tool.name: tool for tool in anyio.run(run)}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.description and tool.output_schema and tool.output_schema["type"] == "object"
        assert tool.input_schema["additionalProperties"] is False
        for name, prop in tool.input_schema["properties"].items():
            assert prop.get("description"), f"{tool.name}.{name} has no description"
    profile = next(p for p in tools["classify"].input_schema["properties"]["profile"]["anyOf"] if p.get("properties"))
    assert "multi_province" in profile["properties"]["coverage"]["description"]
    assert profile["properties"]["foreign_share"]["anyOf"][0]["maximum"] == 1
    assert profile["additionalProperties"] is False


def test_classify_answers_brief_and_matches_the_library(server):
    result = call(server, "classify", {"text": SDWAN, "as_of": "2025-06-01"})
    assert not result.is_error
    data = result.structured_content
    direct = view(classify(SDWAN, as_of="2025-06-01"), "brief")
    assert {k: v for k, v in data.items() if k != "result"} == direct and data["result"] is None
    full = call(server, "classify", {"text": SDWAN, "as_of": "2025-06-01", "detail": "full", "lang": "en"})
    assert full.structured_content["result"]["schema"] == "tlc.result/1"
    assert "name_zh" not in json.dumps(full.structured_content)


def test_a_typed_profile_with_an_unknown_fact_is_refused_naming_the_known_ones(server):
    body = refusal(call(server, "classify", {"profile": {"description": SDWAN, "colour": "blue"}}))
    assert body["code"] == "unknown_fact" and "coverage" in body["detail"] and "foreign_share" in body["detail"]
    unknown_argument = call(server, "classify", {"txt": SDWAN})
    assert unknown_argument.is_error and "txt" in unknown_argument.content[0].text
    assert "known: text, profile" in unknown_argument.content[0].text


@pytest.mark.parametrize("replies, expect", [
    ({"coverage": "multi_province"}, {"coverage": "multi_province"}),   # an option the question offers
    ({"coverage": "2"}, {"coverage": "multi_province"}),                # its number in the list
    ({"coverage_scope": "全国"}, {"coverage": "nationwide"}),
    ({"coverage": "北京、上海"}, {"coverage": ["北京", "上海"]}),
    ({"foreign_share": "30%"}, {"foreign_share": 0.3}),
    ({"foreign_share": "三成"}, {"foreign_share": 0.3}),
    ({"cross_border": "否"}, {"cross_border": False}),
    ({"cross_border": "yes"}, {"cross_border": True}),
])
def test_follow_up_reads_replies_as_people_give_them(server, replies, expect):
    data = call(server, "follow_up", {"text": SDWAN, "replies": replies, "as_of": "2025-06-01"}).structured_content
    assert data["answers"] == expect
    assert [r["field"] for r in data["read"]] == list(expect)
    asked = {q["field"] for q in data["questions"]}
    assert not asked & set(expect)


def test_follow_up_refuses_a_reply_it_cannot_read_naming_the_accepted_forms(server):
    body = refusal(call(server, "follow_up", {"text": SDWAN, "replies": {"foreign_share": "lots"}}))
    assert body["code"] == "invalid_answer" and "30%" in body["detail"]
    body = refusal(call(server, "follow_up", {"text": SDWAN, "replies": {"colour": "blue"}}))
    assert body["code"] == "unknown_fact"


def test_requirements_lookup_and_show(server):
    data = call(server, "requirements", {"code": "B13", "coverage": ["北京", "上海"], "foreign_share": 0.3,
                                         "location": "杭州", "as_of": "2025-06-01"}).structured_content
    assert data["code"] == "B13" and data["authority"] == "MIIT" and data["coverage_scope"] == "multi_province"
    assert {c["status"] for c in data["conditions"]} <= {"met", "not_met", "unknown"} and data["steps"]
    assert call(server, "catalogue_lookup", {"name": "因特网接入服务业务"}).structured_content["matches"][0]["code"] == "B14"
    assert call(server, "catalogue_show", {"code": "A14-4"}).structured_content["name_zh"] == "国际数据通信业务"
    assert refusal(call(server, "catalogue_show", {"code": "Z99"}))["code"] == "unknown_code"
    assert refusal(call(server, "requirements", {"code": "B13", "coverage": ["Atlantis"]}))["code"] == "unknown_province"


def test_structured_answers_are_valid_under_their_output_schemas(server):
    async def run():
        async with Client(server) as client:
            schemas = {t.name: t.output_schema for t in (await client.list_tools()).tools}
            calls = [("classify", {"text": "面向个人用户的翻墙加速器", "detail": "full", "requirements": True}),
                     ("follow_up", {"text": SDWAN, "replies": {"coverage": "全国"}, "lang": "zh"}),
                     ("requirements", {"code": "B11"}), ("catalogue_lookup", {"name": "ISP"}),
                     ("catalogue_show", {"code": "B25"})]
            return [(schemas[name], await client.call_tool(name, args)) for name, args in calls]

    for schema, result in anyio.run(run):
        assert not result.is_error
        jsonschema.validate(result.structured_content, schema)


def test_tlc_mcp_serves_the_tools_over_stdio():
    params = StdioServerParameters(command=sys.executable, args=["-m", "classifier", "mcp"])

    async def run():
        async with Client(params, read_timeout_seconds=120) as client:
            names = {t.name for t in (await client.list_tools()).tools}
            answer = await client.call_tool("classify", {"text": "面向个人用户的翻墙加速器", "lang": "en"})
            return names, answer

    names, answer = anyio.run(run)
    assert names == TOOLS and not answer.is_error
    assert "consumer_circumvention" in {r["id"] for r in answer.structured_content["red_lines"]}
