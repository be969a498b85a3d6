"""Checks that span files: references resolve, the hierarchy is a tree, names are unambiguous.

Schema checks (one file, one entry at a time) are pydantic's job in ``schema.py``; these are the checks
only the whole knowledge base can answer. Each returns ``Problem`` records rather than raising, so one
``tlc validate`` run lists everything that is wrong.
"""
from __future__ import annotations

from typing import Iterable

import networkx as nx

from classifier.knowledge.files import KnowledgeBase, Problem
from classifier.knowledge.names import all_names
from classifier.knowledge.vocabulary import LICENCE_NAME, PROVINCE, VocabularyError
from classifier.normalise import normalise_name



def _file(kb: KnowledgeBase, relative: str) -> str:
    """A file's label as ``knowledge_base`` writes it: relative to the directory above the root."""
    return f"{kb.root.name}/{relative}"


def _unknown_sources(kb: KnowledgeBase, file: str, entry: str, cited: Iterable[str]) -> list[Problem]:
    return [Problem(file, entry, f"cites unknown source {s!r}") for s in cited if s not in kb.sources]


def check_sources(kb: KnowledgeBase) -> list[Problem]:
    index_file, names_file, relations_file = (
        _file(kb, "catalogue/index.yaml"), _file(kb, "names.yaml"), _file(kb, "relations.yaml")
    )
    problems = _unknown_sources(kb, index_file, "catalogue", kb.info.sources)
    for amendment in kb.info.amendments:
        problems += _unknown_sources(kb, index_file, str(amendment.date), amendment.sources)
    for code, entry in kb.entries.items():
        file = kb.entry_files[code]
        problems += _unknown_sources(kb, file, code, entry.sources)
        for item in (*entry.licence_items, *entry.subkinds):
            problems += _unknown_sources(kb, file, item.id, item.sources)
        if all(kb.sources[s].kind == "guide" for s in entry.sources if s in kb.sources):
            problems.append(Problem(file, code, "a code may not rest on consultancy guides alone"))
    for name in kb.names:
        problems += _unknown_sources(kb, names_file, name.name, name.sources)
    for rel in kb.relations:
        problems += _unknown_sources(kb, relations_file, f"{rel.from_} {rel.type} {rel.to}", rel.sources)
    return problems


def check_hierarchy(kb: KnowledgeBase) -> list[Problem]:
    problems = []
    parents = nx.DiGraph()
    for code, entry in kb.entries.items():
        file = kb.entry_files[code]
        if entry.parent is None:
            continue
        parent = kb.entries.get(entry.parent)
        if parent is None:
            problems.append(Problem(file, code, f"unknown parent {entry.parent!r}"))
            continue
        parents.add_edge(code, entry.parent)
        if not code.startswith(entry.parent):
            problems.append(Problem(file, code, f"code does not sit under its parent {entry.parent}"))
        if parent.kind != entry.kind:
            problems.append(Problem(file, code, f"kind {entry.kind} differs from parent's {parent.kind}"))
        if parent.class_ is not None and parent.class_ != entry.class_:
            problems.append(Problem(file, code, f"class {entry.class_} differs from parent's {parent.class_}"))
        if entry.valid_from < parent.valid_from:
            problems.append(Problem(file, code, "in force before its parent"))
        if entry.kind != "regime" and entry.valid_from < kb.info.in_force:
            problems.append(Problem(file, code, f"valid_from before the catalogue's {kb.info.in_force}"))
    for cycle in nx.simple_cycles(parents):
        problems.append(Problem(kb.entry_files[cycle[0]], cycle[0], f"parent cycle: {' -> '.join(cycle)}"))
    for root in ("A", "B"):
        if root not in kb.entries:
            problems.append(Problem(_file(kb, "catalogue"), root, "root code missing"))
    return problems


def check_names(kb: KnowledgeBase) -> list[Problem]:

    names_file = _file(kb, "names.yaml")

    problems = []
    items = {i.id: c for c, e in kb.entries.items() for i in (*e.licence_items, *e.subkinds)}
    for name in kb.names:
        if name.code not in kb.entries:
            problems.append(Problem(names_file, name.name, f"unknown code {name.code!r}"))
        if name.item is not None and items.get(name.item) != name.code:
            problems.append(Problem(names_file, name.name, f"item {name.item!r} is not an item of {name.code}"))
    seen: dict[str, tuple[str, str | None, str]] = {}
    for target in all_names(kb):
        key = normalise_name(target.name)
        here = (target.code, target.item, target.name)
        if key not in seen:
            seen[key] = here
            continue
        first = seen[key]
        file = names_file if target.form != "official_2015" else kb.entry_files.get(target.code, names_file)
        if first[:2] != here[:2]:
            where = first[0] + (f" ({first[1]})" if first[1] else "")
            problems.append(Problem(file, target.name, f"name also maps to {where} as {first[2]!r}"))
        elif target.form != "official_2015":
            problems.append(Problem(file, target.name, "duplicate name"))
    for suffix in kb.suffixes:
        if not normalise_name(suffix.text):
            problems.append(Problem(names_file, "suffixes", "empty suffix"))
    return problems


