"""Markdown, HTML and PDF documents of a result, for founders and lawyers: the verdict first (licences,
authority, red lines, open questions, in two sentences per language), then each licence with its
authority, conditions judged for the company, materials, steps and timeline, obligations and penalties,
and every source with its title, issuing body, date and link where one exists — bilingual and cited.

Templates are jinja2 (``classifier/surfaces/templates``), HTML autoescaped; the HTML is one self-contained
file (inline CSS, no script) with a bar chart of the steps, laid out to print (the PDF is its print).
"""
from __future__ import annotations

import functools
import importlib.metadata
from typing import Any

import jinja2

from classifier.knowledge.catalogue import Catalogue
from classifier.findings.result import AUTHORITY_LABEL, ROLE_LABEL, SEVERITY_LABEL, Result
from classifier.findings.requirements import LicenceRequirements
from classifier.findings.sources import ReadableSource, readable, reading_order
from classifier.findings.verdict import red_line_title, verdict_of

DAYS_PER_UNIT = {"working_days": 7 / 5, "days": 1, "months": 30}
STATUS_LABEL = {"met": ("满足", "met", "✔"), "not_met": ("不满足", "not met", "✘"), "unknown": ("待确认", "unknown", "?")}
BASIS_LABEL = {"statutory": ("法定", "statutory"), "practice": ("实务", "practice")}


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("classifier.surfaces", "templates"),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),  # report.html.j2 escaped, report.md.j2 not
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def timeline(requirements: LicenceRequirements) -> list[dict[str, Any]]:
    """Steps laid end to end in calendar days (working days x 7/5), for the chart."""
    out, start = [], 0.0
    for step in requirements.steps:
        days = (step.duration or 0) * DAYS_PER_UNIT.get(step.unit or "days", 1)
        out.append({"step": step, "start": start, "days": days})
        start += days
    total = start or 1
    for row in out:
        row["left"] = 100 * row["start"] / total
        row["width"] = max(0.8, 100 * row["days"] / total)
    return out


def tool_version() -> str:
    """The installed tlc's version, so a reader can tell which tool wrote a report."""
    try:
        return importlib.metadata.version("tlc-classifier")
    except importlib.metadata.PackageNotFoundError:   # run from a tree that was never installed
        return "unknown"


def catalogue_source(catalogue: Catalogue) -> ReadableSource | None:
    """The catalogue's own text (the first of its sources that can be opened), which every code is read in."""
    kb = catalogue.kb
    linked = [i for i in reading_order(kb.info.sources, kb.sources) if kb.sources[i].url]
    return readable(kb.sources[linked[0]]) if linked else None


def _cited_ids(result: Result, catalogue: Catalogue) -> list[str]:
    """Every source the report cites, as it first appears: red lines, licences, then their requirements."""
    ids: list[str] = []
    for red in result.red_lines:
        ids += [c.id for c in red.citations]
    by_code = {r.code: r for r in result.requirements}
    for business in result.businesses:
        ids += [c.id for c in business.citations]
        req = by_code.get(business.code)
        if req is not None:
            for judged in req.conditions:
                ids += judged.condition.sources
            for group in (req.materials, req.steps, req.obligations, req.penalties):
                for entry in group:
                    ids += entry.sources
    return ids


def _view(result: Result, catalogue: Catalogue) -> dict[str, Any]:
    kb = catalogue.kb
    by_code = {r.code: r for r in result.requirements}
    licences = []
    for business in result.businesses:
        req = by_code.get(business.code)
        licences.append({"business": business, "req": req, "timeline": timeline(req) if req else [],
                         "citations": reading_order((c.id for c in business.citations), kb.sources)})
    red_lines = [{"finding": red, "title": red_line_title(catalogue, red.id),
                  "citations": reading_order((c.id for c in red.citations), kb.sources)} for red in result.red_lines]
    order = reading_order(_cited_ids(result, catalogue), kb.sources)
    mentions = list(dict.fromkeys((m.text, m.code, m.role) for m in result.mentions))
    return {
        "result": result, "verdict": result.verdict or verdict_of(result, catalogue), "licences": licences, "red_lines": red_lines,
        "sources": {i: readable(kb.sources[i]) for i in order}, "catalogue_source": catalogue_source(catalogue),
        "mentions": mentions, "roles": ROLE_LABEL, "status": STATUS_LABEL, "basis": BASIS_LABEL,
        "severity": SEVERITY_LABEL, "authority": AUTHORITY_LABEL, "input": result.input,
        "tool_version": tool_version(), "knowledge_version": kb.version,
    }


def render_markdown(result: Result, catalogue: Catalogue) -> str:
    return _environment().get_template("report.md.j2").render(**_view(result, catalogue))


def render_html(result: Result, catalogue: Catalogue) -> str:
    return _environment().get_template("report.html.j2").render(**_view(result, catalogue))
