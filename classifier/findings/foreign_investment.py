"""Between the business and findings stages: foreign-ownership caps by code, zone and date.

The caps are data (``knowledge/foreign_investment.yaml``); this module only picks the one that applies.
Of the caps in force on ``as_of`` for the zones the company lies in on that day (a zone counts from the day
it was set up), the most specific wins — a licence item or sub-kind over its code, a code over its ancestors
(the general caps name ``B`` and ``A``), a zoned cap over a nationwide one — and among equally specific caps
the most permissive.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from classifier.knowledge.catalogue import Catalogue
from classifier.engine.inference import FactStore
from classifier.normalise import normalise_name
from classifier.knowledge.schema import Cap, ForeignInvestmentFile

EPSILON = 1e-9


@dataclass(frozen=True)
class CapDecision:
    """The cap that applies to one business, and whether another zone would have a different one."""

    max_share: float
    caps: tuple[Cap, ...]
    zone_dependent: bool


def zones_of(table: ForeignInvestmentFile, location: str | None, as_of: dt.date | None = None) -> frozenset[str]:
    """Zones a registered location lies in on ``as_of`` (by name or alias), with the wider zones they lie within.

    A zone counts only while it exists (``valid_from``/``valid_to``; ``as_of`` None ignores dates). A wider zone
    that the location names together with one of its own sub-zones is reached only through that sub-zone, so
    the sub-zone's date decides: "上海自贸区临港新片区" lies in the Shanghai FTZ only from the day Lingang joined it.
    """
    if not location:
        return frozenset()
    key = normalise_name(location)
    by_id = {z.id: z for z in table.zones}

    def wider(zone_id: str) -> set[str]:
        out, pending = set(), list(by_id[zone_id].within)
        while pending:
            zone = pending.pop()
            if zone not in out:
                out.add(zone)
                pending.extend(by_id[zone].within)
        return out

    def exists(zone_id: str) -> bool:
        zone = by_id[zone_id]
        return as_of is None or ((zone.valid_from is None or zone.valid_from <= as_of)
                                 and (zone.valid_to is None or as_of < zone.valid_to))

    named = {z.id for z in table.zones if any(normalise_name(a) in key for a in (z.name_zh, *z.aliases))}
    direct = {z for z in named if not any(z in wider(other) for other in named - {z})}
    found = {z for z in direct if exists(z)}
    pending = list(found)
    while pending:
        for outer in by_id[pending.pop()].within:
            if outer not in found and exists(outer):
                found.add(outer)
                pending.append(outer)
    return frozenset(found)


def _in_force(cap: Cap, as_of: dt.date) -> bool:
    return cap.valid_from <= as_of and (cap.valid_to is None or as_of < cap.valid_to)


def decide_cap(table: ForeignInvestmentFile, catalogue: Catalogue, code: str, items: tuple[str, ...],
               zones: frozenset[str], as_of: dt.date, activities: frozenset[str] = frozenset()) -> CapDecision | None:
    """The cap for ``code`` (with its licence items) in ``zones`` on ``as_of``; None if no cap names it."""
    ladder = [*items, code, *reversed(catalogue.ancestors(code))]
    best_key, best = None, []
    zone_dependent = False
    for cap in table.caps:
        if not _in_force(cap, as_of) or (cap.activities and not activities.intersection(cap.activities)):
            continue
        ranks = [ladder.index(c) for c in cap.codes if c in ladder]
        if not ranks:
            continue
        if cap.zones:
            zone_dependent = True
            if not zones.intersection(cap.zones):
                continue
        key = (min(ranks), 0 if cap.zones else 1)
        if best_key is None or key < best_key:
            best_key, best = key, [cap]
        elif key == best_key:
            best.append(cap)
    if not best:
        return None
    return CapDecision(max(c.max_share for c in best), tuple(best), zone_dependent)


def check_foreign_investment(catalogue: Catalogue, store: FactStore, as_of: dt.date) -> None:
    """Add ``foreign_invested``, ``foreign_cap_exceeded`` and ``location_needed`` facts."""
    table = catalogue.kb.foreign
    share_fact = store.first("foreign_share")
    if table is None or share_fact is None:
        return
    vocabulary = catalogue.kb.vocabulary
    share = share_fact.fact.value  # a profile's number, or a share read from the text: typed already
    store.add(vocabulary.fact("foreign_invested", share > 0), "businesses", "foreign_investment.share",
              share_fact.supports)
    location = next(iter(store.values("location")), None)
    activities = frozenset(d.fact.name for d in store.of("activity"))
    zones = zones_of(table, location, as_of)
    businesses: dict[str, list] = {}
    for derived in store.of("business"):
        code = derived.fact.code
        if code in catalogue and catalogue.entry(code).kind != "regime" and not catalogue.is_category(code):
            businesses.setdefault(code, []).append(derived)
    # A heading named beside its sub-code (B24 beside B24-1) is not a business of its own: the sub-code is
    # what is licensed and what the cap is checked for (the result drops the heading the same way).
    for code in list(businesses):
        if any(other != code and code in catalogue.ancestors(other) for other in businesses):
            del businesses[code]
    items_of: dict[str, set[str]] = {}
    for derived in store.of("item"):
        items_of.setdefault(derived.fact.code, set()).add(derived.fact.item)
    for code, derivations in businesses.items():
        items = tuple(sorted(items_of.get(code, ())))
        decision = decide_cap(table, catalogue, code, items, zones, as_of, activities)
        if decision is None:
            continue
        supports = frozenset().union(share_fact.supports, *(d.supports for d in derivations))
        if share > decision.max_share + EPSILON:
            store.add(vocabulary.fact("foreign_cap_exceeded", code), "businesses",
                      f"foreign_investment.cap.{decision.caps[0].id}", supports)
        if location is None and decision.zone_dependent and share > 0:
            store.add(vocabulary.fact("location_needed", True), "businesses", "foreign_investment.zone_dependent",
                      supports)
