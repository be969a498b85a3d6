"""What a result looks like to its caller: the full ``tlc.result/1`` or the brief ``tlc.brief/1``, in Chinese,
English or both. One function, ``view``, serves the CLI's ``--json``, HTTP and MCP, so they agree.

The brief answer is for agents that pay per token: codes with names and authority, red lines with one
citation each, the open questions and the status; evidence, rules and the other citations stay in the
full result.
"""
from __future__ import annotations

from typing import Any, Literal

from classifier.findings.contract import BRIEF_SCHEMA
from classifier.findings.result import Result

Detail = Literal["full", "brief"]
Lang = Literal["zh", "en", "both"]
DETAILS = ("full", "brief")
LANGS = ("zh", "en", "both")


def view(result: Result, detail: Detail = "full", lang: Lang = "both", trace: bool = False) -> dict[str, Any]:
    """The JSON a caller gets: ``detail`` full (tlc.result/1; the trace only with ``trace``) or brief
    (tlc.brief/1), with text fields in ``lang``."""
    if detail == "brief":
        data = brief(result)
    else:
        data = result.to_dict()
        if not trace:
            data["trace"] = []
    return in_language(data, lang)


def brief(result: Result) -> dict[str, Any]:
    """tlc.brief/1: the decision, without evidence, rules or trace (see classifier/findings/contract.py)."""
    codes = []
    for b in result.businesses:
        entry = {"code": b.code, "name_zh": b.name_zh, "name_en": b.name_en, "authority": b.authority}
        if b.confidence == "unverified":
            entry["unverified"] = True
        codes.append(entry)
    red_lines = []
    for r in result.red_lines:
        entry = {"id": r.id, "severity": r.severity, "message_zh": r.message_zh, "message_en": r.message_en,
                 "citation": r.citations[0].to_dict() if r.citations else None}
        if r.requires:
            entry["requires"] = list(r.requires)
        red_lines.append(entry)
    questions = []
    for q in result.questions:
        entry = {"field": q.field or q.fact, "question_zh": q.question_zh, "question_en": q.question_en,
                 "answer_type": q.answer_type}
        if q.options:
            entry["options"] = list(q.options)
        questions.append(entry)
    kind = result.input_kind.id if result.input_kind is not None and result.input_kind.how != "profile" else None
    return {"schema": BRIEF_SCHEMA, "status": result.status, "as_of": result.as_of, "kind": kind, "codes": codes,
            "red_lines": red_lines, "questions": questions}


def in_language(data: Any, lang: Lang) -> Any:
    """``data`` with the other language's text fields (``*_en`` for zh, ``*_zh`` for en) left out; both: as is."""
    if lang == "both":
        return data
    other = "_en" if lang == "zh" else "_zh"

    def strip(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: strip(v) for k, v in item.items() if not k.endswith(other)}
        if isinstance(item, list):
            return [strip(v) for v in item]
        return item

    return strip(data)
