"""The self-contained HTML audit report, for auditors and the managers they report to.

It opens with what a manager can read in a minute (how many records cross a red line, need a licence,
could not be told; which red line is most frequent; what to look at first), then the findings grouped
by red line with counts and examples that show the words behind each, a chart of codes, and a table
of every record that sorts, searches, filters and exports to CSV in the page (no network, no library).
The header names the date answered for, the tool version and the knowledge version, so a run can be
reproduced. Messages are in the language chosen (``--lang zh|en|both``).

Rows are rendered as results arrive and kept in a temporary file; the page is assembled when the
totals are known, so memory stays flat on large audits.
"""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from classifier.knowledge.catalogue import Catalogue
from classifier.findings.result import ROLE_LABEL, SEVERITIES, SEVERITY_LABEL, Result
from classifier.findings.verdict import red_line_title
from classifier.surfaces.audit.records import Record, Skipped, Summary
from classifier.surfaces.documents import _environment, tool_version

EXAMPLES = 3       # examples kept per red line
CONTEXT = 40       # characters shown either side of the evidence in an example
STATUS_LABEL = {"findings": ("需许可或有红线", "licence or red line"), "clear": ("无需许可", "no licence needed"),
                "unrecognised": ("无法判断", "could not tell")}


@dataclass(frozen=True)
class AuditContext:
    """What the report's header says, so that a reader can reproduce the run."""

    as_of: str
    knowledge_version: str
    inputs: tuple[str, ...] = ()
    fail_on: str = "basic_licence_required"
    lang: str = "both"
    hidden: tuple[str, ...] = ()   # the inputs' directories: kept out of messages the page repeats
    tool_version: str = field(default_factory=tool_version)
    generated: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def pick(lang: str, zh: str, en: str, sep: str = " / ") -> str:
    """The text in the chosen language: zh, en, or both."""
    return zh if lang == "zh" else en if lang == "en" else f"{zh}{sep}{en}"


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


def snippet(text: str, start: int | None, end: int | None, width: int = CONTEXT) -> tuple[str, str, str]:
    """(before, evidence, after) around one span, cut to ``width`` characters either side with '…'."""
    if start is None or end is None:
        return (text[: 2 * width] + ("…" if len(text) > 2 * width else ""), "", "")
    before = text[max(0, start - width):start]
    after = text[end:end + width]
    return (("…" if start > width else "") + before, text[start:end], after + ("…" if end + width < len(text) else ""))


@dataclass(frozen=True)
class Example:
    record_id: str
    row: int
    before: str
    words: str
    after: str


def record_text(result: Result) -> str:
    return result.input.get("text") or result.input.get("profile", {}).get("description", "")


def _records(n: int) -> str:
    return "the record" if n == 1 else f"the {n} records"


def manager_summary(summary: Summary, top: tuple[str, str, int] | None, lang: str) -> list[str]:
    """Three sentences a manager can read in a minute: the counts, the most frequent red line, what first.
    ``top`` is (title_zh, title_en, count) of the most frequent red line, if any."""
    counted = summary.statuses
    prohibited = summary.worst.get("prohibited", 0)
    unknown, clear = counted.get("unrecognised", 0), counted.get("clear", 0)
    red = summary.with_red_lines
    out = [pick(lang,
                f"共读取{summary.read}条记录：{red}条触碰红线（其中{prohibited}条为禁止性），{summary.with_licences}条需要取得许可，"
                f"{unknown}条无法判断，{clear}条无需许可，跳过{summary.skipped}条。",
                f"Of {summary.read} records read, {red} cross a red line ({prohibited} prohibited), "
                f"{summary.with_licences} need a licence, {unknown} could not be told, {clear} need none, and "
                f"{summary.skipped} were skipped.", "\n")]
    if top is not None:
        out.append(pick(lang, f"最常见的红线是“{top[0]}”（{top[2]}条）。",
                        f"The most frequent red line is “{top[1]}” ({top[2]} record{'s' if top[2] != 1 else ''}).", "\n"))
    if prohibited or red:
        n = prohibited or red
        which = "禁止性" if prohibited else ""
        first = (f"先处理{n}条触碰{which}红线的记录", f"Deal first with {_records(n)} that cross"
                 f"{'es' if n == 1 else ''} a {'prohibited ' if prohibited else ''}red line")
    else:
        first = ("没有记录触碰红线", "No record crosses a red line")
    then = (f"；另有{unknown}条无法判断，需人工查看或补充描述。", f"; {unknown} could not be told and need a person to "
            f"look or a fuller description.") if unknown else ("。", ".")
    out.append(pick(lang, first[0] + then[0], first[1] + then[1], "\n"))
    return out


