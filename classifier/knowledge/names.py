"""Names as people write them -> catalogue codes.

Every official name (of a code, a licence item or a sub-kind) is a name automatically; ``names.yaml``
adds 2003-catalogue wording, abbreviations, English and colloquial names. A query is normalised
(``normalise.normalise_name``), tried as is, then with known suffixes (许可证, 牌照, 全网证 ...) stripped; a
name that still matches nothing gets the nearest known names instead of silence.
"""
from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

from classifier.errors import InputError
from classifier.knowledge.files import KnowledgeBase
from classifier.normalise import normalise_name


@dataclass(frozen=True)
class NameTarget:
    """What one name means: a code, optionally a licence item, with where the mapping comes from."""

    name: str
    code: str
    item: str | None
    form: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Lookup:
    """The answer to a name lookup: matches (usually one), or candidates when nothing matched."""

    query: str
    matches: tuple[NameTarget, ...]
    candidates: tuple[NameTarget, ...] = ()
    coverage: str | None = None
    stripped: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.matches)


def all_names(kb: KnowledgeBase) -> list[NameTarget]:
    """Official names of entries, items and sub-kinds, then the extra names of ``names.yaml``."""
    out: list[NameTarget] = []
    for entry in kb.entries.values():
        for name in (entry.name_zh, entry.name_en):
            out.append(NameTarget(name, entry.code, None, "official_2015", entry.sources))
        for item in (*entry.licence_items, *entry.subkinds):
            for name in (item.name_zh, item.name_en):
                out.append(NameTarget(name, entry.code, item.id, "official_2015", item.sources))
    for extra in kb.names:
        out.append(NameTarget(extra.name, extra.code, extra.item, extra.form, extra.sources))
    return out


class NameIndex:
    """Normalised name -> targets. Built once per knowledge base."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.by_key: dict[str, list[NameTarget]] = {}
        for target in all_names(kb):
            bucket = self.by_key.setdefault(normalise_name(target.name), [])
            if all((t.code, t.item) != (target.code, target.item) for t in bucket):
                bucket.append(target)
        self._suffixes = sorted(
            ((normalise_name(s.text), s.coverage) for s in kb.suffixes), key=lambda s: -len(s[0])
        )
        self._keys = list(self.by_key)

    def lookup(self, query: str) -> Lookup:
        """Resolve a name; raises InputError for an empty query."""
        if not query or not query.strip():
            raise InputError("empty name: give a licence or business name, e.g. 因特网接入服务业务", code="empty_name")
        key = normalise_name(query)
        coverage = None
        stripped: list[str] = []
        while True:
            if key in self.by_key:
                return Lookup(query, tuple(self.by_key[key]), (), coverage, tuple(stripped))
            for suffix, suffix_coverage in self._suffixes:
                if key.endswith(suffix) and len(key) > len(suffix):
                    key = key[: -len(suffix)]
                    stripped.append(suffix)
                    coverage = coverage or suffix_coverage
                    break
            else:
                break
        return Lookup(query, (), self.candidates(normalise_name(query)), coverage, tuple(stripped))

    def candidates(self, key: str, limit: int = 5) -> tuple[NameTarget, ...]:
        """Nearest names: those containing the query (or contained in it), then fuzzy matches."""
        scored: dict[str, float] = {}
        for known in self._keys:
            if key and (key in known or known in key):
                scored[known] = 1.0 + min(len(key), len(known)) / max(len(key), len(known))
        for known in difflib.get_close_matches(key, self._keys, n=limit * 2, cutoff=0.4):
            scored.setdefault(known, difflib.SequenceMatcher(None, key, known).ratio())
        best = sorted(scored, key=lambda k: (-scored[k], len(k)))
        out: list[NameTarget] = []
        seen: set[tuple[str, str | None]] = set()
        for known in best:
            for target in self.by_key[known]:
                if (target.code, target.item) not in seen:
                    seen.add((target.code, target.item))
                    out.append(target)
        return tuple(out[:limit])
