"""The self-contained HTML audit report: totals, a chart of codes and red lines, a table filterable
by code and severity, and each record's text with its evidence highlighted and the reasons beside it.

Rows are rendered as results arrive and kept in a temporary file; the page is assembled when the
totals are known, so memory stays flat on large audits.
"""
from __future__ import annotations

import shutil
import tempfile

from classifier.surfaces.audit.records import Record, Skipped, Summary
from classifier.surfaces.documents import _environment
from classifier.findings.result import SEVERITY_LABEL, Result


def highlighted(text: str, result: Result) -> list[tuple[str, str | None]]:
    """``text`` cut into (segment, reason-or-None) pieces, evidence spans carrying their reasons."""
    marks: dict[tuple[int, int], list[str]] = {}
    for business in result.businesses:
        for e in business.evidence:
            if e.start is not None:
                marks.setdefault((e.start, e.end), []).append(business.code)
    for red in result.red_lines:
        for e in red.evidence:
            if e.start is not None:
                marks.setdefault((e.start, e.end), []).append(red.id)
    pieces, at = [], 0
    for (start, end), reasons in sorted(marks.items()):
        if start < at:
            continue  # overlapping spans: the earlier one is kept
        pieces.append((text[at:start], None))
        pieces.append((text[start:end], ", ".join(dict.fromkeys(reasons))))
        at = end
    pieces.append((text[at:], None))
    return [(segment, reason) for segment, reason in pieces if segment]


class HtmlAuditReport:
    """Rows as they come, the page around them at the end (``out``: the open file it is written to)."""

    def __init__(self, out):
        self.out = out
        self.rows = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.row_template = _environment().get_template("audit_row.html.j2")

    def add(self, record: Record, result: Result) -> None:
        text = result.input.get("text") or result.input.get("profile", {}).get("description", "")
        self.rows.write(self.row_template.render(record=record, result=result, pieces=highlighted(text, result),
                                                 severity=SEVERITY_LABEL, worst=result.worst_severity() or "none"))

    def finish(self, summary: Summary, skipped: list[Skipped], partial: dict | None = None,
               shown: int | None = None) -> None:
        """Write the page: totals, chart, skipped records, then the rows. ``shown`` says the rows are only
        that many of the classified records (a registry-scale run shows the worst first)."""
        page = _environment().get_template("audit.html.j2").render(
            summary=summary, skipped=skipped, severity=SEVERITY_LABEL, partial=partial, shown=shown,
            codes=sorted(summary.codes.items(), key=lambda kv: (-kv[1], kv[0])),
            reds=sorted(summary.red_lines.items(), key=lambda kv: (-kv[1], kv[0])),
            top=max([1, *summary.codes.values(), *summary.red_lines.values()]),
        )
        head, tail = page.split("<!--ROWS-->")
        self.rows.seek(0)
        self.out.write(head)
        shutil.copyfileobj(self.rows, self.out)
        self.out.write(tail)
        self.rows.close()
