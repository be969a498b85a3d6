"""Stage 6: the ``Result`` — typed findings, their stable JSON (``tlc.result/1``), and readable text.

The JSON keys are a contract for chatbot back ends and auditors: add keys freely, never rename or
remove one without a new schema version.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "tlc.result/1"
SEVERITIES = ("prohibited", "basic_licence_required", "condition_unmet", "review")
SEVERITY_LABEL = {
    "prohibited": ("禁止", "prohibited"),
    "basic_licence_required": ("需基础电信许可", "basic licence required"),
    "condition_unmet": ("条件不满足", "condition unmet"),
    "review": ("需复核", "review"),
}
ROLE_LABEL = {  # what a mention is to the text's subject (``Mention.role``)
    "negated": ("否认经营", "denied"), "self_use": ("自用", "own use"), "partner": ("由基础运营商提供", "run by an operator"),
    "vendor": ("设备或软件供应", "equipment or software"), "uses": ("使用他人服务", "used or bought"),
    "required": ("对他人的许可要求", "licence required of others"), "asked": ("询问", "asked about"),
    "discussed": ("讨论或报道", "discussed"), "recruits": ("招聘", "recruited for"), "procures": ("采购", "procured"),
    "documents": ("自部署软件文档", "self-run software documented"), "makes": ("设备制造", "equipment made"),
}
AUTHORITY_LABEL = {"MIIT": ("工业和信息化部", "MIIT"), "provincial": ("省级通信管理局", "provincial communications administration")}


@dataclass(frozen=True)
class Evidence:
    """Words that support a finding: a span of the text, or a fact the profile stated."""

    text: str
    start: int | None
    end: int | None
    source: str = "text"

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "source": self.source}


@dataclass(frozen=True)
class Citation:
    id: str
    title: str
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "url": self.url}


@dataclass(frozen=True)
class Business:
    code: str
    name_zh: str
    name_en: str
    kind: str
    licence_class: str | None
    authority: str | None
    items: tuple[tuple[str, str, str], ...]      # (id, name_zh, name_en)
    evidence: tuple[Evidence, ...]
    rules: tuple[str, ...]
    confidence: str
    citations: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name_zh": self.name_zh, "name_en": self.name_en, "kind": self.kind,
            "class": self.licence_class, "authority": self.authority,
            "items": [{"id": i, "name_zh": zh, "name_en": en} for i, zh, en in self.items],
            "evidence": [e.to_dict() for e in self.evidence], "rules": list(self.rules),
            "confidence": self.confidence, "citations": [c.to_dict() for c in self.citations],
        }


def unverified_note(codes: tuple[str, ...]) -> tuple[str, str]:
    """The sentence an answer adds when it names catalogue codes marked ``unverified`` ("" when none)."""
    if not codes:
        return "", ""
    several = len(codes) > 1
    return (f"（注：业务编号{'、'.join(codes)}未经核实。）",
            f" (Note: code{'s' if several else ''} {', '.join(codes)} {'are' if several else 'is'} unverified.)")


@dataclass(frozen=True)
class RedLineFinding:
    id: str
    severity: str
    requires: tuple[str, ...]
    codes: tuple[str, ...]
    message_zh: str
    message_en: str
    evidence: tuple[Evidence, ...]
    citations: tuple[Citation, ...]
    rules: tuple[str, ...]
    unverified: tuple[str, ...] = ()   # codes it names (requires, codes) whose catalogue code is unverified

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "severity": self.severity, "requires": list(self.requires), "codes": list(self.codes),
            "message_zh": self.message_zh, "message_en": self.message_en,
            "evidence": [e.to_dict() for e in self.evidence], "citations": [c.to_dict() for c in self.citations],
            "rules": list(self.rules), "unverified_codes": list(self.unverified),
        }


@dataclass(frozen=True)
class Question:
    """A fact still unknown whose answer would change the result, and how to answer it: under ``field``
    (or ``fact``) in ``answers``, as ``answer_type`` says (an offered option always works)."""

    fact: str
    question_zh: str
    question_en: str
    options: tuple[str, ...]
    codes: tuple[str, ...]
    field: str = ""              # the profile field the answer fills (coverage for coverage_scope)
    answer_type: str = "text"    # text/answers.py ANSWER_TYPES
    accepted: str = ""           # the forms an answer may take, in one line

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "field": self.field or self.fact, "question_zh": self.question_zh,
                "question_en": self.question_en, "answer_type": self.answer_type, "options": list(self.options),
                "accepted": self.accepted, "codes": list(self.codes)}


@dataclass(frozen=True)
class Mention:
    """A service the text names without its subject operating it: discussed, asked about, used, bought,
    required of others, recruited for, procured, denied ... (``role``). Auditors see what a text talks
    about beside what it operates."""

    role: str
    text: str
    start: int
    end: int
    signal: str
    code: str | None = None
    service: str | None = None
    confidence: str | None = None   # the catalogue confidence of ``code``

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "text": self.text, "start": self.start, "end": self.end, "signal": self.signal,
                "code": self.code, "service": self.service, "confidence": self.confidence}


@dataclass(frozen=True)
class InputKind:
    """What kind of text was classified, how that was decided, and the words that decided it."""

    id: str
    label_zh: str
    label_en: str
    how: str                     # stated | detected | profile
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label_zh": self.label_zh, "label_en": self.label_en, "how": self.how,
                "evidence": [e.to_dict() for e in self.evidence]}


STATUSES = ("findings", "clear", "unrecognised")


@dataclass(frozen=True)
class TraceEntry:
    rule: str
    stage: str
    matched: tuple[dict, ...]
    concluded: tuple[dict, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "stage": self.stage, "matched": list(self.matched),
                "concluded": list(self.concluded)}


@dataclass(frozen=True)
class Result:
    """What ``classify`` answers. ``to_dict()`` is the stable ``tlc.result/1`` JSON."""

    input: dict[str, Any]
    as_of: str
    businesses: tuple[Business, ...]
    red_lines: tuple[RedLineFinding, ...]
    questions: tuple[Question, ...]
    trace: tuple[TraceEntry, ...] = field(repr=False, default=())
    requirements: tuple = ()      # LicenceRequirements per business, when asked for
    claims: tuple = ()            # claims.ClaimFinding: licence claims in the text that do not hold
    # findings: a business or red line; clear: the subject's own conduct was recognised and needs no
    # licence; unrecognised: no service the subject operates could be read ("could not tell", never clean)
    status: str = "unrecognised"
    input_kind: InputKind | None = None
    mentions: tuple[Mention, ...] = ()
    verdict: Any = None           # verdict.Verdict: what the result means, in two sentences per language

    def signature(self) -> tuple:
        """What a question's answer could change: codes and items, authorities, red lines, conditions."""
        return (
            tuple((b.code, b.authority, tuple(i for i, _, _ in b.items)) for b in self.businesses),
            tuple((r.id, r.codes) for r in self.red_lines),
            tuple((q.code, q.statuses()) for q in self.requirements),
        )

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(b.code for b in self.businesses)

    @property
    def red_line_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.red_lines)

    def worst_severity(self) -> str | None:
        found = [r.severity for r in self.red_lines]
        return min(found, key=SEVERITIES.index) if found else None

    @property
    def text(self) -> str:
        """The text the evidence offsets point into: the text given, or the profile's description."""
        return self.input.get("text") or self.input.get("profile", {}).get("description", "")

    def to_dict(self) -> dict[str, Any]:
        data = {
            "schema": SCHEMA,
            "input": self.input,
            "as_of": self.as_of,
            "status": self.status,
            "verdict": self.verdict.to_dict() if self.verdict is not None else None,
            "input_kind": self.input_kind.to_dict() if self.input_kind else None,
            "businesses": [b.to_dict() for b in self.businesses],
            "red_lines": [r.to_dict() for r in self.red_lines],
            "questions": [q.to_dict() for q in self.questions],
            "requirements": [r.to_dict() for r in self.requirements],
            "claims": [c.to_dict() for c in self.claims],
            "mentions": [m.to_dict() for m in self.mentions],
            "trace": [t.to_dict() for t in self.trace],
        }
        at = utf16_offset(self.text)
        spans = [*(data["input_kind"] or {}).get("evidence", ()), *data["mentions"],
                 *(e for part in ("businesses", "red_lines", "claims") for item in data[part] for e in item["evidence"])]
        for span in spans:
            span["start_utf16"], span["end_utf16"] = at(span["start"]), at(span["end"])
        return data


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_offset(text: str):
    """A function from a code-point offset into ``text`` (what ``start``/``end`` count, as Python does) to
    the UTF-16 offset (what JavaScript's string indices count): each character beyond U+FFFF before it
    (an emoji, a rare CJK ideograph) takes two UTF-16 units. None stays None."""
    astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
    if not astral:
        return lambda offset: offset
    return lambda offset: None if offset is None else offset + bisect.bisect_left(astral, offset)


