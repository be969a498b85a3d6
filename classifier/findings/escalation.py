"""Between the business and findings stages: apply the catalogue's ``escalates_to`` edges.

A value-added business becomes (also) a basic one when the condition its relation names holds — B13
with traffic carried across the border is A14-4 — so the graph in ``knowledge/relations.yaml``, not a
rule written twice, decides it. The condition is an activity the earlier stages derived.
"""
from __future__ import annotations

import datetime as dt

from classifier.knowledge.catalogue import Catalogue
from classifier.engine.inference import FactStore, Firing
from classifier.knowledge.vocabulary import Fact


def relation_rule_id(relation) -> str:
    return f"relation.{relation.from_}.escalates_to.{relation.to}"


def escalate(catalogue: Catalogue, store: FactStore, as_of: dt.date) -> None:
    activities = {d.fact.name for d in store.of("activity")}
    for business in list(store.of("business")):
        code = business.fact.code
        if code not in catalogue:
            continue
        for relation in catalogue.escalations(code):
            if relation.when not in activities or not catalogue.in_force(relation.to, as_of):
                continue
            condition = next(d for d in store.of("activity") if d.fact.name == relation.when)
            fact = Fact.business(relation.to)
            supports = business.supports | condition.supports
            rule = relation_rule_id(relation)
            if store.add(fact, "businesses", rule, supports):
                concluded = store.facts[fact].encoded
                store.trace.append(Firing(rule, "businesses", (business.encoded, condition.encoded), (concluded,), (True,)))
