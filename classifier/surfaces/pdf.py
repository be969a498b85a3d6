"""PDF documents: the HTML report printed by headless Chromium.

The report is one self-contained HTML file laid out for print (``@page``, no breaks inside the verdict
or a red line), so printing it gives the same document a founder sees on screen, with the fonts of
the machine (a CJK font such as Noto Sans CJK is needed for Chinese). Chromium's own print engine does
this better than a PDF library could re-implement it, and it is the browser the tests already drive;
it runs offline on a local file, with no network and a throwaway profile.

``TLC_CHROMIUM`` names the browser when it is not on the PATH as ``chromium``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from classifier.errors import PdfUnavailable

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
OFFLINE_FLAGS = ("--headless", "--disable-gpu", "--no-first-run", "--disable-sync", "--disable-extensions",
                 "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                 "--no-pdf-header-footer")
TIMEOUT = 120


def find_browser() -> str | None:
    """The Chromium to print with: ``$TLC_CHROMIUM``, else the first of ``BROWSERS`` on the PATH."""
    named = os.environ.get("TLC_CHROMIUM")
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def print_command(browser: str, page: Path, pdf: Path, profile: Path) -> list[str]:
    """The browser's command line that prints ``page`` to ``pdf``; root needs Chromium's sandbox off."""
    sandbox = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [browser, *OFFLINE_FLAGS, *sandbox, f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", page.as_uri()]


def html_to_pdf(html: str, browser: str | None = None) -> bytes:
    """The PDF of ``html`` (a self-contained page). Raises ``PdfUnavailable`` when no browser can print it."""
    browser = browser or find_browser()
    if browser is None:
        raise PdfUnavailable("a PDF needs Chromium to print the report, and none was found "
                             "(install chromium, or set TLC_CHROMIUM); --report html gives the same document")
    with tempfile.TemporaryDirectory(prefix="tlc-pdf-") as work:
        page, pdf = Path(work) / "report.html", Path(work) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        try:
            run = subprocess.run(print_command(browser, page, pdf, Path(work) / "profile"), capture_output=True,
                                 timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"{browser} could not print the report: {exc}", code="pdf_failed") from None
        data = pdf.read_bytes() if pdf.exists() else b""
        if not data.startswith(b"%PDF"):
            said = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise PdfUnavailable(f"{browser} printed no PDF (exit {run.returncode}: {said[0]})", code="pdf_failed")
        return data
