"""Between the business and findings stages: compare what the company holds with what it needs.

For each business the profile's ``licences_held`` either covers (same code, an ancestor or
descendant of it, or a basic service the business escalates to) or does not (``licence_gap``); where it covers the code but not every province the
profile says the service reaches, that is ``coverage_gap`` (operating beyond the licensed provinces).
"""
from __future__ import annotations

import datetime as dt

from classifier.knowledge.catalogue import Catalogue
from classifier.engine.inference import FactStore
from classifier.text.profile import Profile

def check_licences_held(catalogue: Catalogue, profile: Profile, store: FactStore, as_of: dt.date) -> None:
    if profile.licences_held is None:
        return
    vocabulary = catalogue.kb.vocabulary
    seen: set[str] = set()
    for derived in store.of("business"):
        code = derived.fact.code
        if code in seen or code not in catalogue:
            continue
        seen.add(code)
        entry = catalogue.entry(code)
        if entry.kind == "regime" and entry.treated_as is None:
            continue  # a filing (备案), not a licence: nothing to hold
        if catalogue.is_category(code):
            continue
        # Held: the code itself, an ancestor or descendant of it, or — for a basic operator — a basic
        # service this business escalates to (an operator holding A14-4 runs international VPNs).
        related = {code, *catalogue.ancestors(code), *(r.to for r in catalogue.escalations(code))}
        held = [h for h in profile.licences_held
                if h.code in related or code in catalogue.ancestors(h.code)]
        if not held:
            store.add(vocabulary.fact("licence_gap", code), "businesses", "licences_held.not_held", derived.supports)
            continue
        if any(h.provinces is None for h in held):
            continue  # a nationwide licence covers every province
        covered = {p for h in held for p in h.provinces or ()}
        reach_outside = profile.nationwide or (profile.provinces is not None and set(profile.provinces) - covered)
        if reach_outside:
            store.add(vocabulary.fact("coverage_gap", code), "businesses", "licences_held.beyond_provinces",
                      derived.supports)
