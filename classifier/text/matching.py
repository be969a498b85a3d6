"""Term matching on normalised text: one Aho-Corasick automaton per vocabulary (pyahocorasick).

Terms are keyed by their normalised form (``NormalisedText``: NFKC, simplified, case-folded), so a
vocabulary lists each term once. Latin terms match only between word boundaries (``vpn`` is not found
in ``vpns.com``), worked out once per term when the automaton is built. Overlapping matches are
resolved longest first, earliest breaking ties (spaCy's policy). Used by the lexicon (signals, cues,
names, places) and by the document-kind detector.
"""
from __future__ import annotations

from typing import Iterable

import ahocorasick

from classifier.normalise import NormalisedText

Match = tuple  # (start, end, key, payload): offsets into the normalised text


def is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def key_of(term: str) -> str:
    """The normalised form a term is matched under."""
    return NormalisedText(term).text.strip()


class TermMatcher:
    """An automaton over normalised terms, each carrying a payload (a tuple of whatever the caller needs)."""

    def __init__(self, entries: Iterable[tuple[str, tuple]]):
        self._automaton = ahocorasick.Automaton()
        for key, payload in entries:
            left = bool(key) and is_word_char(key[0])
            right = bool(key) and is_word_char(key[-1])
            self._automaton.add_word(key, (key, payload, left, right))
        self.empty = not len(self._automaton)
        if not self.empty:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self._automaton)

    def all(self, text: str) -> list[Match]:
        """Every match, as (start, end, key, payload); Latin terms only between word boundaries."""
        if self.empty:
            return []
        found = []
        size = len(text)
        for end_inclusive, (key, payload, left, right) in self._automaton.iter(text):
            end = end_inclusive + 1
            start = end - len(key)
            if left and start > 0 and is_word_char(text[start - 1]):
                continue
            if right and end < size and is_word_char(text[end]):
                continue
            found.append((start, end, key, payload))
        return found

    def longest(self, text: str) -> list[Match]:
        """Non-overlapping matches, longest first, earliest breaking ties, in text order."""
        return longest_first(self.all(text))


def longest_first(found: list[Match]) -> list[Match]:
    """Keep non-overlapping matches, longest first, earliest breaking ties (spaCy's policy).

    An occupancy array makes this linear in the matched length rather than quadratic in matches.
    """
    if not found:
        return []
    taken = bytearray(max(m[1] for m in found))
    kept: list[Match] = []
    for match in sorted(found, key=lambda m: (-(m[1] - m[0]), m[0])):
        start, end = match[0], match[1]
        if not any(taken[start:end]):
            kept.append(match)
            taken[start:end] = b"\x01" * (end - start)
    return sorted(kept)
