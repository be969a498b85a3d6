"""Compile the YAML rules of one stage into a durable_rules ruleset, within the engine's limits.

Design (see docs/engine.md):
- Positive atoms become patterns on single facts (``{"t": "signal", "name": ..., "scope": ...}``); the Rete
  joins them and chains on facts that actions assert.
- Negated atoms (``none:``) and rule dates become tests on one ``ctx`` fact: a snapshot of everything
  known before the stage, asserted first. durable_rules evaluates ``$not`` against whatever has arrived so
  far, so negating a fact that arrives later in the same batch silently fails; testing a complete
  snapshot instead makes negation stratified and order-independent. ``$iall`` is false on an empty
  array, so every ctx array carries a sentinel.
- ``any:`` groups are expanded into one durable rule per alternative (the rule id is kept for the trace).
- durable_rules hangs once 512 alpha tests share a parent node and refuses more than 4096 rules per
  ruleset; the compiler refuses a stage that comes near either (``MAX_SIBLINGS``, ``MAX_RULES``).
"""
from __future__ import annotations

import copy
import datetime as dt
import hashlib
import itertools
import json
from dataclasses import dataclass, field

from classifier.errors import KnowledgeError
from classifier.knowledge.schema import Atom, Conclusion, Rule
from classifier.knowledge.vocabulary import value_text

MAX_SIBLINGS = 400      # durable_rules hangs at 512 tests under one node
MAX_RULES = 1000        # durable_rules refuses 4096; throughput falls well before that
MAX_EXPANSION = 32      # alternatives one rule may expand into
HANDLED_CACHE = 4096    # remembered answers of CompiledStage.handles
SENTINEL = "\u2205"    # keeps ctx arrays non-empty ($iall over [] is false in durable_rules)
CTX_RULE = "ctx.present"

# ctx array that holds each kind of negatable fact, and how a fact of that kind is written into it
CTX_FIELDS = {
    "signal": "signals",
    "fact": "facts",
    "fact_known": "known",
    "activity": "activities",
    "business": "businesses",
    "business_kind": "kinds",
    "red_line": "red_lines",
}


def pattern_items(atom: Atom) -> tuple[tuple[str, str], ...]:
    """The equality tests of a positive atom, in the order that shares alpha nodes best."""
    if atom.signal is not None:
        return (("t", "signal"), ("name", atom.signal), ("scope", atom.scope or "asserted"))
    if atom.fact is not None:
        tests = [("t", "fact"), ("name", atom.fact)]
        if atom.value is not None:
            tests.append(("value", value_text(atom.value)))
        return tuple(tests)
    if atom.activity is not None:
        return (("t", "activity"), ("name", atom.activity))
    if atom.business is not None:
        return (("t", "business"), ("code", atom.business))
    if atom.business_kind is not None:
        return (("t", "business"), ("kind", atom.business_kind))
    return (("t", "red_line"), ("name", atom.red_line))


def ctx_entry(atom: Atom) -> tuple[str, str]:
    """(ctx array, element) that is present exactly when the negated atom would match."""
    if atom.signal is not None:
        return CTX_FIELDS["signal"], f"{atom.signal}@{atom.scope or 'asserted'}"
    if atom.fact is not None:
        if atom.value is None:
            return CTX_FIELDS["fact_known"], atom.fact
        return CTX_FIELDS["fact"], f"{atom.fact}={value_text(atom.value)}"
    if atom.activity is not None:
        return CTX_FIELDS["activity"], atom.activity
    if atom.business is not None:
        return CTX_FIELDS["business"], atom.business
    if atom.business_kind is not None:
        return CTX_FIELDS["business_kind"], atom.business_kind
    return CTX_FIELDS["red_line"], atom.red_line


