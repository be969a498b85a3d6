"""The catalogue as a networkx graph.

Nodes are codes (with their ``CatalogueEntry`` as the ``entry`` attribute). Edges carry a ``type``:
``contains`` (parent -> child, the hierarchy), ``escalates_to`` (a value-added business that becomes a
basic one when a fact holds), and the symmetric ``confused_with`` and ``commonly_with`` (stored in both
directions). Queries answer what users and the engine ask: ancestors, class, related codes.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Iterator

import networkx as nx

from classifier.errors import UnknownCodeError
from classifier.knowledge.files import KnowledgeBase
from classifier.knowledge.schema import CatalogueEntry, LicenceItem, Relation

HIERARCHY = "contains"
SYMMETRIC = ("confused_with", "commonly_with")


@dataclass(frozen=True)
class Related:
    """A code related to another by a typed edge, with the relation that says why."""

    code: str
    type: str
    relation: Relation


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """Hierarchy plus typed relations; unknown endpoints are left to ``integrity.check`` to report."""
    graph = nx.MultiDiGraph()
    for code, entry in kb.entries.items():
        graph.add_node(code, entry=entry)
    for code, entry in kb.entries.items():
        if entry.parent is not None and entry.parent in kb.entries:
            graph.add_edge(entry.parent, code, key=HIERARCHY, type=HIERARCHY)
    for rel in kb.relations:
        if rel.from_ not in kb.entries or rel.to not in kb.entries:
            continue
        graph.add_edge(rel.from_, rel.to, key=rel.type, type=rel.type, relation=rel)
        if rel.type in SYMMETRIC:
            graph.add_edge(rel.to, rel.from_, key=rel.type, type=rel.type, relation=rel)
    return graph


class Catalogue:
    """Read-only view of the catalogue for lookups and graph queries."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.graph = build_graph(kb)
        self._escalations: dict[str, list[Relation]] = {}
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self.rules_by_id = {rule.id: rule for rules in kb.rules.values() for rule in rules}
        self._items: dict[str, tuple[CatalogueEntry, LicenceItem]] = {
            item.id: (entry, item)
            for entry in kb.entries.values()
            for item in (*entry.licence_items, *entry.subkinds)
        }

    # -- single entries -------------------------------------------------------------------------
    def __contains__(self, code: object) -> bool:
        return code in self.kb.entries

    def codes(self) -> list[str]:
        return list(self.kb.entries)

    def entry(self, code: str) -> CatalogueEntry:
        """The entry for ``code``; an unknown code raises with the nearest known codes."""
        entry = self.kb.entries.get(code)
        if entry is not None:  # the engine's own codes: exact already
            return entry
        key = code.strip().upper() if code.strip().upper() in self.kb.entries else code.strip()
        try:
            return self.kb.entries[key]
        except KeyError:
            close = difflib.get_close_matches(code.strip().upper(), self.codes(), n=3, cutoff=0.5)
            raise UnknownCodeError(code, tuple(close)) from None

    def item(self, item_id: str) -> tuple[CatalogueEntry, LicenceItem]:
        try:
            return self._items[item_id]
        except KeyError:
            raise UnknownCodeError(item_id) from None

    def in_force(self, code: str, as_of: dt.date) -> bool:
        entry = self.entry(code)
        return entry.valid_from <= as_of and (entry.valid_to is None or as_of < entry.valid_to)

    # -- hierarchy ------------------------------------------------------------------------------
    def parent(self, code: str) -> str | None:
        return self.entry(code).parent

    def children(self, code: str) -> list[str]:
        self.entry(code)
        return [v for _, v, k in self.graph.out_edges(code, keys=True) if k == HIERARCHY]

    def ancestors(self, code: str) -> list[str]:
        """Ancestors from the root down, not including ``code`` (remembered: the catalogue is read-only)."""
        known = self._ancestors.get(code)
        if known is None:
            chain = []
            parent = self.entry(code).parent
            while parent is not None:
                chain.append(parent)
                parent = self.kb.entries[parent].parent
            known = self._ancestors[code] = tuple(reversed(chain))
        return list(known)

    def level(self, code: str) -> int:
        """Depth in the hierarchy: A and B are 0, A1 and B2 are 1, A11 and B25 are 2, A11-1 is 3."""
        return len(self.ancestors(code))

    def is_category(self, code: str) -> bool:
        """A class of businesses (A, A1, B2 ...), declared in the catalogue: no one is licensed for it."""
        return self.entry(code).category

    def is_regime(self, code: str) -> bool:
        """An X- regime outside the catalogue (ICP filing, mobile resale, new services)."""
        return self.entry(code).kind == "regime"

    def class_of(self, code: str) -> str | None:
        """'first' or 'second' (第一类/第二类), or None for the roots and the X- regimes."""
        return self.entry(code).class_

    def is_leaf(self, code: str) -> bool:
        return not self.children(code)

    def roots(self) -> list[str]:
        return [c for c, e in self.kb.entries.items() if e.parent is None]

    def walk(self) -> Iterator[tuple[int, CatalogueEntry]]:
        """Every entry depth-first in catalogue order, with its depth (roots are 0)."""

        def visit(code: str, depth: int) -> Iterator[tuple[int, CatalogueEntry]]:
            yield depth, self.kb.entries[code]
            for child in self.children(code):
                yield from visit(child, depth + 1)

        for root in self.roots():
            yield from visit(root, 0)

    # -- typed relations ------------------------------------------------------------------------
    def related(self, code: str, type: str | None = None) -> list[Related]:
        """Codes linked to ``code`` by outgoing typed edges (both ways for symmetric types)."""
        self.entry(code)
        out = []
        for _, other, key, data in self.graph.out_edges(code, keys=True, data=True):
            if key == HIERARCHY or (type is not None and key != type):
                continue
            out.append(Related(other, key, data["relation"]))
        return out

    def escalations(self, code: str) -> list[Relation]:
        """The ``escalates_to`` relations leaving ``code``, or any of its ancestors (computed once)."""
        cached = self._escalations.get(code)
        if cached is None:
            cached = [r.relation for node in (*self.ancestors(code), code)
                      for r in self.related(node, "escalates_to")]
            self._escalations[code] = cached
        return list(cached)

    def hierarchy(self) -> nx.DiGraph:
        """The hierarchy alone, as a simple directed graph (a forest)."""
        return nx.DiGraph(
            (u, v) for u, v, k in self.graph.edges(keys=True) if k == HIERARCHY
        )
