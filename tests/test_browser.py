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
    assert '<mark class="red" title="consumer_circumvention">翻墙</mark>' in dom


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
