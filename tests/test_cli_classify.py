"""`tlc classify` as users run it."""
from __future__ import annotations

import io
import json
import sys

import pytest

from conftest import run_cli


def test_text_gives_bilingual_report(capsys):
    code, out, err = run_cli(capsys, "classify", "为企业客户提供SD-WAN组网服务，仅限境内")
    assert code == 0, err
    assert "B13" in out and "国内互联网虚拟专用网业务" in out and "Domestic Internet" in out


def test_lang_en_only(capsys):
    code, out, _ = run_cli(capsys, "classify", "--lang", "en", "为企业客户提供SD-WAN组网服务")
    assert "Domestic Internet" in out and "国内互联网虚拟专用网业务" not in out


def test_json_contract(capsys):
    code, out, _ = run_cli(capsys, "classify", "--json", "--trace", "面向个人用户的翻墙加速器")
    data = json.loads(out)
    assert data["schema"] == "tlc.result/1"
    assert set(data) >= {"input", "businesses", "red_lines", "questions", "trace"}
    red = data["red_lines"][0]
    assert red["id"] == "consumer_circumvention" and red["severity"] == "prohibited"
    assert set(red) >= {"requires", "message_zh", "message_en", "evidence", "citations"}
    assert red["evidence"][0]["text"] in data["input"]["text"] and data["trace"]


def test_profile_file(capsys, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("description: 为企业客户提供SD-WAN组网服务\ncoverage: [广东]\ncross_border: false\n",
                    encoding="utf-8")
    code, out, _ = run_cli(capsys, "classify", "-f", str(path), "--json")
    data = json.loads(out)
    assert [(b["code"], b["authority"]) for b in data["businesses"]] == [("B13", "provincial")]


def test_stdin_json_profile(capsys, monkeypatch):
    payload = json.dumps({"description": "IDC服务器托管", "coverage": "nationwide"}).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    code, out, _ = run_cli(capsys, "classify", "-", "--json")
    assert code == 0 and json.loads(out)["businesses"][0]["code"] == "B11"


def test_bad_inputs_are_one_line_exit_2(capsys, tmp_path, monkeypatch):
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("description: [unclosed\n", encoding="utf-8")
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"description": "x",}', encoding="utf-8")
    for args in (["classify", ""], ["classify", "-f", str(bad_yaml)], ["classify", "-f", str(binary)],
                 ["classify", "-f", str(bad_json)], ["classify", "-f", str(tmp_path / "missing.yaml")],
                 ["classify", "--as-of", "yesterday", "CDN"], ["classify"]):
        code, out, err = run_cli(capsys, *args)
        assert code == 2, args
        assert err.startswith("tlc: error:") and err.count("\n") == 1 and "Traceback" not in err, (args, err)


def test_as_of_changes_the_answer_where_a_pilot_applies(capsys):
    profile = '{"description": "IDC服务器托管", "coverage": ["上海"], "foreign_share": 1.0, "location": "上海临港新片区"}'
    import tempfile, pathlib
    path = pathlib.Path(tempfile.mkdtemp()) / "p.json"
    path.write_text(profile, encoding="utf-8")
    _, before, _ = run_cli(capsys, "classify", "-f", str(path), "--json", "--as-of", "2023-01-01")
    _, after, _ = run_cli(capsys, "classify", "-f", str(path), "--json", "--as-of", "2025-01-01")
    assert "foreign_ownership_over_cap" in {r["id"] for r in json.loads(before)["red_lines"]}
    assert "foreign_ownership_over_cap" not in {r["id"] for r in json.loads(after)["red_lines"]}


def test_why_shows_the_rules_with_their_sources(capsys):
    code, out, _ = run_cli(capsys, "classify", "--why", "--lang", "en", "我们为外贸企业提供中国与新加坡之间的跨境SD-WAN组网")
    assert code == 0
    assert "← biz.a14_4.cross_border_data:" in out and "(SEED-002, S-2013, N32)" in out
    assert "← relation.B13.escalates_to.A14-4: escalates_to edge of the catalogue graph" in out
    assert "← redline.cross_border_connectivity:" in out


def test_signals_command_shows_terms_signals_and_scopes(capsys):
    code, out, _ = run_cli(capsys, "signals", "不提供跨境专线，经营范围：第二类增值电信业务中的因特网接入服务业务")
    assert code == 0
    assert "geo.cross_border       negated" in out and "licence.name           asserted -> B14" in out
    assert out.startswith("kind: business_scope (detected; '经营范围')")
    assert run_cli(capsys, "signals", "hello")[1].strip().endswith("no signals")
    stated = run_cli(capsys, "signals", "--kind", "news", "我们提供CDN加速")[1]
    assert stated.startswith("kind: news (stated") and "svc.cdn" in stated


def test_json_carries_the_verdict(capsys):
    import json

    from conftest import run_cli

    code, out, _ = run_cli(capsys, "classify", "岗位职责：负责CDN节点运维。任职要求：本科。", "--json")
    verdict = json.loads(out)["verdict"]
    assert code == 0 and verdict["tone"] == "unknown" and verdict["headline_en"] == "Could not tell"


@pytest.mark.parametrize("options, body", [
    ((), {}),
    (("--detail", "brief", "--lang", "en"), {"detail": "brief", "lang": "en"}),
    (("--requirements", "--lang", "zh"), {"requirements": True, "lang": "zh"}),
    (("--trace",), {"trace": True}),
])
def test_cli_json_is_what_http_answers_for_the_same_options(capsys, options, body):
    from fastapi.testclient import TestClient

    from classifier.surfaces.http import create_app

    text = "我们为外贸企业提供中国与新加坡之间的跨境专线"
    code, out, _ = run_cli(capsys, "classify", "--json", "--as-of", "2025-06-01", *options, text)
    answer = TestClient(create_app(mcp=False)).post("/v1/classify", json={"text": text, "as_of": "2025-06-01", **body})
    assert code == 0 and answer.status_code == 200
    assert json.loads(out) == answer.json()
