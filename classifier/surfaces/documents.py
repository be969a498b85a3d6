"""Markdown and HTML documents of a result: each licence with its authority, conditions judged for
the company, materials, steps and timeline, obligations and penalties — bilingual and cited.

Templates are jinja2 (``classifier/surfaces/templates``), HTML autoescaped; the HTML is one self-contained
file (inline CSS, no script) with a bar chart of the steps.
"""
from __future__ import annotations

import functools
from typing import Any

import jinja2

from classifier.knowledge.catalogue import Catalogue
from classifier.findings.result import AUTHORITY_LABEL, SEVERITY_LABEL, Result
from classifier.findings.requirements import LicenceRequirements

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


def _view(result: Result, catalogue: Catalogue) -> dict[str, Any]:
    by_code = {r.code: r for r in result.requirements}
    cited: dict[str, Any] = {}

    def cite(ids):
        for source_id in ids:
            if source_id in catalogue.kb.sources:
                cited[source_id] = catalogue.kb.sources[source_id]
        return list(ids)

    licences = []
    for business in result.businesses:
        req = by_code.get(business.code)
        cite(c.id for c in business.citations)
        if req is not None:
            for group in (req.materials, req.steps, req.obligations, req.penalties):
                for entry in group:
                    cite(entry.sources)
            for judged in req.conditions:
                cite(judged.condition.sources)
        licences.append({"business": business, "req": req, "timeline": timeline(req) if req else []})
    for red in result.red_lines:
        cite(c.id for c in red.citations)
    return {
        "result": result, "licences": licences, "sources": cited, "status": STATUS_LABEL, "basis": BASIS_LABEL,
        "severity": SEVERITY_LABEL, "authority": AUTHORITY_LABEL, "input": result.input,
    }


def render_markdown(result: Result, catalogue: Catalogue) -> str:
    return _environment().get_template("report.md.j2").render(**_view(result, catalogue))


def render_html(result: Result, catalogue: Catalogue) -> str:
    return _environment().get_template("report.html.j2").render(**_view(result, catalogue))
