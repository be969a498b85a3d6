"""The verdict: what a result means for the person who asked, in two sentences per language.

Every surface opens with it (the founder's report, the PDF, the web page, the API's ``verdict``), so a
reader knows from the first screen what to do next: which licences, from whom, which red lines to fix
first, which questions would change the answer. Three things are never blurred: a result that could
not tell ("unrecognised") never reads as "no licence needed", services a text only mentions are never
counted as findings, and a red line always outranks a licence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from classifier.knowledge.catalogue import Catalogue
from classifier.findings.result import AUTHORITY_LABEL, ROLE_LABEL, SEVERITIES, SEVERITY_LABEL, Result

TONES = ("stop", "caution", "licence", "clear", "unknown")
STOP_SEVERITIES = ("prohibited", "basic_licence_required")   # the set-up must change before anything else
LISTED = 3   # licences and red lines named in a sentence; the rest are counted

HEADLINE = {
    "stop": ("触碰红线：先调整方案", "Crosses a red line: change the set-up first"),
    "caution": ("有条件未满足：先处理再申请", "A condition is not met: resolve it first"),
    "licence": ("需要电信业务经营许可", "A telecom licence is needed"),
    "clear": ("无需电信业务经营许可", "No telecom licence needed"),
    "unknown": ("无法判断", "Could not tell"),
}


@dataclass(frozen=True)
class VerdictLicence:
    code: str
    name_zh: str
    name_en: str
    authority_zh: str | None     # None: depends on coverage (a question asks it)
    authority_en: str | None
    unverified: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name_zh": self.name_zh, "name_en": self.name_en,
                "authority_zh": self.authority_zh, "authority_en": self.authority_en, "unverified": self.unverified}


@dataclass(frozen=True)
class VerdictRedLine:
    id: str
    title_zh: str
    title_en: str
    severity: str

    def to_dict(self) -> dict[str, Any]:
        zh, en = SEVERITY_LABEL[self.severity]
        return {"id": self.id, "title_zh": self.title_zh, "title_en": self.title_en, "severity": self.severity,
                "severity_zh": zh, "severity_en": en}


@dataclass(frozen=True)
class VerdictMention:
    code: str
    role_zh: str
    role_en: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "role_zh": self.role_zh, "role_en": self.role_en}


@dataclass(frozen=True)
class Verdict:
    """``tone`` (stop, caution, licence, clear, unknown) colours the block; the headline and the two
    sentences per language say it; the lists are what the sentences are made of, for a facts table."""

    tone: str
    headline_zh: str
    headline_en: str
    sentences_zh: tuple[str, str]
    sentences_en: tuple[str, str]
    licences: tuple[VerdictLicence, ...]
    red_lines: tuple[VerdictRedLine, ...]
    questions: int
    mentioned: tuple[VerdictMention, ...]

    @property
    def text_zh(self) -> str:
        return "".join(self.sentences_zh)

    @property
    def text_en(self) -> str:
        return " ".join(self.sentences_en)

    def to_dict(self) -> dict[str, Any]:
        return {"tone": self.tone, "headline_zh": self.headline_zh, "headline_en": self.headline_en,
                "sentences_zh": list(self.sentences_zh), "sentences_en": list(self.sentences_en),
                "licences": [item.to_dict() for item in self.licences],
                "red_lines": [item.to_dict() for item in self.red_lines],
                "questions": self.questions, "mentioned": [item.to_dict() for item in self.mentioned]}


def red_line_title(catalogue: Catalogue, red_line_id: str) -> tuple[str, str]:
    """The red line's heading (zh, en) from the knowledge; its id where the knowledge has no such line."""
    spec = catalogue.kb.red_lines.get(red_line_id)
    return (spec.title_zh, spec.title_en) if spec is not None else (red_line_id, red_line_id.replace("_", " "))


def _licences(result: Result) -> tuple[VerdictLicence, ...]:
    out = []
    for b in result.businesses:
        zh, en = AUTHORITY_LABEL[b.authority] if b.authority else (None, None)
        out.append(VerdictLicence(b.code, b.name_zh, b.name_en, zh, en, b.confidence == "unverified"))
    return tuple(out)


def _red_lines(result: Result, catalogue: Catalogue) -> tuple[VerdictRedLine, ...]:
    return tuple(VerdictRedLine(r.id, *red_line_title(catalogue, r.id), r.severity) for r in result.red_lines)


def _mentioned(result: Result) -> tuple[VerdictMention, ...]:
    """Each code the text only mentions, once, with the role it has to the subject (first seen)."""
    seen: dict[str, VerdictMention] = {}
    for m in result.mentions:
        if m.code and m.code not in seen and m.code not in result.codes:
            zh, en = ROLE_LABEL.get(m.role, (m.role, m.role))
            seen[m.code] = VerdictMention(m.code, zh, en)
    return tuple(seen.values())


def _tone(result: Result) -> str:
    if result.status == "unrecognised":
        return "unknown"
    if any(r.severity in STOP_SEVERITIES for r in result.red_lines):
        return "stop"
    if result.red_lines:
        return "caution"
    if result.businesses:
        return "licence"
    return "clear" if result.status == "clear" else "unknown"


def _listed(items: list[str], sep: str, more_zh: bool) -> str:
    shown = sep.join(items[:LISTED])
    rest = len(items) - LISTED
    if rest <= 0:
        return shown
    return f"{shown}等{len(items)}项" if more_zh else f"{shown} and {rest} more"