class HtmlAuditReport:
    """Rows as they come, the page around them at the end (``out``: the open file it is written to)."""

    def __init__(self, out, catalogue: Catalogue, context: AuditContext):
        self.out = out
        self.catalogue = catalogue
        self.context = context
        self.rows = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.examples: dict[str, list[Example]] = {}
        self.count = 0
        self.as_of = context.as_of

    def add(self, record: Record, result: Result) -> None:
        self.place(record, render_row(record, result, self.catalogue, self.context.lang))

    def place(self, record: Record, rendered: "RenderedRow") -> None:
        """Put a row rendered elsewhere (an audit worker) in its place: its number, and its examples."""
        self.count += 1
        self.as_of = rendered.as_of
        for red_id, before, words, after in rendered.examples:
            kept = self.examples.setdefault(red_id, [])
            if len(kept) < EXAMPLES:
                kept.append(Example(record.id, self.count, before, words, after))
        self.rows.write(rendered.html.replace(ROW_MARK, str(self.count)))

    def _groups(self, summary: Summary) -> list[dict]:
        """Red lines by how many records cross them, worst first where counts tie, with their examples."""
        specs = self.catalogue.kb.red_lines
        groups = []
        for red_id, count in summary.red_lines.items():
            spec = specs.get(red_id)
            severity = spec.severity if spec is not None else "review"
            groups.append({"id": red_id, "count": count, "severity": severity,
                           "title": red_line_title(self.catalogue, red_id),
                           "message": (spec.message_zh, spec.message_en) if spec is not None else ("", ""),
                           "examples": self.examples.get(red_id, [])})
        return sorted(groups, key=lambda g: (-g["count"], SEVERITIES.index(g["severity"]), g["id"]))

    def finish(self, summary: Summary, skipped: list[Skipped], partial: dict | None = None,
               shown: int | None = None) -> None:
        """Write the page: summary, findings by red line, chart, skipped records, then the rows. ``shown``
        says the rows are only that many of the classified records (a registry-scale run shows the worst
        first)."""
        if partial is not None:   # file:line, without the directories
            reason = str(partial.get("reason", ""))
            for directory in sorted(self.context.hidden, key=len, reverse=True):
                reason = reason.replace(directory.rstrip("/") + "/", "")
            partial = {**partial, "reason": reason, "last": Path(partial["last"]).name if partial.get("last") else ""}
        groups = self._groups(summary)
        top = (groups[0]["title"][0], groups[0]["title"][1], groups[0]["count"]) if groups else None
        context = self.context
        page = _environment().get_template("audit.html.j2").render(
            summary=summary, skipped=skipped, severity=SEVERITY_LABEL, partial=partial, groups=groups, shown=shown,
            codes=sorted(summary.codes.items(), key=lambda kv: (-kv[1], kv[0])),
            top=max([1, *summary.codes.values()]), lang=context.lang, pick=pick, context=context,
            as_of=self.as_of, sentences=manager_summary(summary, top, context.lang), status_label=STATUS_LABEL,
            skipped_where=[(_place(s.source, s.line), s.reason) for s in skipped],
        )
        head, tail = page.split("<!--ROWS-->")
        self.rows.seek(0)
        self.out.write(head)
        shutil.copyfileobj(self.rows, self.out)
        self.out.write(tail)
        self.rows.close()


ROW_MARK = "\x00row\x00"   # where a rendered row's number goes; no text tlc reads holds a NUL


@dataclass(frozen=True)
class RenderedRow:
    """One record's table row, rendered where the result is (an audit worker), numbered when placed."""

    html: str
    examples: tuple[tuple[str, str, str, str], ...]   # (red line, before, words, after) per red line crossed
    as_of: str


def render_row(record: Record, result: Result, catalogue: Catalogue, lang: str) -> RenderedRow:
    """The row of ``record`` in the report's table, and an example of the words behind each red line."""
    text = record_text(result)
    examples = []
    for red in result.red_lines:
        span = next((e for e in red.evidence if e.start is not None), None)
        examples.append((red.id, *snippet(text, span and span.start, span and span.end)))
    html = _environment().get_template("audit_row.html.j2").render(
        record=record, result=result, pieces=highlighted(text, result), row=ROW_MARK, severity=SEVERITY_LABEL,
        worst=result.worst_severity() or "none", rank=_severity_rank(result), lang=lang, pick=pick,
        red_ids=set(result.red_line_ids), status_label=STATUS_LABEL, roles=ROLE_LABEL,
        titles={red.id: red_line_title(catalogue, red.id) for red in result.red_lines}, where=_where(record))
    return RenderedRow(html, tuple(examples), result.as_of)


def _severity_rank(result: Result) -> int:
    """Sort key of a record's worst red line: 0 prohibited … 3 review, 4 none."""
    worst = result.worst_severity()
    return SEVERITIES.index(worst) if worst else len(SEVERITIES)


def _where(record: Record) -> str:
    """Where a record came from, by file name and line: the auditor's own directories stay out of the page."""
    return _place(record.source, record.line)


def _place(source: str, line: int | None) -> str:
    """file:line by file name (stdin for '-'); the file alone where no line is known (a Spark record)."""
    name = Path(source).name if source not in ("-", "") else "stdin"
    return name if line is None else f"{name}:{line}"