def check_relations(kb: KnowledgeBase) -> list[Problem]:
    relations_file = _file(kb, "relations.yaml")
    problems = []
    seen: set[tuple[str, str, str]] = set()
    escalations = nx.DiGraph()
    for rel in kb.relations:
        label = f"{rel.from_} {rel.type} {rel.to}"
        for end in (rel.from_, rel.to):
            if end not in kb.entries:
                problems.append(Problem(relations_file, label, f"unknown code {end!r}"))
        key = (rel.type, *((rel.from_, rel.to) if rel.type == "escalates_to" else sorted((rel.from_, rel.to))))
        if key in seen:
            problems.append(Problem(relations_file, label, "duplicate relation"))
        seen.add(key)
        if rel.type == "escalates_to":
            escalations.add_edge(rel.from_, rel.to)
            target = kb.entries.get(rel.to)
            if target is not None and target.kind != "basic":
                problems.append(Problem(relations_file, label, "escalates_to must lead to a basic service"))
    for cycle in nx.simple_cycles(escalations):
        problems.append(Problem(relations_file, cycle[0], f"escalation cycle: {' -> '.join(cycle)}"))
    activities = {c.activity for rules in kb.rules.values() for r in rules for c in r.then if c.activity}
    if activities:  # a catalogue without rules has nothing to check `when` against
        for rel in kb.relations:
            if rel.type == "escalates_to" and rel.when not in activities:
                problems.append(Problem(relations_file, f"{rel.from_} {rel.type} {rel.to}",
                                        f"`when: {rel.when}` is no activity any rule concludes"))
    return problems


def check(kb: KnowledgeBase) -> list[Problem]:
    """Every cross-file problem of ``kb``."""
    return (check_sources(kb) + check_hierarchy(kb) + check_names(kb) + check_relations(kb) + check_engine(kb)
            + check_vocabulary(kb) + check_stage_order(kb))


def _atoms(rule) -> tuple[list, list]:
    """A rule's positive atoms (``all``, with ``any`` groups opened) and its snapshot atoms (``exists``, ``none``)."""
    positive = [a for part in rule.when.all for a in (part.any if hasattr(part, "any") else (part,))]
    return positive, [*rule.when.exists, *rule.when.none]


