"""Text -> signals, each with the role it plays for the text's subject.

The lexicon (``knowledge/lexicon/*.yaml``) maps terms to signal ids; every catalogue name (official,
2003 wording, abbreviation, English) becomes a ``licence.name`` signal carrying its code. Terms are
matched on normalised text (``matching.TermMatcher``), longest match first, with word boundaries for
Latin terms. Term matching stays out of the rule engine: the engine sees a handful of signal facts
per text.

What a mention means to the subject (its scope: offered, denied, used, required of others, asked
about, discussed ...) comes from two places: the kind of document (``kinds.py``: in a news article or a
job post a service is discussed or recruited for, in a product page it is offered) and scope cues in
the mention's clause, item or sentence (不提供, 仅供内部办公, 由中国联通提供, 使用阿里云, 需办理ICP备案; an
offer, 我们提供, makes a sentence of a news article the writer's own offer; question words, 能不能,
mask the negation inside them).
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass
from pathlib import Path

from classifier.budget import NO_DEADLINE, Deadline
from classifier.knowledge.files import KnowledgeBase
from classifier.knowledge.loader import default_root, load_knowledge
from classifier.knowledge.names import all_names
from classifier.knowledge.schema import DocumentKind
from classifier.knowledge.vocabulary import LICENCE_NAME, PROVINCE
from classifier.normalise import NormalisedText
from classifier.text.matching import TermMatcher, key_of, longest_first

# When a clause holds several cues, the first of these that applies wins.
SCOPE_ORDER = ("negated", "self_use", "partner", "vendor", "uses", "required", "asserted")
CUE_SCOPE = {"negation": "negated", "self_use": "self_use", "partner": "partner", "vendor": "vendor",
             "uses": "uses", "required": "required"}   # offer and question cues give no scope of their own
OPERATED = frozenset({"asserted", "subject"})          # the scopes that can make a business


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


def _inside_longer(match: tuple, spans: list[tuple]) -> bool:
    """Is ``match`` within a strictly longer one of ``spans`` (sorted, non-overlapping)?

    Only the last span starting at or before the match can contain it, so one bisection decides.
    """
    index = bisect.bisect_right(spans, (match[0], float("inf"))) - 1
    if index < 0:
        return False
    start, end = spans[index][0], spans[index][1]
    return start <= match[0] and match[1] <= end and (end - start) > (match[1] - match[0])


def _grouped(pairs) -> list[tuple[str, tuple]]:
    """(key, payload) pairs with one entry per key: 中国联通 and 中國聯通 are one key."""
    grouped: dict[str, list] = {}
    for key, value in pairs:
        bucket = grouped.setdefault(key, [])
        if value not in bucket:
            bucket.append(value)
    return [(key, tuple(values)) for key, values in grouped.items()]


class Lexicon:
    """Compiled matchers for signals and scope cues, built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        lexicon = kb.lexicon
        self.signals = TermMatcher(_grouped(
            (key_of(term), _Term(signal.id, len(key_of(term)))) for signal in lexicon.signals for term in signal.terms))
        # Catalogue names are a layer of their own: "CDN加速" is both the service term and the name CDN.
        self.names = TermMatcher(_grouped(
            (key, _Term(LICENCE_NAME, len(key), target.code, target.item))
            for target in all_names(kb) for key in (key_of(target.name),) if len(key) >= 2))
        # Provinces are a layer of their own: 浙江省内 is both a province and 省内 (a limit).
        self.places = TermMatcher(_grouped(
            (key, _Term(PROVINCE, len(key), province.name))
            for province in (kb.provinces.provinces if kb.provinces is not None else ())
            if not province.outside_mainland  # Hong Kong, Macao, Taiwan are cross-border, not coverage
            for name in (province.name, *province.aliases, *province.cities)
            for key in (key_of(name),) if len(key) >= 2))
        self.cues = TermMatcher(_grouped(
            (key_of(term), (cue.id, cue.direction, frozenset(cue.applies_to)))
            for cue in lexicon.cues for term in cue.terms))
        self.breaks = frozenset(lexicon.clause_breaks)
        self.item_breaks = self.breaks | frozenset(lexicon.item_breaks)
        self.sentence_breaks = frozenset(lexicon.sentence_breaks)

    def extract(self, original: str, kind: DocumentKind | None = None, deadline: Deadline = NO_DEADLINE) -> list[Mention]:
        """Every signal mention in ``original``, in text order, with its scope for a text of ``kind``."""
        norm = NormalisedText(original)
        deadline.check("reading the text")
        text = norm.text
        breaks = (_bounded(norm.positions_of(self.breaks), len(text)), norm.positions_of(self.item_breaks))
        sentences = norm.positions_of(self.sentence_breaks)
        cues_by_clause: dict[int, list] = {}
        offers: set[int] = set()   # sentences with an offer cue (我们提供, we offer)
        for cue in self.cues.longest(text):
            if any(cue_id == "offer" for cue_id, _, _ in cue[3]):
                offers.add(bisect.bisect_right(sentences, cue[0]))
            cues_by_clause.setdefault(bisect.bisect_right(breaks[0], cue[0]), []).append(cue)
        names = self.names.longest(text)
        # A name inside a longer term still counts (CDN in CDN加速); a term inside a longer name defers
        # to the name (呼叫中心 in 第二类增值电信业务中的呼叫中心业务 is the licence, not a second signal).
        terms = [m for m in self.signals.longest(text) if not _inside_longer(m, names)]
        found = terms + names + self.places.longest(text)
        role = kind.role if kind is not None else "asserted"
        mentions = []
        for index, (start, end, _, found_terms) in enumerate(sorted(found, key=lambda m: (m[0], m[1]))):
            if not index % 256:
                deadline.check("reading the text")
            base = role
            if base not in OPERATED and kind.offers_count and bisect.bisect_right(sentences, start) in offers:
                base = "asserted"   # the writer's own offer, in a text that otherwise talks about services
            o_start, o_end = norm.span(start, end)
            cues = cues_by_clause.get(bisect.bisect_right(breaks[0], start), ())
            for term in found_terms:
                scope = base
                if base == "asserted":
                    if cues:
                        scope = self._scope(start, end, cues, breaks, term.signal)
                    if (scope == "asserted" and term.signal == LICENCE_NAME and kind is not None and kind.names_role
                            and not _intended(start, end, cues)):
                        scope = kind.names_role   # a licence a question asks about is no service offered
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
    def _scope(start: int, end: int, cues, breaks: tuple[list[int], list[int]], signal: str) -> str:
        _, item_breaks = breaks
        item = bisect.bisect_right(item_breaks, start)
        scopes = []
        for c_start, c_end, _, kinds in cues:  # the cues of this mention's clause
            if start <= c_start and c_end <= end and (start, end) != (c_start, c_end):
                continue  # the cue is part of the term itself (信息服务业务（不含…）)
            covers = c_start <= start and end <= c_end  # the term is part of the cue (不转租 ⊃ 转租)
            same_item = bisect.bisect_right(item_breaks, c_start) == item
            for cue_id, direction, applies_to in kinds:
                scope = CUE_SCOPE.get(cue_id)
                if scope is None or (applies_to and signal not in applies_to):
                    continue
                if (covers
                        or (direction == "item" and same_item)
                        or direction == "clause"
                        # A cue that starts before the term and ends inside it still precedes it
                        # (使用阿里云 + 云服务器 share 云); likewise, mirrored, for backward cues.
                        or (direction == "forward" and c_start < start and c_end <= end)
                        or (direction == "backward" and c_end > end and c_start >= start)):
                    scopes.append(scope)
        return min(scopes, key=SCOPE_ORDER.index) if scopes else "asserted"


