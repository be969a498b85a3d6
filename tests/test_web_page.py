"""The web page as a person uses it, in headless Chromium at desktop and phone widths: describe, classify,
answer the follow-up questions on the page, re-run; red lines with their sources; highlights after emoji.

The browser is driven by Playwright (Chromium from Debian's package; tests/browsing.py says when these
tests skip).
"""
from __future__ import annotations

import json

import pytest

from tests.browsing import browser_page
from tests.test_browser import server  # noqa: F401  (the server fixture)

DESKTOP = (1280, 900, False)
PHONE = (390, 844, True)


class Page:
    """The page as these tests use it: open, run script, wait for the page's own state."""

    def __init__(self, page):
        self.page = page

    def js(self, expression: str):
        return self.page.evaluate(expression)

    def wait(self, expression: str, seconds: float = 60):
        self.page.wait_for_function(expression, timeout=seconds * 1000)

    def open(self, url: str):
        self.page.goto(url)
        self.wait("document.readyState === 'complete' && !!document.getElementById('form')")

    def classify(self, text: str):
        self.js(f"() => {{ document.getElementById('text').value = {json.dumps(text)}; "
                "document.body.dataset.state = ''; document.getElementById('go').click(); }")
        self.wait("document.body.dataset.state === 'done'")

    def answer(self, answers: dict[str, str]):
        for field, value in answers.items():
            self.js(f"() => {{ document.querySelector('[data-answer=\"{field}\"]').value = {json.dumps(value)}; }}")
        self.js("() => { document.body.dataset.state = ''; document.getElementById('answer').click(); }")
        self.wait("document.body.dataset.state === 'done'")

    def questions(self) -> list[str]:
        return self.js("[...document.querySelectorAll('.question')].map(q => q.dataset.fact)")

    def screenshot(self, path):
        self.page.screenshot(path=str(path))


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request):
    with browser_page(*request.param) as opened:
        yield Page(opened)


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
