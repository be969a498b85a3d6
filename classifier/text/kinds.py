"""What kind of document a text is (product page, business scope, judgment, news, job post, question ...).

The kinds and their cues are data (``knowledge/documents.yaml``). Each kind scores the cues found in the
normalised text: a cue group adds its weight for each distinct term or pattern match, at most ``cap``
per group. A kind is a candidate when one of its strong cues (weight at least the threshold) is found,
or when its weak cues add up to the weak threshold; of the candidates the highest score wins (ties go
to the kind listed first), unless the default kind (a self-description) scores as much. The decision keeps its evidence: the cue
words that scored, with their spans in the user's text. A caller who knows the kind states it instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from classifier.errors import UnknownKind
from classifier.knowledge.files import KnowledgeBase
from classifier.knowledge.schema import DocumentKind
from classifier.normalise import NormalisedText
from classifier.text.matching import TermMatcher, key_of


@dataclass(frozen=True)
class KindEvidence:
    """A cue that counted towards a kind: its words in the user's text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class DetectedKind:
    """The kind decided for a text, how (``stated`` by the caller, ``detected`` from its cues, or
    ``profile``: a profile describes the service itself), and why."""

    spec: DocumentKind
    how: str
    score: float = 0.0
    evidence: tuple[KindEvidence, ...] = ()

    @property
    def id(self) -> str:
        return self.spec.id


class KindDetector:
    """Compiled cues of every document kind, built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        documents = kb.documents
        self.kinds: dict[str, DocumentKind] = {k.id: k for k in documents.kinds} if documents else {}
        self.default = documents.default if documents else None
        self.threshold = documents.threshold if documents else 0
        self.weak_threshold = documents.weak_threshold if documents else 0
        self.cap = documents.cap if documents else 0
        self.window = documents.window if documents else 0
        entries = []
        self._patterns: list[tuple[str, int, float, re.Pattern]] = []
        for kind in documents.kinds if documents else ():
            for group, cue in enumerate(kind.cues):
                for term in cue.terms:
                    entries.append((key_of(term), (kind.id, group, cue.weight)))
                for pattern in cue.patterns:
                    self._patterns.append((kind.id, group, cue.weight, re.compile(pattern)))
        grouped: dict[str, list] = {}
        for key, payload in entries:
            grouped.setdefault(key, []).append(payload)
        self._terms = TermMatcher((key, tuple(payloads)) for key, payloads in grouped.items())

    def stated(self, kind_id: str) -> DetectedKind:
        """The kind a caller states; an unknown kind is an input error naming the known ones."""
        spec = self.kinds.get(kind_id)
        if spec is None:
            raise UnknownKind(f"unknown document kind {kind_id!r} (known: {', '.join(self.kinds)})")
        return DetectedKind(spec, how="stated")

    def for_profile(self) -> DetectedKind | None:
        """A profile's description describes the service the profile is about: a self-description."""
        return DetectedKind(self.kinds[self.default], how="profile") if self.kinds else None

    def detect(self, original: str, norm: NormalisedText | None = None) -> DetectedKind | None:
        """The kind of ``original`` by its cues (None when the knowledge base declares no kinds)."""
        if not self.kinds:
            return None
        original = original[: self.window]   # a document's kind shows in its opening
        norm = NormalisedText(original) if norm is None or len(norm.original) > self.window else norm
        hits: dict[tuple[str, int], dict[str, tuple[float, int, int]]] = {}
        for start, end, key, payloads in self._terms.all(norm.text):
            for kind_id, group, weight in payloads:
                hits.setdefault((kind_id, group), {}).setdefault(key, (weight, start, end))
        for kind_id, group, weight, pattern in self._patterns:
            for match in pattern.finditer(norm.text):
                hits.setdefault((kind_id, group), {}).setdefault(match.group(0), (weight, match.start(), match.end()))
        scores: dict[str, float] = {}
        strong: set[str] = set()   # kinds with a cue that alone reaches the threshold
        evidence: dict[str, list[tuple[int, int]]] = {}
        for (kind_id, _), found in hits.items():
            scores[kind_id] = scores.get(kind_id, 0.0) + min(self.cap, sum(w for w, _, _ in found.values()))
            if any(w >= self.threshold for w, _, _ in found.values()):
                strong.add(kind_id)
            evidence.setdefault(kind_id, []).extend((s, e) for _, s, e in found.values())
        # Weak cues (下载, service, 表示 ...) only weigh between kinds a strong cue already suggests.
        order = list(self.kinds)
        candidates = [k for k in order if k != self.default and k in strong]
        if not candidates and self.default not in strong:  # weak cues alone decide only where nothing strong does
            candidates = [k for k in order if k != self.default and scores.get(k, 0.0) >= self.weak_threshold]
        best = min(candidates, key=lambda k: (-scores.get(k, 0.0), order.index(k))) if candidates else self.default
        if scores.get(best, 0.0) <= scores.get(self.default, 0.0):
            best = self.default
        spans = sorted(set(evidence.get(best, ())))
        shown = []
        for start, end in spans:
            o_start, o_end = norm.span(start, end)
            shown.append(KindEvidence(original[o_start:o_end], o_start, o_end))
        return DetectedKind(self.kinds[best], how="detected", score=scores.get(best, 0.0), evidence=tuple(shown))
