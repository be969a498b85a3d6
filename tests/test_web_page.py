"""The web page as a person uses it, in headless Chromium at desktop and phone widths: describe, classify,
answer the follow-up questions on the page, re-run; red lines with their sources; highlights after emoji.

The browser is driven over the DevTools protocol (the `websockets` client; Chromium from Debian's package,
see tests/test_browser.py for when these tests skip).
"""
from __future__ import annotations

import base64
import contextlib
import itertools
import json
import subprocess
import time

import pytest

from tests.test_browser import CHROMIUM, FLAGS, server  # noqa: F401  (the server fixture)

websockets = pytest.importorskip("websockets.sync.client")

DESKTOP = (1280, 900, False)
PHONE = (390, 844, True)


class Page:
    """One Chromium tab over the DevTools protocol: navigate, run script, wait for the page's state."""

    def __init__(self, tmp_path, width: int, height: int, mobile: bool):
        flags = [f for f in FLAGS if not f.startswith("--virtual-time-budget")]
        self.browser = subprocess.Popen([CHROMIUM, *flags, "--remote-debugging-port=0", f"--user-data-dir={tmp_path}",
                                         "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in self.browser.stderr:
            if line.startswith("DevTools listening on "):
                break
        self.stack = contextlib.ExitStack()
        self.socket = self.stack.enter_context(websockets.connect(line.split(" on ")[1].strip(), max_size=None,
                                                                  open_timeout=60))
        self.ids = itertools.count(1)
        target = self._send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self._send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=mobile)

    def _send(self, method: str, session: str | None = None, **params):
        ident = next(self.ids)
        message = {"id": ident, "method": method, "params": params, **({"sessionId": session} if session else {})}
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv(timeout=60))
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def call(self, method: str, **params):
        return self._send(method, self.session, **params)

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait(self, expression: str, seconds: float = 60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.js(expression):
                return
            time.sleep(0.05)
        raise TimeoutError(expression)

    def open(self, url: str):
        self.call("Page.navigate", url=url)
        self.wait("document.readyState === 'complete' && !!document.getElementById('form')")

    def classify(self, text: str):
        self.js(f"document.getElementById('text').value = {json.dumps(text)};"
                "document.body.dataset.state = ''; document.getElementById('go').click()")
        self.wait("document.body.dataset.state === 'done'")

    def answer(self, answers: dict[str, str]):
        for field, value in answers.items():
            self.js(f"document.querySelector('[data-answer=\"{field}\"]').value = {json.dumps(value)}")
        self.js("document.body.dataset.state = ''; document.getElementById('answer').click()")
        self.wait("document.body.dataset.state === 'done'")

    def questions(self) -> list[str]:
        return self.js("[...document.querySelectorAll('.question')].map(q => q.dataset.fact)")

    def screenshot(self, path):
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))

    def close(self):
        self.stack.close()
        self.browser.terminate()
        self.browser.wait(timeout=30)


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request, tmp_path):
    opened = Page(tmp_path / "profile", *request.param)
    yield opened
    opened.close()


def test_follow_up_questions_are_answered_on_the_page_and_re_run(page, server, tmp_path):  # noqa: F811
    page.open(server + "/?lang=en")
    page.classify("为企业客户提供SD-WAN组网服务")
    assert {"coverage_scope", "cross_border", "foreign_share"} <= set(page.questions())
    assert page.js("document.querySelector('[data-answer=coverage]').tagName") == "INPUT"
    assert page.js("document.querySelector('[data-answer=cross_border]').tagName") == "SELECT"
    page.answer({"coverage": "全国", "cross_border": "false", "foreign_share": "三成"})
    assert "coverage_scope" not in page.questions() and "cross_border" not in page.questions()
    assert "foreign_share = 三成" in page.js("document.querySelector('.answered').textContent")
    assert page.js("document.querySelector('.business[data-code=B13]').textContent").endswith("Authority: MIIT")
    page.screenshot(tmp_path / "answered.png")


def test_an_answer_it_cannot_read_is_explained_and_the_questions_stay(page, server):  # noqa: F811
    page.open(server + "/?lang=en")
    page.classify("为企业客户提供SD-WAN组网服务")
    page.answer({"foreign_share": "lots"})
    assert page.js("document.querySelector('#out .error').dataset.code") == "invalid_answer"
    assert "30%" in page.js("document.querySelector('#out .error').textContent")
    assert "foreign_share" in page.questions()
    page.answer({"foreign_share": "30%"})
    assert page.js("document.querySelector('#out .error')") is None


def test_red_lines_show_their_sources_and_highlights_hold_after_emoji(page, server):  # noqa: F811
    page.open(server + "/?lang=en")
    page.classify("🚀🚀 面向个人用户的翻墙加速器 😀")
    sources = page.js("[...document.querySelectorAll('[data-redline=consumer_circumvention] .sources li')]"
                      ".map(li => li.textContent)")
    assert sources and all(len(s) > 5 for s in sources)
    assert page.js("[...document.querySelectorAll('mark.red')].map(m => m.textContent)") == ["翻墙"]


def test_the_page_fits_the_screen(page, server, tmp_path):  # noqa: F811
    page.open(server + "/")
    page.classify("我们为外贸企业提供中国与新加坡之间的跨境专线和SD-WAN组网，覆盖全国")
    assert page.js("document.documentElement.scrollWidth <= window.innerWidth")
    width = page.js("window.innerWidth")
    one_column = page.js("document.getElementById('out').getBoundingClientRect().top >= "
                         "document.getElementById('form').getBoundingClientRect().bottom")
    assert one_column == (width < 720)
    page.screenshot(tmp_path / f"page-{width}.png")