MECHANISMS = (  # conclusions drawn from data tables between the rule passes, not by a YAML rule
    ("relation.", "escalates_to edge of the catalogue graph (knowledge/relations.yaml)"),
    ("foreign_investment.", "foreign-ownership cap table (knowledge/foreign_investment.yaml)"),
    ("licences_held.", "licences the profile says are held"),
)


def _quote(evidence: tuple[Evidence, ...], limit: int = 4) -> str:
    shown = []
    for e in evidence[:limit]:
        shown.append(f"「{e.text}」" + (f"@{e.start}" if e.start is not None else " (profile)"))
    more = f" +{len(evidence) - limit}" if len(evidence) > limit else ""
    return " ".join(shown) + more


def render_text(result: Result, lang: str = "both", rules: dict | None = None) -> str:
    """The result for a person at a terminal: zh, en or both. With ``rules`` (rule id -> Rule) each
    business and red line also shows the rules that concluded it, with their descriptions and sources."""
    zh, en = lang in ("zh", "both"), lang in ("en", "both")

    def why(rule_ids) -> list[str]:
        if rules is None:
            return []
        lines = []
        for rule_id in rule_ids:
            rule = rules.get(rule_id)
            if rule is not None:
                text = f"{rule.description} ({', '.join(rule.sources)})"
            else:
                text = next((label for prefix, label in MECHANISMS if rule_id.startswith(prefix)), "")
            lines.append(f"      ← {rule_id}: {text}")
        return lines

    def line(text_zh: str, text_en: str) -> str:
        return " / ".join(t for t, on in ((text_zh, zh), (text_en, en)) if on)

    out = [line(f"判定日期 {result.as_of}", f"as of {result.as_of}")]
    if result.input_kind is not None and result.input_kind.how != "profile":
        kind = result.input_kind
        cues = "、".join(f"「{e.text}」" for e in kind.evidence[:4])
        how_zh, how_en = ("按用户指定", "as stated") if kind.how == "stated" else ("据", "from")
        out.append(line(f"文本类型：{kind.label_zh}" + (f"（{how_zh}{cues}）" if cues or kind.how == "stated" else ""),
                        f"read as: {kind.label_en}" + (f" ({how_en} {cues})" if cues or kind.how == "stated" else "")))
    out.append("")
    if result.businesses:
        out.append(line("所经营的电信业务与所需许可：", "Businesses operated and licences needed:"))
        for b in result.businesses:
            names = line(b.name_zh, b.name_en)
            if b.authority:
                auth = line(AUTHORITY_LABEL[b.authority][0], AUTHORITY_LABEL[b.authority][1])
            else:
                auth = line("审批机关待定（见问题）", "authority depends on coverage (see questions)")
            out.append(f"  {b.code}  {names}  [{auth}]" + ("  (unverified)" if b.confidence == "unverified" else ""))
            for item_id, item_zh, item_en in b.items:
                out.append(f"      {item_id}  {line(item_zh, item_en)}")
            if b.evidence:
                out.append(f"      {line('依据', 'evidence')}: {_quote(b.evidence)}")
            out += why(b.rules)
    elif result.status == "clear":
        out.append(line("未发现需要电信业务经营许可的业务。", "No business that needs a telecom licence was found."))
    else:
        out.append(line("无法判断：文本没有描述其主体经营的电信业务（不等于无需许可）。",
                        "Could not tell: the text describes no telecom service its subject operates "
                        "(this is not a clean bill)."))
    if result.red_lines:
        out += ["", line("红线：", "Red lines:")]
        for r in result.red_lines:
            label = line(*SEVERITY_LABEL[r.severity])
            codes = f" ({', '.join(r.codes)})" if r.codes else ""
            out.append(f"  ✗ {r.id}{codes} [{label}]")
            if zh:
                out.append(f"      {r.message_zh}")
            if en:
                out.append(f"      {r.message_en}")
            if r.requires:
                required = ", ".join(c + (" (unverified)" if c in r.unverified else "") for c in r.requires)
                out.append(f"      {line('需要', 'requires')}: {required}")
            if r.evidence:
                out.append(f"      {line('依据', 'evidence')}: {_quote(r.evidence)}")
            out.append(f"      {line('出处', 'sources')}: {', '.join(c.id for c in r.citations)}")
            out += why(r.rules)
    if result.mentions:
        out += ["", line("仅提及（未由主体经营）：", "Mentioned only (not operated by the subject):")]
        shown = list(dict.fromkeys((m.text, m.code, m.role, m.confidence) for m in result.mentions))
        for text, code, role, confidence in shown[:12]:
            label = line(*ROLE_LABEL.get(role, (role, role)))
            mark = " (unverified)" if confidence == "unverified" else ""
            out.append(f"  · 「{text}」" + (f" → {code}{mark}" if code else "") + f"  [{label}]")
        if len(shown) > 12:
            out.append(f"  … +{len(shown) - 12}")
    if result.claims:
        out += ["", line("许可声明不符：", "Licence claims that do not hold:")]
        for claim in result.claims:
            out.append(f"  ≠ {claim.claimed}: " + line(claim.message_zh, claim.message_en))
    if result.questions:
        out += ["", line("还需确认：", "Questions that would change the answer:")]
        for q in result.questions:
            options = f"  [{' | '.join(q.options)}]" if q.options else ""
            out.append(f"  ? {line(q.question_zh, q.question_en)}{options}")
    return "\n".join(out)
