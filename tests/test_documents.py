"""Markdown and HTML reports: every section, bilingual, cited, and HTML that parses."""
from __future__ import annotations

from html.parser import HTMLParser

from classifier import classify
from classifier.knowledge.loader import load_catalogue
from classifier.surfaces.documents import render_html, render_markdown, timeline

from conftest import run_cli

PROFILE = {"description": "为企业客户提供SD-WAN组网服务，另提供跨境专线", "coverage": ["北京", "上海"],
           "registered_capital": 5_000_000, "foreign_share": 0.3}


def test_markdown_has_every_section():
    text = render_markdown(classify(PROFILE, as_of="2025-06-01", requirements=True), load_catalogue())
    for heading in ("### 条件 / Conditions", "### 材料 / Materials", "### 流程 / Steps", "### 取证后义务 / Obligations",
                    "### 罚则 / Penalties", "## 红线 / Red lines", "## 出处 / Sources"):
        assert heading in text
    assert "✘" in text  # capital 500万 < 1000万 for a multi-province licence


class _Checker(HTMLParser):
    VOID = {"meta", "br", "img", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.bars = [], 0

    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("class", "").startswith("bar"):
            self.bars += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


def test_html_is_well_formed_self_contained_and_has_a_timeline():
    result = classify(PROFILE, as_of="2025-06-01", requirements=True)
    html = render_html(result, load_catalogue())
    checker = _Checker()
    checker.feed(html)
    assert checker.stack == [] and checker.bars >= 2
    assert "<script" not in html and "http://" not in html.split("<h2>出处")[0].split("<style>")[0]


def test_html_escapes_user_text():
    html = render_html(classify("<script>alert(1)</script> 提供CDN加速服务", requirements=True), load_catalogue())
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_timeline_lays_steps_end_to_end():
    (req,) = classify({"description": "CDN加速服务", "coverage": "nationwide"}, requirements=True).requirements
    rows = timeline(req)
    assert rows and rows[0]["start"] == 0
    for before, after in zip(rows, rows[1:]):
        assert after["start"] == before["start"] + before["days"]


def test_cli_report_and_requirements(capsys, tmp_path):
    target = tmp_path / "r.html"
    code, _, err = run_cli(capsys, "classify", "提供CDN加速服务，覆盖全国", "--report", "html", "-o", str(target))
    assert code == 0 and target.read_text(encoding="utf-8").startswith("<!doctype html>")
    code, out, _ = run_cli(capsys, "requirements", "B13", "--coverage", "北京,上海", "--foreign-share", "0.3",
                           "--location", "杭州", "--registered-capital", "20000000", "--as-of", "2025-06-01")
    assert code == 0 and "## B13" in out and "✔" in out
    assert "Authority: 工业和信息化部 / MIIT" in out  # two provinces, by the authority rules themselves
    code, out, _ = run_cli(capsys, "requirements", "B13", "--coverage", "广东")
    assert "Authority: 省级通信管理局" in out
    code, out, _ = run_cli(capsys, "requirements", "X-ICP-FILING")
    assert "Authority: 省级通信管理局" in out
    code, out, err = run_cli(capsys, "requirements", "B99")
    assert code == 2 and "unknown catalogue code" in err
    code, out, err = run_cli(capsys, "requirements", "B13", "--coverage", "火星")
    assert code == 2 and "unknown province" in err
