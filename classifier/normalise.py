"""Text normalisation shared by name lookup and signal extraction.

Users write the same thing many ways: full-width letters and brackets, traditional characters
(網際網路資料中心), mixed case, stray spaces. Normalising both sides before matching keeps the lexicon
to one spelling per term. OpenCC's ``tw2sp`` converts phrases as well as characters
(網際網路 -> 互联网, 軟體 -> 软件), which character-level ``t2s`` does not.
"""
from __future__ import annotations

import functools
import re
import unicodedata

import opencc

_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp")


def to_simplified(text: str) -> str:
    """Traditional (Taiwan, Hong Kong) Chinese to simplified, phrase-aware; other text unchanged."""
    return _converter().convert(text)


def normalise_name(name: str) -> str:
    """Key under which a licence name is matched: NFKC, simplified, case-folded, without spaces."""
    text = to_simplified(unicodedata.normalize("NFKC", name))
    # NFKC again after case folding, as NFKC_Casefold does: folding can leave uncomposed sequences.
    return unicodedata.normalize("NFKC", _SPACE.sub("", text).casefold())


class NormalisedText:
    """Text prepared for matching, with a map from every normalised character back to the original.

    Matching runs on ``text`` (NFKC, simplified, case-folded); evidence must point at the user's own
    words, so ``span(start, end)`` turns a match in ``text`` into offsets into ``original``. NFKC is applied
    per character (so each output character knows its source); OpenCC may change the length of a phrase
    (網際網路 -> 互联网). When it does, the text is converted again segment by segment — runs between
    punctuation or spaces, at most ``SEGMENT`` characters — and each changed segment is aligned back on
    its own, so the cost stays linear in the length of the text (a phrase never spans a punctuation mark).
    """

    __slots__ = ("original", "text", "_origin")

    def __init__(self, original: str):
        self.original = original
        folded_text = "".join(map(_fold, original))
        # Folding never empties a character, so equal lengths mean every character folded to one.
        if len(folded_text) == len(original):
            origin: list[int] | range = range(len(original))
        else:
            origin = [index for index, char in enumerate(original) for _ in _fold(char)]
        simplified = to_simplified(folded_text) if not folded_text.isascii() else folded_text
        if len(simplified) != len(folded_text):  # OpenCC changed a phrase's length (網際網路 -> 互联网)
            simplified, origin = _convert_by_segment(folded_text, list(origin))
        self.text = simplified
        self._origin = origin

    def positions_of(self, characters: frozenset[str]) -> list[int]:
        """Normalised positions whose original character is one of ``characters`` (sorted)."""
        original = self.original
        if isinstance(self._origin, range):
            return [match.start() for match in _any_of(characters).finditer(original)]
        first: dict[int, int] = {}
        for position, source in enumerate(self._origin):
            if source not in first and original[source] in characters:
                first[source] = position
        return sorted(first.values())

    def original_char(self, index: int) -> str:
        """The user's character behind normalised position ``index``."""
        return self.original[self._origin[index]]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering normalised ``[start, end)``."""
        if start >= end:
            return (self._origin[start] if start < len(self._origin) else len(self.original),) * 2
        return self._origin[start], self._origin[end - 1] + 1


@functools.lru_cache(maxsize=64)
def _any_of(characters: frozenset[str]) -> re.Pattern:
    """A pattern matching any one of ``characters`` (the lexicon has two sets of clause breaks)."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(characters)) + "]" if characters else "(?!)")


@functools.lru_cache(maxsize=65536)
def _fold(char: str) -> str:
    """One character NFKC-normalised and case-folded (cached: texts reuse few distinct characters)."""
    return char.lower() if char.isascii() else unicodedata.normalize("NFKC", char).casefold()


SEGMENT = 64
_SEGMENTS = re.compile(r"[^\s，。；！？、：,.;!?:()（）「」\[\]]{1,%d}|." % SEGMENT, re.S)


def _convert_by_segment(folded: str, origin: list[int]) -> tuple[str, list[int]]:
    """Convert ``folded`` segment by segment, aligning only the segments whose length changed."""
    parts: list[str] = []
    mapped: list[int] = []
    for match in _SEGMENTS.finditer(folded):
        start, end = match.span()
        segment = match.group(0)
        converted = to_simplified(segment) if not segment.isascii() else segment
        parts.append(converted)
        if len(converted) == end - start:
            mapped.extend(origin[start:end])
        else:
            mapped.extend(_realign(segment, converted, origin[start:end]))
    return "".join(parts), mapped


def _realign(before: str, after: str, origin: list[int]) -> list[int]:
    """Carry ``origin`` (one entry per char of ``before``) over to ``after`` via an edit script."""
    if len(before) == len(after):
        return origin
    import difflib

    out: list[int] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(origin[i1:i2])
        elif j2 > j1:
            source = origin[i1:i2] or [origin[min(i1, len(origin) - 1)]]
            count = j2 - j1
            # Spread the new characters over the old ones, first to first and last to last, so a span
            # over the whole replaced phrase covers all of the user's characters (網際網路 -> 互联网).
            for k in range(count):
                out.append(source[k * (len(source) - 1) // (count - 1)] if count > 1 else source[0])
    return out
