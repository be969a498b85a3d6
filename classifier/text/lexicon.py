"""Stage 1: text -> signals.

The lexicon (``knowledge/lexicon/*.yaml``) maps terms to signal ids; every catalogue name (official,
2003 wording, abbreviation, English) becomes a ``licence.name`` signal carrying its code. Terms are
matched on normalised text by one Aho-Corasick automaton (pyahocorasick), longest match first, with word
boundaries for Latin terms. Scope cues (negation, self-use, partner-run legs, vendor context) are matched
by a second automaton and applied within the clause they stand in. Term matching stays out of the rule
engine: the engine sees a handful of signal facts per text.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from classifier.knowledge.files import KnowledgeBase
from classifier.knowledge.loader import default_root, load_knowledge
from classifier.knowledge.names import all_names
from classifier.knowledge.vocabulary import LICENCE_NAME, PROVINCE
from classifier.normalise import NormalisedText

SCOPE_ORDER = ("negated", "self_use", "partner", "vendor", "asserted")
CUE_SCOPE = {"negation": "negated", "self_use": "self_use", "partner": "partner", "vendor": "vendor",
             "uses": "vendor"}  # using someone else's service: like a vendor, the company does not operate it


@dataclass(frozen=True)
class Mention:
    """One signal found in the text: where (original offsets), what it says, and in which scope."""

    signal: str
    start: int
    end: int
    text: str
    scope: str = "asserted"
    code: str | None = None
    item: str | None = None


@dataclass(frozen=True)
class _Term:
    signal: str
    length: int
    code: str | None = None
    item: str | None = None


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _inside_longer(match: tuple, spans: list[tuple]) -> bool:
    """Is ``match`` within a strictly longer one of ``spans`` (sorted, non-overlapping)?

    Only the last span starting at or before the match can contain it, so one bisection decides.
    """
    index = bisect.bisect_right(spans, (match[0], float("inf"))) - 1
    if index < 0:
        return False
    start, end = spans[index][0], spans[index][1]
    return start <= match[0] and match[1] <= end and (end - start) > (match[1] - match[0])


def _add(automaton, key: str, payload: tuple) -> None:
    """Store ``key`` with its payload and whether each end needs a word boundary (worked out once)."""
    left = bool(key) and _is_word_char(key[0])
    right = bool(key) and _is_word_char(key[-1])
    automaton.add_word(key, (key, payload, left, right))


def _key(term: str) -> str:
    return NormalisedText(term).text.strip()


class Lexicon:
    """Compiled matchers for signals and scope cues, built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        lexicon = kb.lexicon
        self.signals = ahocorasick.Automaton()
        entries: dict[str, list[_Term]] = {}
        for signal in lexicon.signals:
            for term in signal.terms:
                key = _key(term)
                bucket = entries.setdefault(key, [])
                if all(t.signal != signal.id for t in bucket):  # 中国联通 and 中國聯通 are one key
                    bucket.append(_Term(signal.id, len(key)))
        for key, terms in entries.items():
            _add(self.signals, key, tuple(terms))
        self.signals.make_automaton()

        # Catalogue names are a layer of their own: "CDN加速" is both the service term and the name CDN.
        self.names = ahocorasick.Automaton()
        name_entries: dict[str, list[_Term]] = {}
        for target in all_names(kb):
            key = _key(target.name)
            if len(key) >= 2:
                name_entries.setdefault(key, []).append(_Term(LICENCE_NAME, len(key), target.code, target.item))
        for key, terms in name_entries.items():
            _add(self.names, key, tuple(terms))
        self.names.make_automaton()

        # Provinces are a layer of their own: 浙江省内 is both a province and 省内 (a limit).
        self.places = ahocorasick.Automaton()
        for province in kb.provinces.provinces if kb.provinces is not None else ():
            if province.outside_mainland:
                continue  # Hong Kong, Macao, Taiwan are cross-border, not coverage
            for name in (province.name, *province.aliases, *province.cities):
                key = _key(name)
                if len(key) >= 2:
                    _add(self.places, key, (_Term(PROVINCE, len(key), province.name),))
        if len(self.places):
            self.places.make_automaton()

        self.cues = ahocorasick.Automaton()
        cue_entries: dict[str, list[tuple[str, str]]] = {}
        for cue in lexicon.cues:
            for term in cue.terms:
                cue_entries.setdefault(_key(term), []).append((CUE_SCOPE.get(cue.id, cue.id), cue.direction))
        for key, cues in cue_entries.items():
            _add(self.cues, key, tuple(cues))
        if cue_entries:
            self.cues.make_automaton()
        self.breaks = frozenset(lexicon.clause_breaks)
        self.item_breaks = self.breaks | frozenset(lexicon.item_breaks)

    # -- matching -------------------------------------------------------------------------------
    @staticmethod
    def _raw(automaton, text: str):
        """Every match, as (start, end, key, payload); Latin terms only between word boundaries."""
        if not len(automaton):
            return []
        found = []
        size = len(text)
        for end_inclusive, (key, payload, left, right) in automaton.iter(text):
            end = end_inclusive + 1
            start = end - len(key)
            if left and start > 0 and _is_word_char(text[start - 1]):
                continue
            if right and end < size and _is_word_char(text[end]):
                continue
            found.append((start, end, key, payload))
        return found

    @staticmethod
    def _longest_first(found):
        """Keep non-overlapping matches, longest first, earliest breaking ties (spaCy's policy).

        An occupancy array makes this linear in the matched length rather than quadratic in matches.
        """
        if not found:
            return []
        taken = bytearray(max(m[1] for m in found))
        kept: list[tuple[int, int, str, tuple]] = []
        for match in sorted(found, key=lambda m: (-(m[1] - m[0]), m[0])):
            start, end = match[0], match[1]
            if not any(taken[start:end]):
                kept.append(match)
                taken[start:end] = b"\x01" * (end - start)
        return sorted(kept)

    @staticmethod
    def _positions(norm: NormalisedText, breaks: frozenset) -> list[int]:
        """Break positions, judged on the original character: NFKC turns the Chinese comma into ','."""
        return norm.positions_of(breaks)

    def extract(self, original: str) -> list[Mention]:
        """Every signal mention in ``original``, in text order, with its scope."""
        norm = NormalisedText(original)
        text = norm.text
        breaks = (self._positions(norm, self.breaks), self._positions(norm, self.item_breaks))
        cues_by_clause: dict[int, list] = {}
        for cue in self._longest_first(self._raw(self.cues, text)):
            cues_by_clause.setdefault(bisect.bisect_right(breaks[0], cue[0]), []).append(cue)
        names = self._longest_first(self._raw(self.names, text))
        # A name inside a longer term still counts (CDN in CDN加速); a term inside a longer name defers
        # to the name (呼叫中心 in 第二类增值电信业务中的呼叫中心业务 is the licence, not a second signal).
        terms = [m for m in self._longest_first(self._raw(self.signals, text)) if not _inside_longer(m, names)]
        found = terms + names + self._longest_first(self._raw(self.places, text))
        mentions = []
        for start, end, _, terms in sorted(found, key=lambda m: (m[0], m[1])):
            cues = cues_by_clause.get(bisect.bisect_right(breaks[0], start), ())
            scope = self._scope(start, end, cues, breaks) if cues else "asserted"
            o_start, o_end = norm.span(start, end)
            for term in terms:
                mentions.append(Mention(term.signal, o_start, o_end, original[o_start:o_end], scope,
                                        term.code, term.item))
        return mentions

    @staticmethod
    def subject_mentions(original: str, mentions: list[Mention], window: int = 0) -> list[Mention]:
        """Mentions that open the text (after at most ``window`` characters): its subject.

        "中国联通国际MPLS VPN：…" describes 中国联通's own service; "租用中国联通的专线" and
        "向中国电信采购带宽…" (one character before the name) do not.
        """
        lead = len(original) - len(original.lstrip())
        return [m for m in mentions if m.start <= lead + window and m.scope == "asserted"]

    @staticmethod
    def _scope(start: int, end: int, cues, breaks: tuple[list[int], list[int]]) -> str:
        _, item_breaks = breaks
        item = bisect.bisect_right(item_breaks, start)
        scopes = []
        for c_start, c_end, _, kinds in cues:  # the cues of this mention's clause
            if start <= c_start and c_end <= end and (start, end) != (c_start, c_end):
                continue  # the cue is part of the term itself (信息服务业务（不含…）)
            covers = c_start <= start and end <= c_end  # the term is part of the cue (不转租 ⊃ 转租)
            same_item = bisect.bisect_right(item_breaks, c_start) == item
            for scope, direction in kinds:
                if (covers
                        or (direction == "item" and same_item)
                        or direction == "clause"
                        # A cue that starts before the term and ends inside it still precedes it
                        # (使用阿里云 + 云服务器 share 云); likewise, mirrored, for backward cues.
                        or (direction == "forward" and c_start < start and c_end <= end)
                        or (direction == "backward" and c_end > end and c_start >= start)):
                    scopes.append(scope)
        return min(scopes, key=SCOPE_ORDER.index) if scopes else "asserted"


@functools.lru_cache(maxsize=8)
def _lexicon(root: Path) -> Lexicon:
    return Lexicon(load_knowledge(root))


def load_lexicon(root: Path | None = None) -> Lexicon:
    """The compiled lexicon of the knowledge base at ``root`` (default: shipped), built once per process."""
    return _lexicon(Path(root) if root is not None else default_root())
