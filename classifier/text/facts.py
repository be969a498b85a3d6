"""The input -> the typed facts the rule engine starts from.

Each distinct (signal, scope, code, item) becomes one fact, however often the text mentions it; the
mentions are kept beside the facts as evidence. The text also states a few facts directly (how many
provinces it names, a foreign share it gives). Profile facts are asserted as they were stated, and
their names are returned so that text-derived values of the same facts yield to them.
"""
from __future__ import annotations

import dataclasses
import itertools
import re

from classifier.knowledge.catalogue import Catalogue
from classifier.knowledge.schema import LocationPattern, SharePattern
from classifier.knowledge.vocabulary import PROVINCE, Fact, Vocabulary
from classifier.text.lexicon import Mention
from classifier.text.profile import Profile


def signal_fact(mention: Mention) -> Fact:
    return Fact.signal(mention.signal, mention.scope, mention.code, mention.item)


def mention_facts(mentions: list[Mention], subjects: list[Mention] = ()) -> tuple[list[Fact], dict[Fact, list[Mention]]]:
    """One fact per distinct signal (plus a ``subject`` copy of the mentions that open the text),
    and the mentions behind each fact (its evidence)."""
    facts: list[Fact] = []
    evidence: dict[Fact, list[Mention]] = {}
    known: dict[tuple, Fact] = {}   # a long text repeats a few terms many times: make each fact once
    for mention in itertools.chain(mentions, (dataclasses.replace(m, scope="subject") for m in subjects)):
        key = (mention.signal, mention.scope, mention.code, mention.item)
        fact = known.get(key)
        if fact is None:
            fact = known[key] = signal_fact(mention)
            facts.append(fact)
            evidence[fact] = []
        evidence[fact].append(mention)
    return facts, evidence


def province_count_fact(mentions: list[Mention], vocabulary: Vocabulary) -> list[Fact]:
    """How many provinces the text names as where the service is (rules decide what that means)."""
    named = {m.code for m in mentions if m.signal == PROVINCE and m.scope == "asserted"}
    if not named:
        return []
    return [vocabulary.fact("provinces_mentioned", "one" if len(named) == 1 else "several")]


def share_facts(text: str, patterns: tuple[SharePattern, ...], vocabulary: Vocabulary) -> list[Fact]:
    """Foreign-ownership percentages the text states (外方持股30%), as a share between 0 and 1."""
    for pattern in patterns:
        match = re.search(pattern.regex, text, flags=re.IGNORECASE)
        if match and pattern.share is not None:
            return [vocabulary.fact("foreign_share", pattern.share)]
        if match:
            percent = float(match.group(1))
            if 0 <= percent <= 100:
                return [vocabulary.fact("foreign_share", percent / 100)]
    return []


def location_facts(text: str, patterns: tuple[LocationPattern, ...], vocabulary: Vocabulary) -> list[Fact]:
    """Where the text says the company is registered (注册在临港新片区, registered in Lingang)."""
    for pattern in patterns:
        match = re.search(pattern.regex, text, flags=re.IGNORECASE)
        if match and match.group(1).strip():
            return [vocabulary.fact("location", match.group(1).strip())]
    return []


def profile_facts(profile: Profile, vocabulary: Vocabulary, catalogue: Catalogue) -> tuple[list[Fact], set[str]]:
    """Facts the profile states, and the names of those facts (they override the text).

    Each declared profile fact gives its value (a set fact one fact per element); coverage gives its
    scope; the licences held give ``basic_operator`` when one of them is a basic (A) business.
    """
    facts: list[Fact] = []
    for spec in vocabulary.with_origin("profile"):
        if spec.profile_type == "provinces":
            if profile.coverage_scope is not None:
                facts.append(vocabulary.fact(spec.name, profile.coverage_scope))
            continue
        if spec.type == "licences":
            continue  # the licence-coverage mechanism reads the licences held themselves
        if spec.profile_type == "holds_basic_licence":
            if profile.licences_held is not None and any(
                    h.code in catalogue and catalogue.entry(h.code).kind == "basic" for h in profile.licences_held):
                facts.append(vocabulary.fact(spec.name, True))
            continue
        value = profile.get(spec.profile_field)
        if value is None:
            continue
        for element in (value if isinstance(value, tuple) else (value,)):
            facts.append(vocabulary.fact(spec.name, element))
    return facts, {f.name for f in facts}
