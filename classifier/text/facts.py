"""Stage 2: signals and the profile -> the input facts the rule engine starts from.

Each distinct (signal, scope, code, item) becomes one fact, however often the text mentions it; the
mentions are kept beside the facts as evidence. Profile facts are asserted as they were stated, and
their names are returned so that text-derived values of the same facts yield to them.
"""
from __future__ import annotations

from collections import defaultdict

from classifier.engine.inference import FactKey, fact_key
from classifier.text.profile import Profile
from classifier.engine.compiler import value_text
from classifier.text.lexicon import Mention


def signal_fact(mention: Mention) -> dict:
    return {"t": "signal", "name": mention.signal, "scope": mention.scope,
            "code": mention.code or "", "item": mention.item or ""}


def mention_facts(mentions: list[Mention], subjects: list[Mention] = ()) -> tuple[list[dict], dict[FactKey, list[Mention]]]:
    """One fact per distinct signal (plus a ``subject`` copy of the mentions that open the text),
    and the mentions behind each fact (its evidence)."""
    facts: list[dict] = []
    evidence: dict[FactKey, list[Mention]] = defaultdict(list)
    import dataclasses

    for mention in [*mentions, *(dataclasses.replace(m, scope="subject") for m in subjects)]:
        fact = signal_fact(mention)
        key = fact_key(fact)  # every value is already a string
        if key not in evidence:
            facts.append(fact)
        evidence[key].append(mention)
    return facts, dict(evidence)


def province_count_fact(mentions: list[Mention]) -> list[dict]:
    """How many provinces the text names as where the service is (rules decide what that means)."""
    from classifier.text.lexicon import PROVINCE

    named = {m.code for m in mentions if m.signal == PROVINCE and m.scope == "asserted"}
    if not named:
        return []
    return [_fact("provinces_mentioned", "one" if len(named) == 1 else "several")]


def share_facts(text: str, patterns) -> list[dict]:
    """Foreign-ownership percentages the text states (外方持股30%), as a share between 0 and 1."""
    import re

    for pattern in patterns:
        match = re.search(pattern.regex, text, flags=re.IGNORECASE)
        if match and pattern.share is not None:
            return [_fact("foreign_share", f"{pattern.share:g}")]
        if match:
            percent = float(match.group(1))
            if 0 <= percent <= 100:
                return [_fact("foreign_share", f"{percent / 100:g}")]
    return []


def _fact(name: str, value) -> dict:
    return {"t": "fact", "name": name, "value": value_text(value)}


def profile_facts(profile: Profile) -> tuple[list[dict], set[str]]:
    """Facts the profile states, and the names of those facts (they override the text)."""
    facts: list[dict] = []
    if profile.coverage_scope is not None:
        facts.append(_fact("coverage_scope", profile.coverage_scope))
    for name in ("cross_border", "cross_border_operator", "own_platform", "commercial"):
        value = getattr(profile, name)
        if value is not None:
            facts.append(_fact(name, value))
    for customer in profile.customers or ():
        facts.append(_fact("customers", customer))
    if profile.foreign_share is not None:
        facts.append(_fact("foreign_share", profile.foreign_share))
    if profile.location is not None:
        facts.append(_fact("location", profile.location))
    for name in ("registered_capital", "state_share", "dishonest_listed"):
        if getattr(profile, name) is not None:
            facts.append(_fact(name, getattr(profile, name)))
    if profile.licences_held is not None:
        facts.append(_fact("licences_held", len(profile.licences_held)))
        if any(h.code.startswith("A") for h in profile.licences_held):
            facts.append(_fact("basic_operator", True))
    return facts, {f["name"] for f in facts}
