"""The PDF report, tested by its rendered pages: printed by Chromium, read back with PDFium."""
from __future__ import annotations

import pypdfium2

from classifier.surfaces.pdf import html_to_pdf, print_command

from browsing import keep_screenshot, require_chromium
from conftest import run_cli

require_chromium()

PROFILE_TEXT = "为外贸企业提供中国与新加坡之间的跨境SD-WAN组网"


def _pages(path):
    document = pypdfium2.PdfDocument(str(path))
    return [(page.get_textpage().get_text_bounded(), page.render(scale=1.5).to_pil()) for page in document]


def test_pdf_first_page_shows_the_verdict_and_every_page_renders(capsys, tmp_path):
    target = tmp_path / "report.pdf"
    code, _, err = run_cli(capsys, "classify", PROFILE_TEXT, "--as-of", "2025-06-01", "--report", "pdf",
                           "-o", str(target))
    assert code == 0 and f"wrote {target}" in err
    pages = _pages(target)
    assert len(pages) >= 2
    first_text, first_image = pages[0]
    # The first screen says what to do: headline, licences, the red line by its title, in both languages.
    for words in ("触碰红线：先调整方案", "Crosses a red line: change the set-up first", "A14-4", "B13",
                  "跨境专线、VPN或加速", "change the set-up first"):
        assert words in first_text.replace("\r\n", ""), words
    everything = "".join(text for text, _ in pages)
    assert "出处 / Sources" in everything and "https://www.gov.cn/gongbao/content/2016/content_5139478.htm" in everything
    for internal in ("LawRefBook", "GitHub file", ".yaml", "{{"):
        assert internal not in everything
    for text, image in pages:   # no blank page: each has ink
        assert text.strip() and image.convert("L").getextrema()[0] < 100
    # The verdict block's red border is printed near the top of page one (tone "stop").
    top = first_image.crop((0, 0, first_image.width, first_image.height // 3)).convert("RGB")
    assert any(r > 170 and g < 60 and b < 60 for _, (r, g, b) in top.getcolors(1 << 24))
    shot = tmp_path / "report-page1.png"
    first_image.save(shot)
    keep_screenshot(shot, "report-pdf-page1.png")


def test_pdf_embeds_a_cjk_font_and_clickable_links(tmp_path):
    html = ("<!doctype html><meta charset=utf-8><p>需要取得B13经营许可</p>"
            "<a href='https://www.miit.gov.cn/'>工业和信息化部</a>")
    data = html_to_pdf(html)
    assert data.startswith(b"%PDF") and b"/URI" in data and b"miit.gov.cn" in data
    assert b"CJK" in data   # Chinese is drawn with a CJK font, not boxes
    target = tmp_path / "tiny.pdf"
    target.write_bytes(data)
    ((text, _),) = _pages(target)
    assert "需要取得B13经营许可" in text


def test_print_command_is_offline_and_headless(tmp_path):
    command = print_command("chromium", tmp_path / "a.html", tmp_path / "a.pdf", tmp_path / "profile")
    assert "--headless" in command and "--disable-background-networking" in command
    assert command[-1] == (tmp_path / "a.html").as_uri() and f"--print-to-pdf={tmp_path / 'a.pdf'}" in command
