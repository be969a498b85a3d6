"""The error contract, one table: every bad input is refused the same way on every surface.

Each row is one bad input. It is put to the Python API (an ``InputError`` subclass with a stable
``code``), to the CLI (exit 2, one line on stderr that starts ``tlc: error:``, no traceback) and over
HTTP (a 4xx with ``{"detail", "code"}``) and to the MCP classify tool (an error result whose text is
``{"detail", "code"}``), wherever that surface can carry it. The table is what
docs/reliability.md lists; a new kind of bad input is a new row.
"""
from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pytest

from classifier import classify
from classifier.errors import (FileProblem, InputError, InvalidAnswer, InvalidDate, InvalidProfile, InvalidText,
                               MalformedDocument, UnknownKind)
from tests.conftest import run_cli


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


@dataclass(frozen=True)
class Bad:
    """One bad input: what is sent, what must come back."""

    name: str
    error: type[InputError]
    code: str
    text: Any = None                      # the subject when it is a text
    profile: Any = None                   # the subject when it is a profile
    options: dict = field(default_factory=dict)   # as_of, answers, kind
    cli: bool = True                      # can the CLI carry it (as an argument or a JSON profile file)?
    http: bool = True                     # can a JSON body carry it?
    http_code: str | None = None          # the code over HTTP when the request model refuses it first
    # over MCP: "code" (the library's {detail, code}), "arguments" (the tool's argument schema refuses it
    # first, naming the argument), or "no" (JSON cannot carry it: NaN and infinity arrive as null)
    mcp: str = "code"
    mcp_code: str | None = None           # the code over MCP when it differs from ``code``

    @property
    def subject(self) -> Any:
        return self.text if self.profile is None else self.profile


CDN = "我们提供CDN加速服务"
PROFILE = {"description": CDN}

TABLE = [
    Bad("empty text", InvalidText, "empty_text", text=""),
    Bad("blank text", InvalidText, "empty_text", text=" \n\t "),
    Bad("binary text", InvalidText, "binary_text", text="\x00\x01\x02PK\x03\x04"),
    Bad("lone surrogate", InvalidText, "invalid_characters", text="提供\ud800CDN", cli=False,
        http_code="invalid_request", mcp="arguments"),
    Bad("bytes that are not UTF-8", InvalidText, "invalid_utf8", text="\udcff\udcfe提供", http=False, mcp="arguments"),
    Bad("subject that is neither text nor profile", InvalidProfile, "invalid_profile", profile=12345, cli=False,
        http_code="invalid_request", mcp="arguments"),
    Bad("profile that is not a mapping", InvalidProfile, "invalid_profile", profile=["CDN"],
        http_code="invalid_request", mcp="arguments"),
    Bad("profile without description", InvalidText, "empty_text", profile={"coverage": "nationwide"}),
    Bad("unknown fact in a profile", InvalidProfile, "unknown_fact", profile={**PROFILE, "colour": "blue"}),
    Bad("boolean where a number belongs", InvalidProfile, "invalid_profile", profile={**PROFILE, "foreign_share": True}),
    Bad("NaN share", InvalidProfile, "invalid_profile", profile={**PROFILE, "foreign_share": math.nan}, mcp="no"),
    Bad("'nan' share as text", InvalidProfile, "invalid_profile", profile={**PROFILE, "foreign_share": "nan"}),
    Bad("infinite share", InvalidProfile, "invalid_profile", profile={**PROFILE, "foreign_share": math.inf}, mcp="no"),
    Bad("share above one", InvalidProfile, "invalid_profile", profile={**PROFILE, "foreign_share": 1.5}),
    Bad("unknown province", InvalidProfile, "unknown_province", profile={**PROFILE, "coverage": ["Atlantis"]}),
    Bad("unknown licence held", InvalidProfile, "unknown_code",
        profile={**PROFILE, "licences_held": [{"code": "Z99"}]}),
    Bad("profile nested too deep", MalformedDocument, "nesting_too_deep",
        profile={**PROFILE, "coverage": _nested(200)}),
    Bad("answers that are a list", InvalidAnswer, "invalid_answers", text=CDN, options={"answers": ["yes"]},
        http_code="invalid_request", mcp="arguments"),
    Bad("answer to an unknown fact", InvalidAnswer, "unknown_fact", text=CDN, options={"answers": {"colour": "blue"}}),
    Bad("answer that cannot be read", InvalidAnswer, "invalid_answer", text=CDN,
        options={"answers": {"foreign_share": "lots"}}),
    Bad("answers nested too deep", MalformedDocument, "nesting_too_deep", text=CDN,
        options={"answers": {"coverage": _nested(200)}}),
    Bad("date before the catalogue", InvalidDate, "date_out_of_range", text=CDN, options={"as_of": "1900-01-01"}),
    Bad("date that is a number", InvalidDate, "invalid_date", text=CDN, options={"as_of": 0},
        cli=False, http_code="date_out_of_range", mcp_code="date_out_of_range"),   # JSON's 0 is read as 1970-01-01
    Bad("date that is no date", InvalidDate, "invalid_date", text=CDN, options={"as_of": "2026-13-45"},
        http_code="invalid_request", mcp="arguments"),
    Bad("unknown kind of document", UnknownKind, "unknown_kind", text=CDN, options={"kind": "poem"}),
]


