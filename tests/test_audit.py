"""`tlc audit`: every input format, every output, exit codes, skipped records, workers."""
from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from conftest import run_cli

ROWS = [
    ("1", "为企业客户提供SD-WAN组网服务，仅限境内"),
    ("2", "面向个人用户的翻墙加速器"),
    ("3", "通信设备制造与销售"),
    ("4", "我们为外贸企业提供中国与新加坡之间的跨境专线"),
]


@pytest.fixture
def csv_input(tmp_path):
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "desc"])
        writer.writerows(ROWS)
    return path


def _summary(path):
    with path.open(encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def test_csv_with_all_three_outputs_and_exit_1(capsys, tmp_path, csv_input):
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "audit", str(csv_input), "--text-column", "desc", "-o", f"{out}.jsonl",
                           "-o", f"{out}.csv", "-o", f"{out}.html")
    assert code == 1  # a prohibited and a basic-licence red line
    assert "read 4, classified 4, skipped 0; 2 with red lines" in err
    rows = _summary(tmp_path / "out.csv")
    assert rows["1"]["codes"] == "B13" and rows["1"]["red_lines"] == ""
    assert rows["2"]["severity"] == "prohibited" and rows["4"]["red_lines"] == "cross_border_connectivity"
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["1", "2", "3", "4"] and all(l["schema"] == "tlc.result/1" for l in lines)
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert html.count('<tr id="row-') == 4 and "<mark" in html and 'data-reds=" consumer_circumvention "' in html


def test_claims_appear_in_every_output(capsys, tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("我司持有B11 ISP牌照，为写字楼提供宽带接入\n", encoding="utf-8")
    run_cli(capsys, "audit", str(path), "-o", str(tmp_path / "o.csv"), "-o", str(tmp_path / "o.html"),
            "-o", str(tmp_path / "o.jsonl"))
    assert list(_summary(tmp_path / "o.csv").values())[0]["claims"] == "code_name:B11"
    assert '<div class="claim"><b>许可声明不符 / licence claim does not hold</b> B11' in (tmp_path / "o.html").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))["claims"][0]["actual"] == "B14"


def test_fail_on_threshold(capsys, tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("为企业客户提供SD-WAN组网服务，仅限境内\n提供CDN加速服务\n", encoding="utf-8")
    assert run_cli(capsys, "audit", str(path))[0] == 0  # clean
    path.write_text("IDC服务器托管\n", encoding="utf-8")
    profile = tmp_path / "p.jsonl"
    profile.write_text(json.dumps({"id": "x", "description": "IDC服务器托管", "foreign_share": 0.9, "location": "兰州"},
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    assert run_cli(capsys, "audit", str(profile))[0] == 0  # condition_unmet is below the default threshold
    assert run_cli(capsys, "audit", str(profile), "--fail-on", "condition_unmet")[0] == 1


def test_malformed_records_are_reported_with_their_line_and_skipped(capsys, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "提供CDN加速服务"}\n{not json\n{"id": "c"}\n"just a string"\n'
                    '{"id": "e", "text": "\\u0000\\u0001binary"}\n', encoding="utf-8")
    out = tmp_path / "o.csv"
    code, _, err = run_cli(capsys, "audit", str(path), "-o", str(out))
    assert code == 0
    assert f"{path}:2: malformed JSON" in err and f"{path}:3: no 'text'" in err and f"{path}:4: not an object" in err
    assert f"{path}:5:" in err and "binary" in err
    assert "read 5, classified 1, skipped 4" in err
    assert list(_summary(out)) == ["a"]


def test_strict_makes_a_malformed_record_fatal(capsys, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "提供CDN加速服务"}\n{broken\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "audit", str(path), "--strict")
    assert code == 2 and err.startswith("tlc: error:") and ":2: malformed JSON" in err


@pytest.mark.parametrize("content,fmt,extra", [
    ("id\tdesc\n1\t提供CDN加速服务\n", "tsv", ["--text-column", "desc"]),
    ("- 提供CDN加速服务\n- {description: IDC服务器托管, coverage: [北京]}\n", "yaml", []),
    ("提供CDN加速服务\n\nIDC服务器托管\n", "txt", []),
])
def test_other_formats(capsys, tmp_path, content, fmt, extra):
    path = tmp_path / f"in.{fmt}"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "o.csv"
    code, _, err = run_cli(capsys, "audit", str(path), "-o", str(out), *extra)
    assert code == 0, err
    assert {r["codes"] for r in _summary(out).values()} >= {"B12"}


def test_stdin(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("提供CDN加速服务\n".encode())))
    out = tmp_path / "o.csv"
    code, _, _ = run_cli(capsys, "audit", "-", "-o", str(out))
    assert code == 0 and [r["codes"] for r in _summary(out).values()] == ["B12"]


@pytest.mark.parametrize("args,message", [
    (["audit", "/nonexistent.csv"], "file not found"),
    (["audit", "{csv}", "--text-column", "nope"], "no column 'nope'"),
    (["audit", "{csv}", "-o", "{tmp}/x.pdf", "--text-column", "desc"], "unknown output type"),
    (["audit", "{bad}", "--strict"], "not valid UTF-8 at byte 0"),
])
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, csv_input, args, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa broken")
    args = [a.format(csv=csv_input, tmp=tmp_path, bad=bad) for a in args]
    code, _, err = run_cli(capsys, *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_two_workers_give_the_same_results(capsys, tmp_path, csv_input):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    run_cli(capsys, "audit", str(csv_input), "--text-column", "desc", "-o", str(one))
    run_cli(capsys, "audit", str(csv_input), "--text-column", "desc", "-o", str(two), "--workers", "2")
    assert _summary(one) == _summary(two)


def test_status_kind_and_mentions_reach_the_csv_and_a_record_may_state_its_kind(capsys, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "我们提供全国CDN加速服务"}\n'
                      '{"id": "b", "text": "全国CDN加速服务", "kind": "news"}\n'
                      '{"id": "c", "text": "岗位职责：负责CDN节点运维。任职要求：本科。"}\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, _ = run_cli(capsys, "audit", str(source), "-o", str(out))
    assert code == 0
    rows = {row["id"]: row for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert (rows["a"]["status"], rows["a"]["codes"]) == ("findings", "B12")
    assert (rows["b"]["status"], rows["b"]["kind"], rows["b"]["codes"]) == ("unrecognised", "news", "")
    assert (rows["c"]["kind"], rows["c"]["mentions"]) == ("job_post", "B12")
