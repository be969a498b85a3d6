"""The audit's HTML report: a summary a manager reads in a minute, findings by red line with examples,
a header that makes the run reproducible, the language chosen, and no directory of the auditor's."""
from __future__ import annotations

import re

import pytest

from classifier.surfaces.audit.records import Summary
from classifier.surfaces.audit.report import manager_summary, pick, snippet

from conftest import run_cli

LINES = ["为企业客户提供SD-WAN组网服务，仅限境内", "面向个人用户的翻墙加速器，一键科学上网", "提供CDN加速服务",
         "岗位职责：负责CDN节点运维，任职要求：本科", "我们为外贸企业提供中国与新加坡之间的跨境专线",
         "我们公司使用阿里云的CDN服务加速官网", "面向个人用户提供翻墙梯子和机场订阅"]


@pytest.fixture
def audited(capsys, tmp_path):
    """Audit LINES (from a file in a nested directory) into an HTML report per language; the reports' text."""
    source = tmp_path / "private" / "clients" / "products.txt"
    source.parent.mkdir(parents=True)
    source.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    pages = {}
    for lang in ("zh", "en", "both"):
        out = tmp_path / f"{lang}.html"
        code, _, _ = run_cli(capsys, "audit", str(source), "-o", str(out), "--lang", lang, "--as-of", "2025-06-01")
        assert code == 1
        pages[lang] = out.read_text(encoding="utf-8")
    return pages, tmp_path


def test_header_names_date_tool_and_knowledge_versions(audited):
    html = audited[0]["en"]
    meta = html[html.index('<p class="meta"'):].split("</p>")[0]
    assert "As of <b>2025-06-01</b>" in meta and re.search(r"tlc <b>[\w.+-]+</b>", meta)
    assert re.search(r"knowledge <b>kb-[0-9a-f]{12}</b>", meta) and "input: products.txt" in meta


def test_no_directory_of_the_auditor_reaches_the_page(audited):
    pages, tmp_path = audited
    for html in pages.values():
        assert str(tmp_path) not in html and "private/clients" not in html and ">products.txt:2<" in html


def test_summary_counts_and_says_what_first(audited):
    html = audited[0]["en"]
    summary = html[html.index('id="summary"'):].split("</section>")[0]
    assert "Of 7 records read, 3 cross a red line (2 prohibited)" in summary
    assert "Deal first with the 2 records that cross a prohibited red line" in summary
    assert "1 could not be told" in summary and summary.index("Of 7 records") < summary.index('class="tiles"')
    assert html.index('id="summary"') < html.index('id="records"')


def test_findings_are_grouped_by_red_line_with_counts_and_examples(audited):
    html = audited[0]["en"]
    groups = re.findall(r'<div class="group" id="group-(\w+)" data-redline="\w+"><h3><span class="count">(\d+)</span>',
                        html)
    assert groups == [("consumer_circumvention", "2"), ("cross_border_connectivity", "1")]
    group = html[html.index('id="group-consumer_circumvention"'):].split('class="show"')[0]
    assert "Circumvention or international acceleration for consumers" in group and "[prohibited]" in group
    assert group.count("<li>") == 2 and '<mark class="ev">翻墙</mark>' in group and 'href="#row-2"' in group
    assert 'href="#red=consumer_circumvention"' in html


def test_messages_follow_the_language_chosen(audited):
    pages = audited[0]
    assert "Circumvention or international acceleration for consumers" in pages["en"]
    assert "面向个人的“翻墙”或国际加速" not in pages["en"] and "Telecom licence audit" in pages["en"]
    assert "面向个人的“翻墙”或国际加速" in pages["zh"] and "Circumvention or international" not in pages["zh"]
    assert "Offering consumers circumvention" not in pages["zh"] and "共读取7条记录" in pages["zh"]
    assert "面向个人的“翻墙”或国际加速 / Circumvention" in pages["both"]


def test_manager_summary_is_three_sentences_in_either_language():
    summary = Summary(read=10, classified=9, skipped=1, with_red_lines=0, with_licences=4,
                      statuses={"findings": 4, "clear": 5})
    zh = manager_summary(summary, None, "zh")
    en = manager_summary(summary, None, "en")
    assert len(zh) == len(en) == 2   # no red line: no "most frequent" sentence
    assert en[1] == "No record crosses a red line." and zh[1] == "没有记录触碰红线。"
    summary.with_red_lines, summary.worst, summary.statuses["unrecognised"] = 1, {"review": 1}, 2
    en = manager_summary(summary, ("标题", "Title", 1), "en")
    assert en[1] == "The most frequent red line is “Title” (1 record)."
    assert en[2].startswith("Deal first with the record that crosses a red line; 2 could not be told")


def test_snippet_cuts_around_the_evidence():
    text = "甲" * 100 + "翻墙" + "乙" * 100
    before, words, after = snippet(text, 100, 102, width=5)
    assert (before, words, after) == ("…甲甲甲甲甲", "翻墙", "乙乙乙乙乙…")
    assert snippet("短文本", None, None) == ("短文本", "", "")


def test_pick():
    assert pick("zh", "中", "en") == "中" and pick("en", "中", "en") == "en" and pick("both", "中", "en") == "中 / en"
