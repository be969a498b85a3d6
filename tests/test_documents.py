"""Markdown, HTML and PDF reports: the verdict first, every section, bilingual, every source readable."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import markupsafe
import pytest

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
    for loads_something in ("<script", "<link", " src=", "@import", "url("):   # links to sources are fine
        assert loads_something not in html


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


INTERNAL = ("LawRefBook", "GitHub file", "../shared", "knowledge/", ".yaml", "{{", "}}")


def _report(subject, render=render_html):
    return render(classify(subject, as_of="2025-06-01", requirements=True), load_catalogue())


@pytest.mark.parametrize("subject, tone, headline", [
    (PROFILE, "stop", "Crosses a red line: change the set-up first"),
    ("提供CDN加速服务，覆盖全国", "licence", "A telecom licence is needed"),
    ("岗位职责：负责CDN节点运维。任职要求：本科。", "unknown", "Could not tell"),
    ("我们公司使用阿里云的CDN服务加速官网", "clear", "No telecom licence needed"),
])
def test_html_opens_with_the_verdict(subject, tone, headline):
    html = _report(subject)
    verdict = html.index('<section class="verdict')
    assert verdict < html.index("<h2") and f'data-tone="{tone}"' in html and headline in html[verdict:]


def test_could_not_tell_is_plain_and_mentions_are_apart():
    html = _report("岗位职责：负责CDN节点运维。任职要求：本科。")
    assert "无法判断 / could not tell" in html and "无需电信业务经营许可" not in html
    assert "仅提及 <span class=\"en\">/ Mentioned only</span>" in html and 'id="mentions"' in html


def test_every_source_is_listed_readably_and_every_citation_resolves():
    html = _report(PROFILE)
    kb = load_catalogue().kb
    listed = re.findall(r'<li id="src-([^"]+)">', html)
    cited = set(re.findall(r'href="#src-([^"]+)"', html))
    assert listed and cited <= set(listed)
    for source_id in listed:
        source = kb.sources[source_id]
        item = html[html.index(f'<li id="src-{source_id}">'):].split("</li>")[0]
        assert str(markupsafe.escape(source.title)) in item
        assert (f'<a href="{source.url}">' in item) if source.url else ("no public link" in item)
        if source.issuer:
            assert str(markupsafe.escape(source.issuer)) in item
    for internal in INTERNAL:
        assert internal not in html, internal
    kinds = [kb.sources[i].kind for i in listed]
    assert kinds == sorted(kinds, key=("primary", "secondary", "guide").index)   # the law first


def test_each_licence_links_the_catalogue_and_each_red_line_has_its_title():
    html = _report(PROFILE)
    assert html.count("art_e98406cd89844f7e92ea1bcf3b5301e0.html") >= 1 and 'id="lic-B13"' in html
    assert "<h3>跨境专线、VPN或加速（国际通信业务）" in html and 'id="red-cross_border_connectivity"' in html


def test_markdown_opens_with_the_verdict_and_lists_sources_without_paths():
    text = _report(PROFILE, render_markdown)
    assert text.index("## 结论 / Verdict") < text.index("## 描述 / Description") < text.index("## 出处 / Sources")
    assert "(#src-p1)" in text and '<a id="src-p1"></a>**P1**' in text
    for internal in INTERNAL:
        assert internal not in text, internal


def test_requirements_report_is_about_a_licence_not_could_not_tell(capsys):
    code, out, _ = run_cli(capsys, "requirements", "B13", "--coverage", "北京,上海")
    assert code == 0 and "A telecom licence is needed" in out and "Could not tell" not in out


def test_pdf_needs_an_output_file_and_a_browser(capsys, tmp_path, monkeypatch):
    code, out, err = run_cli(capsys, "classify", "提供CDN加速服务", "--report", "pdf")
    assert code == 2 and err.count("\n") == 1 and "-o FILE.pdf" in err and not out
    monkeypatch.setenv("TLC_CHROMIUM", str(tmp_path / "no-such-browser"))
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run_cli(capsys, "classify", "提供CDN加速服务", "--report", "pdf", "-o", str(tmp_path / "r.pdf"))
    assert code == 2 and err.startswith("tlc: error: a PDF needs Chromium") and err.count("\n") == 1
    assert not (tmp_path / "r.pdf").exists()