@pytest.mark.parametrize("bad", TABLE, ids=lambda bad: bad.name)
def test_the_python_api_raises_a_typed_input_error_with_its_code(bad: Bad):
    with pytest.raises(bad.error) as raised:
        classify(bad.subject, **bad.options)
    assert raised.value.code == bad.code
    assert str(raised.value) and "Traceback" not in str(raised.value)


def _cli_args(bad: Bad, tmp_path) -> list[str]:
    args = ["classify"]
    if bad.profile is not None:
        path = tmp_path / "profile.json"
        path.write_text(json.dumps(bad.profile, ensure_ascii=False), encoding="utf-8", errors="surrogateescape")
        args += ["-f", str(path)]
    if "as_of" in bad.options:
        args += ["--as-of", str(bad.options["as_of"])]
    if "kind" in bad.options:
        args += ["--kind", bad.options["kind"]]
    if bad.profile is None:
        args.append(bad.text)
    return args


@pytest.mark.parametrize("bad", [bad for bad in TABLE if bad.cli and "answers" not in bad.options],
                         ids=lambda bad: bad.name)
def test_the_cli_exits_2_with_one_line(bad: Bad, capsys, tmp_path):
    code, out, err = run_cli(capsys, *_cli_args(bad, tmp_path))
    assert code == 2, err
    assert err.startswith("tlc: error:") and err.count("\n") == 1 and "Traceback" not in err
    assert out == ""


def _body(bad: Bad) -> bytes:
    body: dict[str, Any] = {"profile": bad.profile} if bad.profile is not None else {"text": bad.text}
    body.update(bad.options)
    return json.dumps(body, ensure_ascii=True, allow_nan=True).encode()   # \ud800 travels as an escape


@pytest.mark.parametrize("bad", [bad for bad in TABLE if bad.http], ids=lambda bad: bad.name)
def test_http_answers_4xx_with_a_machine_readable_code(bad: Bad, http_client):
    response = http_client.post("/v1/classify", content=_body(bad), headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == (bad.http_code or bad.code)
    assert response.json()["detail"]


@pytest.fixture(scope="module")
def mcp_server():
    from classifier.surfaces.mcp_server import create_server

    return create_server()


@pytest.mark.parametrize("bad", [bad for bad in TABLE if bad.mcp != "no"], ids=lambda bad: bad.name)
def test_mcp_answers_an_error_result_with_a_machine_readable_code(bad: Bad, mcp_server):
    import anyio
    from mcp import Client

    arguments: dict[str, Any] = {"profile": bad.profile} if bad.profile is not None else {"text": bad.text}
    arguments.update(bad.options)

    async def call():
        async with Client(mcp_server) as client:
            return await client.call_tool("classify", arguments)

    result = anyio.run(call)
    assert result.is_error and "Traceback" not in result.content[0].text
    if bad.mcp == "arguments":   # the SDK's argument check, naming the argument
        assert any(f"classifyArguments\n{name}" in result.content[0].text for name in arguments)
    else:
        assert json.loads(result.content[0].text)["code"] == (bad.mcp_code or bad.code)
        assert result.structured_content["detail"]


# Inputs only one surface can receive.

def test_yaml_alias_bombs_are_refused_before_they_expand(capsys, tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)) + "description: *j\n"
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb, encoding="utf-8")
    code, _, err = run_cli(capsys, "classify", "-f", str(path))
    assert code == 2 and "aliases" in err and err.startswith("tlc: error:")