def date_number(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    name: str                               # durable rule name (unique within the ruleset)
    aliases: dict[str, Atom]                # durable alias -> positive atom
    named: dict[str, str]                   # `as` name in YAML -> durable alias
    conclusions: tuple[tuple[str, Conclusion], ...] = ()  # (kind, conclusion): the kind worked out once


@dataclass(frozen=True)
class CompiledStage:
    stage: str
    ruleset: str
    definition: dict
    rules: dict[str, CompiledRule]
    signatures: frozenset[frozenset[tuple[str, str]]]
    counts: dict[str, int] = field(default_factory=dict)
    # ctx array -> the elements some test of this stage looks for: the only ones worth sending
    ctx_vocabulary: dict[str, frozenset[str]] = field(default_factory=dict)
    # per rule: the named facts it tests (all, any, exists, none), the named facts it concludes, and whether
    # it concludes anything else; Engine.resume reads this through ``affected_by``
    fact_use: tuple[tuple[frozenset[str], frozenset[str], bool], ...] = ()

    def __post_init__(self) -> None:
        # Index the signatures by their attribute names: a fact is then checked with one set lookup
        # per distinct attribute set (a handful) instead of a scan of every pattern.
        index: dict[tuple[str, ...], set[tuple]] = {}
        for signature in self.signatures:
            keys = tuple(sorted(k for k, _ in signature))
            index.setdefault(keys, set()).add(tuple(sorted(signature)))
        object.__setattr__(self, "_index", tuple((keys, frozenset(values)) for keys, values in index.items()))
        object.__setattr__(self, "_handled", {})

    def handles(self, fact: dict, key: tuple | None = None) -> bool:
        """Would some pattern of this stage match ``fact``? durable_rules rejects facts none does.

        ``key`` (the fact's content key) lets the answer be remembered: the vocabulary of facts is small.
        """
        if key is not None:
            known = self._handled.get(key)
            if known is None:
                if len(self._handled) >= HANDLED_CACHE:
                    self._handled.clear()  # facts such as `location` carry free text: stay bounded
                known = self._handled[key] = self.handles(fact)
            return known
        for keys, signatures in self._index:
            if all(k in fact for k in keys) and tuple((k, fact[k]) for k in keys) in signatures:
                return True
        return False

    def affected_by(self, names: frozenset[str]) -> bool:
        """Could stating facts called ``names`` change what this stage concludes, other than those facts
        themselves (which a stated fact overrides)? Only if a rule tests one and concludes something else."""
        return any(tested & names and (other or concluded - names) for tested, concluded, other in self.fact_use)

    def fresh_definition(self) -> dict:
        """A deep copy: durable_rules deletes the ``run`` keys of what it is given."""
        return copy.deepcopy(self.definition)


def _alternatives(rule: Rule) -> list[list[Atom]]:
    groups = [[a] if isinstance(a, Atom) else list(a.any) for a in rule.when.all]
    combos = list(itertools.islice(itertools.product(*groups), MAX_EXPANSION + 1)) if groups else [()]
    if len(combos) > MAX_EXPANSION:
        raise KnowledgeError(f"`any` groups expand into more than {MAX_EXPANSION} alternatives", entry=rule.id)
    return [list(c) for c in combos]


def _ctx_elements(rule: Rule) -> list[tuple[str, str]]:
    return [ctx_entry(atom) for atom in (*rule.when.exists, *rule.when.none)]


def _ctx_pattern(rule: Rule) -> dict | None:
    tests: list[dict] = []
    for atom in rule.when.exists:
        array, element = ctx_entry(atom)
        tests.append({"$iany": {array: {"$i": element}}})
    for atom in rule.when.none:
        array, element = ctx_entry(atom)
        tests.append({"$iall": {array: {"$neq": {"$i": element}}}})
    if rule.valid_from is not None:
        tests.append({"$gte": {"as_of": date_number(rule.valid_from)}})
    if rule.valid_to is not None:
        tests.append({"$lt": {"as_of": date_number(rule.valid_to)}})
    if not tests:
        return None
    return {"$and": [{"t": "ctx"}, *tests]}


def compile_stage(stage: str, rules: tuple[Rule, ...], *, salt: str = "") -> CompiledStage:
    """The durable_rules ruleset for ``stage``; raises KnowledgeError when a limit would be crossed."""
    # ctx must fully match some pattern or durable_rules rejects the batch, so a one-pattern rule
    # takes it (and fires once per pass). Pairing ctx with a pattern nothing matches avoids the firing
    # but, measured here, corrupts durable_rules' memory (double free / segfault within ~5,000 runs).
    definition: dict[str, dict] = {CTX_RULE: {"all": [{"ctx": {"t": "ctx"}}], "run": CTX_RULE}}
    compiled: dict[str, CompiledRule] = {}
    signatures = {frozenset({("t", "ctx")})}
    siblings: dict[tuple, set] = {}
    for rule in rules:
        for index, atoms in enumerate(_alternatives(rule)):
            name = rule.id if index == 0 else f"{rule.id}#{index}"
            patterns: list[dict] = []
            ctx = _ctx_pattern(rule)
            if ctx is not None:
                patterns.append({"ctx": ctx})
                siblings.setdefault(("ctx",), set()).add(json.dumps(ctx["$and"][1], sort_keys=True))
            aliases: dict[str, Atom] = {}
            named: dict[str, str] = {}
            for position, atom in enumerate(atoms):
                alias = f"a{position}"
                items = pattern_items(atom)
                patterns.append({alias: {"$and": [{k: v} for k, v in items]}})
                aliases[alias] = atom
                if atom.as_:
                    named[atom.as_] = alias
                signatures.add(frozenset(items))
                for depth in range(1, len(items)):
                    siblings.setdefault(items[:depth], set()).add(items[depth])
            if not patterns:
                raise KnowledgeError("a rule needs at least one condition", entry=rule.id)
            definition[name] = {"all": patterns, "run": name}
            compiled[name] = CompiledRule(rule, name, aliases, named, tuple((c.kind, c) for c in rule.then))
    vocabulary: dict[str, set[str]] = {}
    for rule in rules:
        for array, element in _ctx_elements(rule):
            vocabulary.setdefault(array, set()).add(element)
    widest = max((len(v) for v in siblings.values()), default=0)
    if widest > MAX_SIBLINGS:
        raise KnowledgeError(
            f"stage {stage}: {widest} tests share one node (durable_rules hangs at 512; limit {MAX_SIBLINGS})"
        )
    if len(definition) > MAX_RULES:
        raise KnowledgeError(f"stage {stage}: {len(definition)} rules (limit {MAX_RULES})")
    digest = hashlib.sha1((salt + json.dumps(definition, sort_keys=True)).encode()).hexdigest()[:10]
    return CompiledStage(
        stage=stage,
        ruleset=f"tlc-{stage}-{digest}",
        definition=definition,
        rules=compiled,
        signatures=frozenset(signatures),
        counts={"rules": len(definition), "widest_node": widest},
        ctx_vocabulary={array: frozenset(elements) for array, elements in vocabulary.items()},
        fact_use=tuple(_fact_use(rule) for rule in rules),
    )


def _fact_use(rule: Rule) -> tuple[frozenset[str], frozenset[str], bool]:
    """The named facts ``rule`` tests, those it concludes, and whether it concludes anything else."""
    atoms = [a for group in rule.when.all for a in (group.any if not isinstance(group, Atom) else (group,))]
    tested = frozenset(a.fact for a in (*atoms, *rule.when.exists, *rule.when.none) if a.fact is not None)
    concluded = frozenset(c.fact for c in rule.then if c.fact is not None)
    return tested, concluded, any(c.fact is None for c in rule.then)