def _intended(start: int, end: int, cues) -> bool:
    """Is the name at start..end the service the writer means to run (做IDC, run a CDN) rather than a licence
    asked about (ICP证, IDC许可证)? An operating verb before it in its clause, and no licence word at its end."""
    operated = document = False
    for c_start, c_end, _, kinds in cues:
        ids = {cue_id for cue_id, _, _ in kinds}
        if "operate" in ids and c_end <= start:
            operated = True
        if "licence_document" in ids and start <= c_start <= end + 1 and c_end >= end:
            document = True
    return operated and not document


CLAUSE_MAX = 1000


def _bounded(breaks: list[int], length: int, most: int = CLAUSE_MAX) -> list[int]:
    """Clause breaks with one added every ``most`` characters of a clause that has none: a cue reaches the
    terms of its clause, so an unbroken run (no punctuation in 1 MB) would cost cues x terms; no written
    clause is that long, so real texts read as before."""
    bounded, previous = [], 0
    for position in [*breaks, length]:
        bounded.extend(range(previous + most, position, most))
        if position < length:
            bounded.append(position)
        previous = position
    return bounded


@functools.lru_cache(maxsize=8)
def _lexicon(root: Path) -> Lexicon:
    return Lexicon(load_knowledge(root))


def load_lexicon(root: Path | None = None) -> Lexicon:
    """The compiled lexicon of the knowledge base at ``root`` (default: shipped), built once per process."""
    return _lexicon(Path(root) if root is not None else default_root())