def check_engine(kb: KnowledgeBase) -> list[Problem]:
    """Rules, red lines, caps and the lexicon refer only to things that exist."""

    problems = []
    signals = {s.id for s in kb.lexicon.signals} | {LICENCE_NAME, PROVINCE}
    items = {i.id for e in kb.entries.values() for i in (*e.licence_items, *e.subkinds)}
    for rules in kb.rules.values():
        for rule in rules:
            file = kb.rule_files.get(rule.id, _file(kb, "rules"))
            problems += _unknown_sources(kb, file, rule.id, rule.sources)
            positive, snapshot = _atoms(rule)
            atoms = positive + snapshot
            names = {a.as_ for a in atoms if a.as_}
            for atom in atoms:
                if atom.signal is not None and atom.signal not in signals:
                    problems.append(Problem(file, rule.id, f"unknown signal {atom.signal!r}"))
                if atom.business is not None and atom.business not in kb.entries:
                    problems.append(Problem(file, rule.id, f"unknown code {atom.business!r}"))
                if atom.red_line is not None and atom.red_line not in kb.red_lines:
                    problems.append(Problem(file, rule.id, f"unknown red line {atom.red_line!r}"))
            for conclusion in rule.then:
                for value, what in ((conclusion.business, "code"), (conclusion.item, "item")):
                    if isinstance(value, str) and value.startswith("@"):
                        if value[1:].split(".")[0] not in names:
                            problems.append(Problem(file, rule.id, f"{value!r} names no atom (`as:`)"))
                    elif what == "code" and value is not None and value not in kb.entries:
                        problems.append(Problem(file, rule.id, f"unknown code {value!r}"))
                    elif what == "item" and value is not None and value not in items:
                        problems.append(Problem(file, rule.id, f"unknown item {value!r}"))
                if conclusion.red_line is not None and conclusion.red_line not in kb.red_lines:
                    problems.append(Problem(file, rule.id, f"unknown red line {conclusion.red_line!r}"))
                if conclusion.question is not None and (
                        conclusion.question not in kb.facts or kb.facts[conclusion.question].question_zh is None):
                    problems.append(Problem(file, rule.id, f"question {conclusion.question!r} has no wording in facts.yaml"))
                if conclusion.for_ is not None and conclusion.for_ not in names:
                    problems.append(Problem(file, rule.id, f"`for: {conclusion.for_}` names no atom (`as:`)"))
    for red_line in kb.red_lines.values():
        problems += _unknown_sources(kb, _file(kb, "red_lines.yaml"), red_line.id, red_line.sources)
        for code in red_line.requires:
            if code not in kb.entries:
                problems.append(Problem(_file(kb, "red_lines.yaml"), red_line.id, f"requires unknown code {code!r}"))
    for fact in kb.facts.values():
        problems += _unknown_sources(kb, _file(kb, "facts.yaml"), fact.name, fact.sources)
    if kb.foreign is not None:
        file = _file(kb, "foreign_investment.yaml")
        zones = {z.id for z in kb.foreign.zones}
        for zone in kb.foreign.zones:
            problems += _unknown_sources(kb, file, zone.id, zone.sources)
            problems += [Problem(file, zone.id, f"within unknown zone {w!r}") for w in zone.within if w not in zones]
        for cap in kb.foreign.caps:
            problems += _unknown_sources(kb, file, cap.id, cap.sources)
            problems += [Problem(file, cap.id, f"unknown code or item {c!r}") for c in cap.codes
                         if c not in kb.entries and c not in items]
            problems += [Problem(file, cap.id, f"unknown zone {z!r}") for z in cap.zones if z not in zones]
    if kb.provinces is not None:
        problems += _unknown_sources(kb, _file(kb, "provinces.yaml"), "provinces", kb.provinces.sources)
    if kb.claims is not None:
        problems += _unknown_sources(kb, _file(kb, "claims.yaml"), "claims", kb.claims.sources)
    for entries in kb.requirements.values():
        for entry in entries:
            file = kb.requirement_files.get(entry.id, _file(kb, "requirements"))
            problems += _unknown_sources(kb, file, entry.id, entry.sources)
            problems += [Problem(file, entry.id, f"applies to unknown code {c!r}")
                         for c in entry.applies_to.codes if c not in kb.entries]
            if entry.valid_from and entry.valid_to and entry.valid_to <= entry.valid_from:
                problems.append(Problem(file, entry.id, "valid_to must be after valid_from"))
    return problems


