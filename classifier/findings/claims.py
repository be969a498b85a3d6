"""Licence claims in a text, checked against the catalogue (``claim_mismatch`` findings).

Three checks, patterns and messages in ``knowledge/claims.yaml``:
- a code written beside a business name that is not that business's code ("B11 ISP牌照": ISP is B14);
- a licence number whose class cannot carry the business named beside it (an ICP under "B1-…");
- a provincial licence number (京B2-…) for a service the text or profile says covers several provinces.
A code or number is read with the nearest business name within ``window`` characters.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from classifier.knowledge.catalogue import Catalogue
from classifier.findings.result import Evidence, unverified_note
from classifier.text.lexicon import LICENCE_NAME, Mention


@dataclass(frozen=True)
class ClaimFinding:
    kind: str            # always "claim_mismatch"
    check: str           # code_name | number_class | coverage
    claimed: str
    actual: str | None
    message_zh: str
    message_en: str
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "check": self.check, "claimed": self.claimed, "actual": self.actual,
                "message_zh": self.message_zh, "message_en": self.message_en,
                "evidence": [e.to_dict() for e in self.evidence]}


@functools.lru_cache(maxsize=4)
def _patterns(catalogue: Catalogue):
    claims = catalogue.kb.claims
    provinces = catalogue.kb.provinces
    abbreviations = sorted({a for p in provinces.provinces for a in p.aliases if len(a) == 1}) if provinces else []
    by_abbreviation = {a: p.name for p in provinces.provinces for a in p.aliases if len(a) == 1} if provinces else {}
    group = "[" + "".join(abbreviations) + "]" if abbreviations else "(?!)"
    return (re.compile(claims.code_token), re.compile(claims.licence_number.replace("{provinces}", group)),
            re.compile(claims.icp_licence_number.replace("{provinces}", group)), by_abbreviation)


def _nearest_name(names: list[Mention], start: int, end: int, window: int) -> Mention | None:
    best, distance = None, window + 1
    for mention in names:
        gap = mention.start - end if mention.start >= end else start - mention.end if mention.end <= start else 0
        if 0 <= gap < distance:
            best, distance = mention, gap
    return best


def check_claims(catalogue: Catalogue, text: str, mentions: list[Mention], coverage_scope: str | None) -> list[ClaimFinding]:
    claims = catalogue.kb.claims
    if claims is None:
        return []
    code_re, number_re, icp_re, provinces = _patterns(catalogue)
    names = [m for m in mentions if m.signal == LICENCE_NAME and m.code and not catalogue.is_category(m.code)]
    found: list[ClaimFinding] = []
    taken: list[tuple[int, int]] = []

    def message(check: str, **values) -> tuple[str, str]:
        template = claims.messages[check]
        codes = [values[k] for k in ("claimed", "actual") if values.get(k) in catalogue]
        unverified = tuple(dict.fromkeys(c for c in codes if catalogue.entry(c).confidence == "unverified"))
        note_zh, note_en = unverified_note(unverified)
        return template.zh.format(**values) + note_zh, template.en.format(**values) + note_en

    for match in number_re.finditer(text):
        taken.append(match.span())
        number, cls = match.group(0).strip(), match.group("cls")
        near = _nearest_name(names, *match.span(), claims.window)
        if near is not None and cls not in catalogue.ancestors(near.code):
            actual = catalogue.entry(near.code)
            zh, en = message("number_class", number=number, cls=cls, name=near.text, actual=actual.code)
            found.append(ClaimFinding("claim_mismatch", "number_class", number, actual.code, zh, en,
                                      (Evidence(number, *match.span()), Evidence(near.text, near.start, near.end))))
        province = match.group("province")
        if province and coverage_scope == "multi_province":
            zh, en = message("coverage", number=number, province=provinces.get(province, province))
            found.append(ClaimFinding("claim_mismatch", "coverage", number, None, zh, en,
                                      (Evidence(number, *match.span()),)))
    for match in icp_re.finditer(text):
        taken.append(match.span())
        if coverage_scope == "multi_province":
            number = match.group(0).strip()
            zh, en = message("coverage", number=number, province=provinces.get(match.group("province"), ""))
            found.append(ClaimFinding("claim_mismatch", "coverage", number, None, zh, en, (Evidence(number, *match.span()),)))
    for match in code_re.finditer(text):
        start, end = match.span(1)
        if any(s <= start < e for s, e in taken):
            continue
        claimed = match.group(1)
        near = _nearest_name(names, start, end, claims.window)
        if near is None or claimed not in catalogue or claimed == near.code:
            continue
        if claimed in catalogue.ancestors(near.code) or near.code in catalogue.ancestors(claimed):
            continue  # "B1 ISP": the class of the business, not a wrong code
        actual = catalogue.entry(near.code)
        zh, en = message("code_name", claimed=claimed, name=near.text, actual=actual.code, actual_name=actual.name_zh,
                         actual_name_en=actual.name_en)
        found.append(ClaimFinding("claim_mismatch", "code_name", claimed, actual.code, zh, en,
                                  (Evidence(claimed, start, end), Evidence(near.text, near.start, near.end))))
    return found
