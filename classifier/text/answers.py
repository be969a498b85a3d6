"""Answers to follow-up questions, read the way people write them — one parser for every surface.

A question names a fact of ``knowledge/facts.yaml``; the answer may be keyed by that fact or by its
profile field, and written as an offered option (or its number in the list), yes/no in Chinese or
English, a percentage (``30%``, ``三成``, ``百分之三十``), province names (``北京、上海``, ``全国``), or the
value itself. What cannot be read is an ``InvalidAnswer`` error that names the forms accepted.
"""
from __future__ import annotations

import re
from typing import Any

from classifier.errors import InvalidAnswer
from classifier.knowledge.schema import FactSpec
from classifier.knowledge.vocabulary import Vocabulary

YES = frozenset({"true", "yes", "y", "是", "是的", "对", "有", "要", "需要", "会", "1"})
NO = frozenset({"false", "no", "n", "否", "不是", "不", "没有", "无", "不会", "不需要", "0"})
NATIONWIDE = frozenset({"nationwide", "全国", "全国范围", "all provinces"})
_LIST_SEPARATORS = re.compile(r"[,，、;；/]+|\s+and\s+|\s+")
_CHINESE_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_WORDED_SHARES = {"一半": 0.5, "半数": 0.5, "half": 0.5, "全资": 1.0, "wholly": 1.0, "100%": 1.0, "none": 0.0}


def answer_target(vocabulary: Vocabulary, key: str) -> tuple[str, FactSpec | None]:
    """The profile field an answer keyed by ``key`` (a fact name or a profile field) fills, and its fact."""
    fields = vocabulary.profile_fields()
    if key in fields:
        return key, fields[key]
    spec = vocabulary.facts.get(key)
    if spec is not None and spec.profile_field is not None:
        return spec.profile_field, fields[spec.profile_field]
    return key, None  # not a profile fact: the profile model will say so


ANSWER_TYPES = ("provinces", "yes_no", "one_of", "some_of", "share", "number", "text", "licences")


def answer_type(spec: FactSpec) -> str:
    """How a question's answer is written, for a caller building a form or checking its own answer first:
    ``provinces`` (names, 全国, or an offered scope), ``yes_no``, ``one_of`` / ``some_of`` (offered options),
    ``share`` (0-1 or a percentage), ``number``, ``text`` or ``licences`` (codes with coverage)."""
    if spec.profile_type == "provinces":
        return "provinces"
    if spec.type == "bool":
        return "yes_no"
    if spec.type == "number":
        return "share" if spec.maximum == 1 else "number"
    return {"enum": "one_of", "set": "some_of", "licences": "licences"}.get(spec.type, "text")


def accepted_forms(spec: FactSpec) -> str:
    """The forms an answer to ``spec`` may take, in one line (shown with questions and in refusals)."""
    if spec.profile_type == "provinces":
        return "province names (北京、上海), 全国/nationwide, or " + " / ".join(spec.options)
    if spec.type == "licences":
        return 'a list of {"code": "B13", "coverage": ["北京"] or "nationwide"}'
    if spec.type == "bool":
        return "yes/no, 是/否, true/false"
    if spec.type == "number":
        return "a number" + (" between 0 and 1, or a percentage (30%, 三成)" if spec.maximum == 1 else "")
    if spec.options or spec.values:
        return "one of " + ", ".join(spec.options or spec.values) + " (or its number in the list)"
    return "a text"


def _option(spec: FactSpec, text: str) -> str | None:
    """An offered option given by its name or its number in the list."""
    options = spec.options or spec.values
    if text.isdigit() and options and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    return text if text in options else None


def _chinese_number(text: str) -> int | None:
    if text in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[text]
    if len(text) == 2 and text[0] in _CHINESE_DIGITS and text[1] == "十":
        return _CHINESE_DIGITS[text[0]] * 10
    if len(text) in (2, 3) and "十" in text:
        tens, _, ones = text.partition("十")
        return (_CHINESE_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CHINESE_DIGITS.get(ones, 0) if ones else 0)
    return None


def _share(text: str) -> float | None:
    """30% / 30 % / 0.3 / 三成 / 百分之三十 / 一半 -> a share between 0 and 1."""
    lowered = text.lower().replace("％", "%").replace(" ", "")
    if lowered in _WORDED_SHARES:
        return _WORDED_SHARES[lowered]
    match = re.fullmatch(r"(\d+(?:\.\d+)?)%", lowered)
    if match:
        return float(match.group(1)) / 100
    match = re.fullmatch(r"百分之(.+)", lowered)
    if match:
        number = _chinese_number(match.group(1))
        return number / 100 if number is not None else None
    match = re.fullmatch(r"(.+)成", lowered)
    if match:
        number = _chinese_number(match.group(1))
        if number is None and match.group(1).isdigit():
            number = int(match.group(1))
        return number / 10 if number is not None else None
    try:
        return float(lowered)
    except ValueError:
        return None


def parse_answer(spec: FactSpec, raw: Any) -> Any:
    """The value for ``spec``'s profile field that answer ``raw`` gives (values not written as text pass
    through, for the profile model to check)."""
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if not text:
        raise InvalidAnswer(f"{spec.name}: empty answer (accepted: {accepted_forms(spec)})")
    lowered = text.lower()
    if spec.profile_type == "provinces":
        option = _option(spec, text)
        if option is not None:
            return option
        if lowered in NATIONWIDE:
            return "nationwide"
        return [part for part in _LIST_SEPARATORS.split(text) if part]
    if spec.type == "bool":
        option = _option(spec, text)
        if option in ("true", "false"):
            return option == "true"
        if lowered in YES:
            return True
        if lowered in NO:
            return False
    elif spec.type == "number":
        share = _share(text)
        if share is not None:
            if spec.maximum == 1 and 1 < share <= 100 and "%" not in text:
                share = share / 100  # "30" for a share means 30%
            return share
    elif spec.type in ("enum", "set"):
        parts = [p for p in _LIST_SEPARATORS.split(text) if p] if spec.type == "set" else [text]
        chosen = [_option(spec, p) for p in parts]
        if all(c is not None for c in chosen):
            return chosen if spec.type == "set" else chosen[0]
    elif spec.type == "text":
        return text
    raise InvalidAnswer(f"{spec.name}: cannot read the answer {raw!r} (accepted: {accepted_forms(spec)})")