def test_malformed_profile_files_name_the_place(capsys, tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"description": "CDN", ', encoding="utf-8")
    code, _, err = run_cli(capsys, "classify", "-f", str(path))
    assert code == 2 and str(path) in err
    path.write_bytes(b'{"description": "\xff\xfe"}')
    code, _, err = run_cli(capsys, "classify", "-f", str(path))
    assert code == 2 and "UTF-8" in err


def test_stdin_that_is_not_utf8_or_too_long(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe\xfd CDN")))
    code, _, err = run_cli(capsys, "classify", "-")
    assert code == 2 and "UTF-8" in err
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("提供CDN服务".encode() * 10)))
    code, _, err = run_cli(capsys, "classify", "--max-chars", "20", "-")
    assert code == 2 and "limit" in err


def test_unknown_codes_on_the_cli_and_over_http(capsys, http_client):
    code, _, err = run_cli(capsys, "catalogue", "show", "Z99")
    assert code == 2 and "Z99" in err
    response = http_client.get("/v1/catalogue/Z99")
    assert response.status_code == 404 and response.json()["code"] == "unknown_code"


def test_bodies_over_the_limit_are_413_whether_declared_or_streamed(http_client):
    declared = http_client.post("/v1/classify", content=b'{"text": "' + b"a" * 1_100_000 + b'"}',
                                headers={"content-type": "application/json"})
    assert declared.status_code == 413 and declared.json()["code"] == "body_too_large"

    def chunks():
        yield b'{"text": "'
        for _ in range(1_200):
            yield b"a" * 1_000
        yield b'"}'

    streamed = http_client.post("/v1/classify", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["code"] == "body_too_large"


def test_json_nested_past_the_parser_is_malformed_not_a_server_error(http_client):
    body = '{"profile": {"description": "x", "coverage": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    response = http_client.post("/v1/classify", content=body.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["code"] == "malformed_body"


def test_the_cli_profile_file_is_a_valid_http_body(http_client):
    response = http_client.post("/v1/classify", json={"description": CDN, "coverage": "nationwide"})
    assert response.status_code == 200
    assert [b["code"] for b in response.json()["businesses"]] == ["B12"]


def test_an_output_that_is_an_input_is_refused_and_the_input_kept(capsys, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(f"id,text\n1,{CDN}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "audit", str(path), "-o", str(path))
    assert code == 2 and "also an input" in err
    assert path.read_text(encoding="utf-8") == f"id,text\n1,{CDN}\n"


@pytest.fixture(scope="module")
def http_client():
    from fastapi.testclient import TestClient

    from classifier.surfaces.http import create_app

    return TestClient(create_app(), raise_server_exceptions=False)


def test_every_row_names_a_code_its_error_class_documents():
    """The table and errors.py agree: each row's code is listed in its class's docstring (or is its default)."""
    for bad in TABLE:
        assert bad.code == bad.error.code or bad.code in (bad.error.__doc__ or ""), bad.name
    assert issubclass(FileProblem, InputError)


def test_docs_reliability_lists_every_row():
    """docs/reliability.md's matrix is this table (regenerate it with tests/reliability_report.py)."""
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert [bad.name for bad in TABLE if f"| {bad.name} |" not in doc] == []