def _the(authority_en: str) -> str:
    """'MIIT' stands alone; 'provincial communications administration' takes the article."""
    return authority_en if authority_en.isupper() else "the " + authority_en


def _licence_sentence(licences: tuple[VerdictLicence, ...]) -> tuple[str, str]:
    zh = [f"{l.code} {l.name_zh}（{l.authority_zh + '审批' if l.authority_zh else '审批机关取决于覆盖范围'}）"
          for l in licences]
    en = [f"{l.code} {l.name_en} ({'granted by ' + _the(l.authority_en) if l.authority_en else 'authority depends on coverage'})"
          for l in licences]
    return (f"需要取得{_listed(zh, '、', True)}经营许可。",
            f"It needs a licence for {_listed(en, '; ', False)}.")


NEXT_STEP = {  # what the worst red line asks of the reader
    "prohibited": ("任何许可都不能使其合法，须停止或改变做法", "no licence makes this lawful: stop or change it"),
    "basic_licence_required": ("须先按下文所列的合法做法调整方案", "change the set-up first, as set out below"),
    "condition_unmet": ("须先处理，再申请许可", "resolve this before applying"),
    "review": ("须先复核", "have this reviewed first"),
}


def _red_line_clause(red_lines: tuple[VerdictRedLine, ...]) -> tuple[str, str]:
    if not red_lines:
        return "未触碰红线", "No red line is crossed"
    zh = [f"{r.title_zh}【{SEVERITY_LABEL[r.severity][0]}】" for r in red_lines]
    en = [f"{r.title_en} [{SEVERITY_LABEL[r.severity][1]}]" for r in red_lines]
    worst = min((r.severity for r in red_lines), key=SEVERITIES.index)
    n = len(red_lines)
    return (f"触碰{n}条红线：{_listed(zh, '、', True)}，{NEXT_STEP[worst][0]}",
            f"It crosses {n} red line{'s' if n > 1 else ''}: {_listed(en, '; ', False)}; {NEXT_STEP[worst][1]}")


def _question_clause(questions: int, red_lines: bool) -> tuple[str, str]:
    if not questions:
        if red_lines:
            return "。", "."
        return "，也没有会改变结论的待确认问题。", ", and no open question would change this."
    return (f"；另有{questions}个问题待确认，回答后结论可能改变。",
            f"; {questions} open question{'s' if questions > 1 else ''} could change this.")


def _mention_list(mentioned: tuple[VerdictMention, ...]) -> tuple[str, str]:
    return ("、".join(f"{m.code}（{m.role_zh}）" for m in mentioned),
            ", ".join(f"{m.code} ({m.role_en})" for m in mentioned))


NOTHING_OPERATED = {  # (first sentence, second with the codes only mentioned, second without), zh then en
    "unknown": (("无法判断：文本没有描述其主体经营的电信业务，这不等于无需许可。",
                 "Could not tell: the text describes no telecom service its subject operates, and that does not "
                 "mean no licence is needed."),
                ("文中仅提及{zh}，并非其经营的业务；请描述它向客户提供的服务后再判定。",
                 "It only mentions {en}, which it does not operate; describe the service it offers customers and "
                 "check again."),
                ("请描述它向客户提供的服务后再判定。", "Describe the service it offers customers and check again.")),
    "clear": (("按所述内容，其主体自身不经营需要许可的电信业务。",
               "As described, the subject itself operates no business that needs a telecom licence."),
              ("文中提及的{zh}不是其经营的业务，不计入结论；业务变化时请重新判定。",
               "Only mentioned, not operated, and not counted: {en}; check again if the business changes."),
              ("未触碰红线；业务变化时请重新判定。", "No red line is crossed; check again if the business changes.")),
}


def _sentences(tone: str, result: Result, licences, red_lines, mentioned) -> tuple[tuple[str, str], tuple[str, str]]:
    """(zh sentences, en sentences): what is needed, then what stands in the way and what is still open."""
    if tone in NOTHING_OPERATED:
        first, with_mentions, plain = NOTHING_OPERATED[tone]
        if mentioned:
            zh, en = _mention_list(mentioned)
            second = (with_mentions[0].format(zh=zh), with_mentions[1].format(en=en))
        else:
            second = plain
        return (first[0], second[0]), (first[1], second[1])
    if licences:
        first = _licence_sentence(licences)
    else:
        first = ("未识别出需要申请许可的电信业务，但存在以下问题。",
                 "No licensable telecom business was found, but the following applies.")
    red_zh, red_en = _red_line_clause(red_lines)
    q_zh, q_en = _question_clause(len(result.questions), bool(red_lines))
    return (first[0], red_zh + q_zh), (first[1], red_en + q_en)


def verdict_of(result: Result, catalogue: Catalogue) -> Verdict:
    """The verdict on ``result``; ``catalogue`` gives the red lines their titles."""
    tone = _tone(result)
    licences, red_lines, mentioned = _licences(result), _red_lines(result, catalogue), _mentioned(result)
    zh, en = _sentences(tone, result, licences, red_lines, mentioned)
    headline_zh, headline_en = HEADLINE[tone]
    if tone == "stop" and any(r.severity == "prohibited" for r in red_lines):
        headline_zh, headline_en = "触碰禁止性红线", "Crosses a prohibited red line"
    if tone == "caution" and not licences:
        headline_zh, headline_en = "有条件未满足：先处理", "A condition is not met: resolve it first"
    return Verdict(tone, headline_zh, headline_en, zh, en, licences, red_lines, len(result.questions), mentioned)
