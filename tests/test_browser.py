"""End to end in headless Chromium: the web page against a real server, and the audit report.

Chromium comes from Debian's package (.ci/run installs it). Without it these tests skip, unless
TLC_REQUIRE_BROWSER is set (as in CI), where a missing browser is a failure.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("TLC_REQUIRE_BROWSER"):
        raise RuntimeError("TLC_REQUIRE_BROWSER is set but no chromium is installed")
    pytest.skip("chromium is not installed", allow_module_level=True)

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic", "--virtual-time-budget=10000"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "classifier", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("server did not start: " + process.stdout.read1(2000).decode(errors="replace"))
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _browser(tmp_path, *args) -> str:
    run = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args], capture_output=True,
                         text=True, timeout=120)
    return run.stdout


def test_web_page_classifies_a_description_and_highlights_the_red_line(server, tmp_path):
    text = "面向个人用户的翻墙加速器，一键科学上网"
    dom = _browser(tmp_path, "--dump-dom", f"{server}/?text={urllib.parse.quote(text)}&lang=en")
    assert 'data-state="done"' in dom
    assert 'data-redline="consumer_circumvention"' in dom
    assert '<mark class="red" title="Circumvention or international acceleration for consumers">翻墙</mark>' in dom


def test_web_page_screenshot(server, tmp_path):
    shot = tmp_path / "page.png"
    _browser(tmp_path, "--window-size=1280,900", f"--screenshot={shot}",
             f"{server}/?text={urllib.parse.quote('提供CDN加速服务，覆盖全国')}")
    assert shot.exists() and shot.stat().st_size > 20_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _audit_report(tmp_path, lines: str):
    """Audit ``lines`` (one text each) into an HTML report; return its path."""
    from classifier.surfaces.cli import main

    source = tmp_path / "in.txt"
    source.write_text(lines, encoding="utf-8")
    report = tmp_path / "audit.html"
    with pytest.raises(SystemExit):
        main(["audit", str(source), "-o", str(report)])
    return report


def test_audit_report_opens_filters_and_renders(tmp_path):
    report = _audit_report(tmp_path, "为企业客户提供SD-WAN组网服务，仅限境内\n面向个人用户的翻墙加速器\n提供CDN加速服务\n")
    dom = _browser(tmp_path, "--dump-dom", report.as_uri())
    assert 'id="shown" class="src">3 / 3<' in dom  # the filter script ran in the browser
    shot = tmp_path / "audit.png"
    _browser(tmp_path, "--window-size=1280,900", f"--screenshot={shot}", report.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000


def test_web_page_says_could_not_tell_and_lists_mentions(server, tmp_path):
    text = "岗位职责：负责CDN节点运维。任职要求：本科。"
    dom = _browser(tmp_path, "--dump-dom", f"{server}/?text={urllib.parse.quote(text)}&lang=en")
    assert 'data-state="done"' in dom and 'data-status="unrecognised"' in dom
    assert "Could not tell" in dom and "Read as: job post" in dom
    assert 'class="mention" data-role="recruits"' in dom


def test_audit_report_marks_could_not_tell(tmp_path):
    report = _audit_report(tmp_path, "岗位职责：负责CDN节点运维，任职要求：本科\n提供CDN加速服务\n")
    dom = _browser(tmp_path, "--dump-dom", report.as_uri())
    assert 'data-status="unrecognised"' in dom and "could not tell" in dom
    assert 'data-status="findings"' in dom


# ---- driven through Playwright (the system's Chromium): what a person clicks, types and downloads ----

from browsing import browser_page, keep_screenshot  # noqa: E402

AUDIT_LINES = ("为企业客户提供SD-WAN组网服务，仅限境内\n面向个人用户的翻墙加速器，一键科学上网\n提供CDN加速服务，覆盖全国\n"
               "岗位职责：负责CDN节点运维，任职要求：本科\n我们为外贸企业提供中国与新加坡之间的跨境专线\n"
               "我们公司使用阿里云的CDN服务加速官网\n面向个人用户提供翻墙梯子和机场订阅\n")


def _visible_ids(page):
    return page.eval_on_selector_all("#records tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)")


def test_audit_table_sorts_searches_filters_and_exports_what_is_shown(tmp_path):
    import csv
    import io

    report = _audit_report(tmp_path, AUDIT_LINES)
    with browser_page() as page:
        page.goto(report.as_uri())
        page.wait_for_selector("body[data-ready=yes]")
        assert page.inner_text("#shown") == "7 / 7"
        page.click("th[data-sort=rank]")   # worst first
        severities = page.eval_on_selector_all("#records tbody tr", "rows => rows.map(r => r.dataset.severity)")
        assert severities[:3] == ["prohibited", "prohibited", "basic_licence_required"] and severities[-1] == "none"
        page.click("th[data-sort=rank]")   # and back
        assert page.eval_on_selector("#records tbody tr", "r => r.dataset.severity") == "none"
        page.fill("#q", "cdn")
        assert _visible_ids(page) == ["in.txt:6", "in.txt:4", "in.txt:3"] and page.inner_text("#shown") == "3 / 7"
        assert "q=cdn" in page.evaluate("location.hash")   # the view can be linked
        page.select_option("#f-status", "unrecognised")
        assert _visible_ids(page) == ["in.txt:4"]
        with page.expect_download() as download:
            page.click("#export")
        data = open(download.value.path(), encoding="utf-8-sig").read()
        rows = list(csv.DictReader(io.StringIO(data)))
        assert [r["id"] for r in rows] == ["in.txt:4"] and rows[0]["status"] == "unrecognised"
        assert rows[0]["text"] == "岗位职责：负责CDN节点运维，任职要求：本科" and rows[0]["mentions"] == "B12"
        page.fill("#q", "")
        page.select_option("#f-status", "")
        with page.expect_download() as download:
            page.click("#export")
        rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
        assert len(rows) == 7 and {r["red_lines"] for r in rows} >= {"consumer_circumvention", "cross_border_connectivity"}


def test_audit_red_line_group_links_to_its_records_and_opens_filtered(tmp_path):
    report = _audit_report(tmp_path, AUDIT_LINES)
    with browser_page() as page:
        page.goto(report.as_uri())
        page.wait_for_selector("body[data-ready=yes]")
        page.click("#group-consumer_circumvention a.show")
        assert _visible_ids(page) == ["in.txt:2", "in.txt:7"]
        assert page.input_value("#f-red") == "consumer_circumvention"
        page.goto(report.as_uri() + "#sev=basic_licence_required")   # a shared link opens as it was left
        page.reload()
        page.wait_for_selector("body[data-ready=yes]")
        assert _visible_ids(page) == ["in.txt:5"]


def test_audit_first_screen_tells_a_manager_what_to_do(tmp_path):
    report = _audit_report(tmp_path, AUDIT_LINES)
    with browser_page(1280, 800) as page:
        page.goto(report.as_uri())
        page.wait_for_selector("body[data-ready=yes]")
        box = page.locator("#summary").bounding_box()
        assert box["y"] + box["height"] <= 800   # the summary is on the first screen
        assert "Deal first with the 2 records that cross a prohibited red line" in page.inner_text("#summary")
        shot = tmp_path / "audit.png"
        page.screenshot(path=str(shot))
        keep_screenshot(shot, "audit-report.png")


@pytest.mark.parametrize("width", [390, 1280])
def test_founder_report_opens_on_its_verdict_at_any_width(tmp_path, width):
    from classifier.surfaces.cli import main

    report = tmp_path / "report.html"
    with pytest.raises(SystemExit):
        main(["classify", "为外贸企业提供中国与新加坡之间的跨境SD-WAN组网", "--as-of", "2025-06-01", "--report", "html",
              "-o", str(report)])
    with browser_page(width, 844) as page:
        page.goto(report.as_uri())
        verdict = page.locator("#verdict").bounding_box()
        assert verdict["y"] < 200 and page.locator("#verdict .headline").is_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width   # nothing runs off a phone
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot))
        keep_screenshot(shot, f"report-html-{width}.png")
        page.click("#verdict a[href='#red-cross_border_connectivity']")
        assert page.evaluate("location.hash") == "#red-cross_border_connectivity"


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_web_page_opens_on_the_verdict_with_red_lines_titled_and_sourced(server, tmp_path, width, height):
    text = "为外贸企业提供中国与新加坡之间的跨境SD-WAN组网"
    with browser_page(width, height) as page:
        page.goto(f"{server}/?text={urllib.parse.quote(text)}&lang=en")
        page.wait_for_selector("body[data-state=done]")
        verdict = page.locator("#verdict")
        assert verdict.get_attribute("data-tone") == "stop"
        assert "Crosses a red line: change the set-up first" in verdict.inner_text()
        assert "It needs a licence for A14-4" in verdict.inner_text()
        red = page.locator("#red-cross_border_connectivity")
        assert red.locator("h3").inner_text() == "Cross-border lines, VPNs or acceleration (international telecom)"
        assert "cross_border_connectivity" not in page.inner_text("#out")   # no raw id is shown
        links = red.locator(".sources a").evaluate_all("links => links.map(a => a.href)")
        assert "https://www.gov.cn/gongbao/content/2016/content_5139478.htm" in links
        assert "no public link" in red.locator(".sources").inner_text()   # a source without a link says so
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width   # readable on a phone
        box = verdict.bounding_box()   # on a phone the page scrolls to the answer, below the form
        assert -1 <= box["y"] < height / 2
        shot = tmp_path / "page.png"
        page.screenshot(path=str(shot))
        keep_screenshot(shot, f"web-page-{width}.png")


def test_web_page_says_could_not_tell_in_its_verdict(server):
    text = "岗位职责：负责CDN节点运维。任职要求：本科。"
    with browser_page(390, 844) as page:
        page.goto(f"{server}/?text={urllib.parse.quote(text)}&lang=zh")
        page.wait_for_selector("body[data-state=done]")
        verdict = page.locator("#verdict")
        assert verdict.get_attribute("data-tone") == "unknown" and "无法判断" in verdict.inner_text()
        assert "不等于无需许可" in verdict.inner_text() and "B12 (招聘)" in verdict.inner_text()