def check_vocabulary(kb: KnowledgeBase) -> list[Problem]:
    """Every fact and activity a rule, escalation, cap or condition names is declared in facts.yaml, with
    values its type allows; every declared origin is real (a rule-concluded fact is concluded by some
    rule, and no rule concludes a fact not declared so); no activity is declared and left unused."""
    vocabulary = kb.vocabulary
    facts_file = _file(kb, "facts.yaml")
    problems: list[Problem] = []
    concluded_facts: set[str] = set()
    concluded_activities: set[str] = set()
    used_activities: set[str] = set()

    def check_value(file, entry, name, value):
        if value is None or (isinstance(value, str) and value.startswith("@")):
            return
        try:
            vocabulary.typed(name, value)
        except VocabularyError as exc:
            problems.append(Problem(file, entry, str(exc)))

    for rules in kb.rules.values():
        for rule in rules:
            file = kb.rule_files.get(rule.id, _file(kb, "rules"))
            positive, snapshot = _atoms(rule)
            for atom in positive + snapshot:
                if atom.fact is not None:
                    if atom.fact not in vocabulary.facts:
                        problems.append(Problem(file, rule.id, f"fact {atom.fact!r} is not declared in facts.yaml"))
                    else:
                        check_value(file, rule.id, atom.fact, atom.value)
                if atom.activity is not None:
                    used_activities.add(atom.activity)
                    if atom.activity not in vocabulary.activities:
                        problems.append(Problem(file, rule.id, f"activity {atom.activity!r} is not declared in facts.yaml"))
            for conclusion in rule.then:
                if conclusion.fact is not None:
                    concluded_facts.add(conclusion.fact)
                    spec = vocabulary.facts.get(conclusion.fact)
                    if spec is None:
                        problems.append(Problem(file, rule.id, f"fact {conclusion.fact!r} is not declared in facts.yaml"))
                    elif "rule" not in spec.origin:
                        problems.append(Problem(file, rule.id, f"concludes {conclusion.fact!r}, declared without origin `rule`"))
                    else:
                        check_value(file, rule.id, conclusion.fact, conclusion.value)
                if conclusion.activity is not None:
                    concluded_activities.add(conclusion.activity)
                    if conclusion.activity not in vocabulary.activities:
                        problems.append(Problem(file, rule.id, f"activity {conclusion.activity!r} is not declared in facts.yaml"))
    for relation in kb.relations:
        if relation.when is not None:
            used_activities.add(relation.when)
            if relation.when not in vocabulary.activities:
                problems.append(Problem(_file(kb, "relations.yaml"), f"{relation.from_}->{relation.to}",
                                        f"`when: {relation.when}` is not a declared activity"))
    for cap in kb.foreign.caps if kb.foreign is not None else ():
        used_activities.update(cap.activities)
        for activity in cap.activities:
            if activity not in vocabulary.activities:
                problems.append(Problem(_file(kb, "foreign_investment.yaml"), cap.id, f"{activity!r} is not a declared activity"))
    for entry in kb.requirements.get("conditions", ()):
        check = getattr(entry, "check", None)
        if check is not None and check.fact is not None:
            spec = vocabulary.facts.get(check.fact)
            if spec is None or "profile" not in spec.origin:
                problems.append(Problem(kb.requirement_files.get(entry.id, facts_file), entry.id,
                                        f"checks {check.fact!r}, which is not a fact the profile states"))
    for spec in vocabulary.facts.values():
        if "rule" in spec.origin and spec.name not in concluded_facts:
            problems.append(Problem(facts_file, spec.name, "declared with origin `rule`, but no rule concludes it"))
        for option in spec.options:
            if spec.type not in ("enum", "set"):
                check_value(facts_file, spec.name, spec.name, option)
    for name in vocabulary.activities:
        if name not in concluded_activities:
            problems.append(Problem(facts_file, name, "activity declared but no rule concludes it"))
        elif name not in used_activities:
            problems.append(Problem(facts_file, name, "activity concluded but nothing tests it"))
    return problems


MECHANISM_STAGE = "findings"   # data-table mechanisms run after the businesses stage, before this one


def check_stage_order(kb: KnowledgeBase) -> list[Problem]:
    """A rule tests only what exists by its stage: an ``all`` atom what an earlier stage or its own
    concludes (facts chain within a pass), an ``exists``/``none`` atom what an earlier stage concludes
    (it is tested against the snapshot taken before the pass). Signals, and facts the text or profile
    states, exist from the start; mechanism facts from the findings stage."""
    from classifier.knowledge.schema import STAGES

    order = {stage: index for index, stage in enumerate(STAGES)}
    first: dict[tuple[str, str], int] = {}   # (kind, name) -> first stage that concludes it
    for stage, rules in kb.rules.items():
        for rule in rules:
            for c in rule.then:
                for key in ((("fact", c.fact),) if c.fact else ()) + ((("activity", c.activity),) if c.activity else ()) \
                        + ((("business", "*"),) if c.business else ()) + ((("red_line", c.red_line),) if c.red_line else ()):
                    first[key] = min(first.get(key, order[stage]), order[stage])
    first[("business", "*")] = min(first.get(("business", "*"), order["businesses"]), order["businesses"])
    for spec in kb.vocabulary.facts.values():
        if {"profile", "text"} & set(spec.origin):
            first[("fact", spec.name)] = -1
        elif "mechanism" in spec.origin:
            first[("fact", spec.name)] = min(first.get(("fact", spec.name), 99), order[MECHANISM_STAGE])
    problems = []
    for stage, rules in kb.rules.items():
        here = order[stage]
        for rule in rules:
            file = kb.rule_files.get(rule.id, _file(kb, "rules"))
            positive, snapshot = _atoms(rule)
            for atom, latest in [(a, here) for a in positive] + [(a, here - 1) for a in snapshot]:
                if atom.fact is not None:
                    key = ("fact", atom.fact)
                elif atom.activity is not None:
                    key = ("activity", atom.activity)
                elif atom.business is not None or atom.business_kind is not None:
                    key = ("business", "*")
                elif atom.red_line is not None:
                    key = ("red_line", atom.red_line)
                else:
                    continue
                known = first.get(key)
                if known is None or known > latest:
                    when = "before" if latest < here else "by"
                    problems.append(Problem(file, rule.id, f"tests {key[0]} {key[1]!r}, which nothing concludes {when} "
                                                           f"the {stage} stage"))
    return problems
