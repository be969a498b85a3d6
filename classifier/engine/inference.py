"""Stage 3: forward chaining in durable_rules, stage by stage, with provenance and a trace.

One ``Engine`` per process holds one durable_rules ``Host`` (used to register the rulesets: names can
never be registered twice). A pass asserts the ``ctx`` snapshot and every fact some pattern of the stage
handles, then drives durable_rules' agenda itself; each firing's conclusions are recorded in a Python
``FactStore`` (so nothing is lost when no rule consumes a derived fact) and asserted back only where a
pattern of the stage will take them. An exception in a firing reaches the pass directly (durable_rules'
own dispatch would swallow it) and is raised as ``EngineError``. After a clean pass its facts are
retracted and the emptied state is kept for the next run of that pass; anything else deletes it in
``finally`` (durable_rules fails past 1024 live states). Runs are serialised by a lock because the C
engine never releases the GIL.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable

import durable_rules_engine
from durable import engine as durable_engine

from classifier.budget import NO_DEADLINE, Deadline
from classifier.errors import EngineError
from classifier.engine.compiler import CTX_FIELDS, CTX_RULE, SENTINEL, CompiledStage, date_number
from classifier.knowledge.schema import Conclusion
from classifier.knowledge.vocabulary import Fact, Vocabulary, VocabularyError, value_text

FID = "fid"  # each fact's number within its classification: provenance by lookup, not by content


@dataclass
class Derived:
    """A fact with how it came to be: the rule (None for inputs) and the input facts it rests on.

    ``encoded`` is the fact in durable_rules' form (strings only, numbered by ``fid``): it never leaves
    the engine package's own bookkeeping, and the trace.
    """

    fact: Fact
    encoded: dict
    stage: str
    rule: str | None
    supports: frozenset[Fact]
    also_by: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Firing:
    """One entry of the trace: a rule that fired, the facts it matched, what it concluded (engine form)."""

    rule: str
    stage: str
    matched: tuple[dict, ...]
    concluded: tuple[dict, ...]
    new: tuple[bool, ...]


KindOf = Callable[[str], str]   # a business code -> its catalogue kind (basic, value_added, regime, unknown)


def encoder(kind_of: KindOf) -> Callable[[Fact], dict]:
    """How a typed fact is written for durable_rules: a flat mapping of strings, with ``t`` its kind.

    Business facts carry their catalogue kind, which findings rules test (``business_kind``).
    """

    def encode(fact: Fact) -> dict:
        kind = fact.kind
        if kind == "signal":
            return {"t": "signal", "name": fact.name, "scope": fact.scope, "code": fact.code, "item": fact.item}
        if kind == "fact":
            return {"t": "fact", "name": fact.name, "value": value_text(fact.value)}
        if kind == "activity":
            return {"t": "activity", "name": fact.name}
        if kind == "business":
            return {"t": "business", "code": fact.code, "kind": kind_of(fact.code)}
        if kind == "item":
            return {"t": "item", "code": fact.code, "item": fact.item}
        if kind == "red_line":
            return {"t": "red_line", "name": fact.name, "code": fact.code}
        if kind == "authority":
            return {"t": "authority", "code": fact.code, "value": value_text(fact.value)}
        return {"t": "question", "name": fact.name, "code": fact.code}

    return encode


def _ctx_entries(fact: dict) -> tuple[tuple[str, str], ...]:
    """(ctx array, element) pairs that record ``fact`` in the snapshot (see ``compiler.ctx_entry``)."""
    kind = fact.get("t")
    if kind == "signal":
        return ((CTX_FIELDS["signal"], f"{fact['name']}@{fact['scope']}"),)
    if kind == "fact":
        return ((CTX_FIELDS["fact"], f"{fact['name']}={fact['value']}"), (CTX_FIELDS["fact_known"], fact["name"]))
    if kind == "activity":
        return ((CTX_FIELDS["activity"], fact["name"]),)
    if kind == "business":
        return ((CTX_FIELDS["business"], fact["code"]), (CTX_FIELDS["business_kind"], fact["kind"]))
    if kind == "red_line":
        return ((CTX_FIELDS["red_line"], fact["name"]),)
    return ()


CTX_ARRAYS = tuple(CTX_FIELDS.values())


class FactStore:
    """Every fact of one classification, inputs and derived, in order, keyed by the fact itself.

    Facts are only ever added, so the views the engine reads on every pass (facts by kind, the ctx
    arrays) are kept up to date as facts arrive instead of being rebuilt from all facts each time.
    """

    def __init__(self, inputs: Iterable[Fact], encode: Callable[[Fact], dict]):
        self.facts: dict[Fact, Derived] = {}
        self.by_id: list[Derived] = []
        self.trace: list[Firing] = []
        self._encode = encode
        self._by_kind: dict[str, list[Derived]] = {}
        self._ctx: dict[str, set[str]] = {array: set() for array in CTX_ARRAYS}
        self._journal: list[tuple[Derived, int, frozenset]] | None = None   # see snapshot()
        for fact in inputs:
            if fact not in self.facts:
                self._keep(fact, "input", None, frozenset({fact}))

    def _keep(self, fact: Fact, stage: str, rule: str | None, supports: frozenset) -> Derived:
        encoded = self._encode(fact)
        encoded[FID] = len(self.by_id)
        derived = Derived(fact, encoded, stage, rule, supports)
        self.facts[fact] = derived
        self.by_id.append(derived)
        self._by_kind.setdefault(fact.kind, []).append(derived)
        for array, element in _ctx_entries(encoded):
            self._ctx[array].add(element)
        return derived

    def add(self, fact: Fact, stage: str, rule: str, supports: frozenset) -> bool:
        """Keep ``fact`` unless known; True if new. A known fact gains the rule and its supports."""
        known = self.facts.get(fact)
        if known is not None:
            if known.rule is not None:
                if self._journal is not None:
                    self._journal.append((known, len(known.also_by), known.supports))
                if rule not in known.also_by and rule != known.rule:
                    known.also_by.append(rule)
                # Every derivation's words are evidence, whichever rule happened to fire first.
                known.supports = known.supports | supports
            return False
        self._keep(fact, stage, rule, supports)
        return True

    def snapshot(self) -> "Snapshot":
        """Where this store stands now, to go on from later (Engine.resume) though the run goes on: facts
        are only added, and from now on each change to a known fact's bookkeeping is journalled."""
        if self._journal is None:
            self._journal = []
        return Snapshot(self, len(self.by_id), len(self.trace), len(self._journal),
                        {array: frozenset(elements) for array, elements in self._ctx.items()})

    @classmethod
    def resumed(cls, snap: "Snapshot", drop: frozenset[str] = frozenset(), add: Iterable[Fact] = ()) -> "FactStore":
        """A new store as ``snap`` saw it, without the named facts in ``drop`` (inputs, and what rules
        concluded of those names) and with ``add`` as new inputs: where a run goes on when a profile states
        those facts (Engine.resume starts before any stage whose other conclusions rest on them, so nothing
        kept rests on what is dropped). Facts are renumbered only after the first one dropped."""
        source = snap.store
        earlier: dict[int, tuple[int, frozenset]] = {}   # bookkeeping changed after the snapshot, undone
        for derived, also_by, supports in reversed(source._journal[snap.journal:]):
            earlier[id(derived)] = (also_by, supports)
        other = cls((), source._encode)
        dropped = []
        for old in source.by_id[:snap.size]:
            if old.fact.kind == "fact" and old.fact.name in drop:
                dropped.append(old)
                continue
            also_by, supports = old.also_by, old.supports
            if id(old) in earlier:
                count, supports = earlier[id(old)]
                also_by = also_by[:count]
            encoded = old.encoded
            if dropped:
                encoded = {**encoded, FID: len(other.by_id)}
            new = Derived(old.fact, encoded, old.stage, old.rule, supports, list(also_by))
            other.facts[old.fact] = new
            other.by_id.append(new)
            other._by_kind.setdefault(old.fact.kind, []).append(new)
        other._ctx = {array: set(elements) for array, elements in snap.ctx.items()}
        for old in dropped:   # every fact of a dropped name goes, so its ctx elements go with it
            for array, element in _ctx_entries(old.encoded):
                other._ctx[array].discard(element)
        other.trace = source.trace[:snap.trace]
        for fact in add:
            if fact not in other.facts:
                other._keep(fact, "input", None, frozenset({fact}))
        return other

    def of(self, kind: str) -> list[Derived]:
        return list(self._by_kind.get(kind, ()))

    def values(self, name: str) -> set:
        """The typed values of fact ``name`` (several for a set fact such as ``customers``)."""
        return {d.fact.value for d in self._by_kind.get("fact", ()) if d.fact.name == name}

    def first(self, name: str) -> Derived | None:
        """The first fact called ``name`` (a profile's, when the profile states it)."""
        return next((d for d in self._by_kind.get("fact", ()) if d.fact.name == name), None)

    def supports_of(self, message: dict) -> frozenset:
        """The input facts behind a fact durable_rules handed back (found by its number)."""
        fid = message.get(FID)
        return self.by_id[fid].supports if fid is not None else frozenset()

    def ctx(self, as_of: dt.date, vocabulary: dict[str, frozenset[str]] | None = None) -> dict:
        """The snapshot negations and dates are tested against (arrays never empty).

        With ``vocabulary`` (array -> the elements some test of the pass looks for), only those
        elements are written: a test of presence or absence of ``x`` gives the same answer on the
        filtered array, and the fact the Rete parses, and every firing's message, stays small.
        """
        if vocabulary is None:
            arrays = {k: v | {SENTINEL} for k, v in self._ctx.items()}
        else:
            arrays = {k: (v & vocabulary.get(k, frozenset())) | {SENTINEL} for k, v in self._ctx.items()}
        ctx = {k: sorted(v) for k, v in arrays.items()}
        ctx.update(t="ctx", as_of=date_number(as_of))
        return ctx


@dataclass(frozen=True)
class Snapshot:
    """A store as it stood before a stage (FactStore.snapshot): how many facts and trace entries it had,
    where its journal stood, and its ctx arrays."""

    store: FactStore
    size: int
    trace: int
    journal: int
    ctx: dict[str, frozenset[str]]


@dataclass
class _Run:
    stage: CompiledStage
    store: FactStore
    vocabulary: Vocabulary
    overridden: set[str]


class _Host(durable_engine.Host):
    """durable_rules host used to register rulesets; actions are dispatched by ``Engine._run_stage``."""

    def _run(self) -> None:
        """Start no background dispatch.

        ``Host`` normally starts two self-re-arming timer threads that call ``dispatch()`` and
        ``dispatch_timers()`` every 0.2 s. This engine uses neither timers nor queued events: every
        action runs synchronously inside the foreground pass. The background ``dispatch()`` could only
        pick up an action of a state the foreground is flushing; measured here, after ~50,000-100,000
        classifications that race ended in durable_rules error 307 (ERR_NODE_DELETED, a result frame
        already deleted) and a stalled run.
        """

    def get_action(self, name: str):
        def never(c) -> None:  # the Python-side dispatch is bypassed, see Engine._run_stage
            raise EngineError(f"rule {name!r} was dispatched outside the engine's pass loop")

        return never


def _resolve(value, matched: dict[str, dict], named: dict[str, str]):
    """``@name.attr`` -> the attribute of the atom named ``name``; other values pass through."""
    if not isinstance(value, str) or not value.startswith("@"):
        return value
    ref, _, attr = value[1:].partition(".")
    fact = matched.get(named.get(ref, ""))
    if fact is None:
        raise EngineError(f"conclusion refers to unknown atom {ref!r}")
    return fact.get(attr) or None


def _conclusion_facts(kind: str, conclusion: Conclusion, matched: dict, named: dict,
                      vocabulary: Vocabulary) -> tuple[Fact, ...]:
    """The typed facts one conclusion of a rule states for one match."""
    r = lambda v: _resolve(v, matched, named)  # noqa: E731
    subject = ""
    if conclusion.for_ is not None:
        fact = matched.get(named.get(conclusion.for_, ""))
        if fact is None:
            raise EngineError(f"`for: {conclusion.for_}` names no matched atom")
        subject = fact.get("code") or fact.get("value") or ""
    if kind == "fact":
        try:
            return (vocabulary.fact(conclusion.fact, r(conclusion.value)),)
        except VocabularyError as exc:
            raise EngineError(str(exc)) from None
    if kind == "activity":
        return (Fact.activity(r(conclusion.activity)),)
    if kind == "business":
        code = r(conclusion.business)
        if not code:
            return ()
        item = r(conclusion.item)
        # One business fact per code (so rules about the business fire once), items beside it.
        return (Fact.business(code), Fact.licence_item(code, item)) if item else (Fact.business(code),)
    if kind == "red_line":
        return (Fact.red_line(conclusion.red_line, subject),)
    if kind == "authority":
        return (Fact.authority(subject, conclusion.authority),)
    return (Fact.question(conclusion.question, subject),)


def _apply(run: _Run, name: str, message: dict) -> list[dict]:
    """Interpret rule ``name``'s conclusions for one match; returns the new facts the pass must see."""
    compiled = run.stage.rules[name]
    store = run.store
    matched = {}
    for alias in compiled.aliases:
        fact = message[alias]  # freshly decoded from JSON for this action: safe to trim in place
        fact.pop("sid", None)
        matched[alias] = fact
    if len(matched) == 1:
        supports = store.supports_of(fact)
    else:
        supports = frozenset().union(*(store.supports_of(f) for f in matched.values()))
    concluded, new, chained = [], [], []
    rule_id, stage = compiled.rule.id, run.stage
    for kind, conclusion in compiled.conclusions:
        for fact in _conclusion_facts(kind, conclusion, matched, compiled.named, run.vocabulary):
            if fact.kind == "fact" and fact.name in run.overridden:
                continue  # the profile states this fact; text-derived values yield to it
            added = store.add(fact, stage.stage, rule_id, supports)
            encoded = store.facts[fact].encoded
            concluded.append(encoded)
            new.append(added)
            if added and stage.handles(encoded, fact):
                chained.append(encoded)
    store.trace.append(Firing(rule_id, stage.stage, tuple(matched.values()), tuple(concluded), tuple(new)))
    return chained


Provider = Callable[[FactStore, dt.date], None]

# durable_rules' result codes for an asserted message (rules.h; 0 is success)
_NOT_HANDLED, _OBSERVED = 1, 2


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder, not one per call
_decode = json.JSONDecoder().raw_decode  # durable_rules' messages have no surrounding whitespace to strip


class Engine:
    """Compiled stages registered in one durable_rules host; ``run`` classifies one set of facts.

    A pass asserts its batch and then drives durable_rules' agenda itself, with the engine's own C
    calls (``start_action_for_state`` / ``complete_and_start_action``): the Python ``Host`` would, per
    firing, build a closure, read the clock twice, and re-assert the whole state document through the
    Rete (``update_state``), none of which a pass without state rules needs. Measured here, that
    bookkeeping was half the cost of a firing. Facts a firing concludes are asserted before the
    action completes, exactly as ``c.assert_fact`` would, so chaining within a pass is unchanged.

    States are reused: creating one allocates and clears two 4 KB indexes per Rete join node (about
    60 µs a pass here, whatever the text), so after a clean pass its facts are retracted and the
    emptied state is parked for the next run of that pass. It is parked only when durable_rules
    confirms it holds no fact; any failure, or a state that is not empty, is deleted instead, so a
    leftover fact can never reach another classification.
    """

    _sids = itertools.count(1)

    def __init__(self, stages: list[CompiledStage], vocabulary: Vocabulary, kind_of: KindOf):
        self.stages = stages
        self.vocabulary = vocabulary
        self.encode = encoder(kind_of)
        self._host = _Host()
        self._host.set_rulesets({s.ruleset: s.fresh_definition() for s in stages})
        self._handles = {s.ruleset: self._host.get_ruleset(s.ruleset)._handle for s in stages}
        self._live: set[str] = set()  # sids a pass is using right now (empty between runs)
        self._parked: dict[str, str] = {}  # ruleset -> sid of its emptied state, ready for reuse
        self._lock = threading.Lock()

    def run(self, inputs: list[Fact], as_of: dt.date, providers: dict[str, list[Provider]],
            overridden: set[str], deadline: Deadline = NO_DEADLINE,
            snapshots: dict[str, Snapshot] | None = None) -> FactStore:
        """Chain ``inputs`` through every stage; ``providers[stage]`` add facts before that stage.

        ``overridden`` names facts the profile states: rules' conclusions of them are ignored. With
        ``snapshots``, the store as it stands before each stage (and its providers) is kept there, by
        stage name, for ``resume``.
        """
        store = FactStore(inputs, self.encode)
        return self._run_from(0, store, as_of, providers, overridden, deadline, snapshots)

    def resume(self, snapshots: dict[str, Snapshot], stated: dict[str, list[Fact]], as_of: dt.date,
               providers: dict[str, list[Provider]], overridden: set[str], deadline: Deadline = NO_DEADLINE,
               ) -> FactStore:
        """The run ``run`` would make if the profile also stated ``stated`` (fact name -> its facts), started
        from the snapshot before the first stage the change can reach: one with a rule that tests such a
        fact and concludes something else, or one with providers. Earlier stages cannot see the difference,
        except that their own conclusions of those facts give way to the stated ones (as a stated fact
        overrides rules in a full run), and so do input facts of those names (a share read from the text)."""
        names = frozenset(stated)
        first = next((index for index, stage in enumerate(self.stages)
                      if stage.affected_by(names) or providers.get(stage.stage)), len(self.stages) - 1)
        store = FactStore.resumed(snapshots[self.stages[first].stage], names,
                                  [f for facts in stated.values() for f in facts])
        return self._run_from(first, store, as_of, providers, overridden, deadline, None)

    def _run_from(self, first: int, store: FactStore, as_of: dt.date, providers: dict[str, list[Provider]],
                  overridden: set[str], deadline: Deadline, snapshots: dict[str, Snapshot] | None) -> FactStore:
        with self._lock:
            for stage in self.stages[first:]:
                deadline.check(f"before the {stage.stage} pass")
                if snapshots is not None:
                    snapshots[stage.stage] = store.snapshot()
                for provider in providers.get(stage.stage, ()):
                    provider(store, as_of)
                self._run_stage(stage, store, as_of, overridden)
        return store

    def held_facts(self) -> dict[str, str]:
        """What durable_rules still holds in each parked state (JSON; "[]" when empty), for tests."""
        return {ruleset: durable_rules_engine.get_facts(self._handles[ruleset], sid)
                for ruleset, sid in self._parked.items()}

    def _run_stage(self, stage: CompiledStage, store: FactStore, as_of: dt.date, overridden: set[str]) -> None:
        handle = self._handles[stage.ruleset]
        sid = self._parked.pop(stage.ruleset, None) or f"s{next(self._sids)}"
        run = _Run(stage, store, self.vocabulary, overridden)
        batch = [dict(store.ctx(as_of, stage.ctx_vocabulary), sid=sid)]
        handles = stage.handles
        batch += [dict(d.encoded, sid=sid) for fact, d in store.facts.items() if handles(d.encoded, fact)]
        self._live.add(sid)
        clean = False
        chained_json: list[str] = []
        try:
            batch_json = _dumps(batch)
            code, state = durable_rules_engine.assert_facts(handle, batch_json)
            _check(code, stage, batch)
            pending = durable_rules_engine.start_action_for_state(handle, state)
            pending = pending[1] if pending else None
            while pending:
                name, message = next(iter(_decode(pending)[0].items()))
                if name != CTX_RULE:
                    try:
                        chained = _apply(run, name, message)
                    except EngineError:
                        raise
                    except Exception as exc:  # a defect in a rule or a mechanism: say where
                        raise EngineError(f"a rule action failed in stage {stage.stage}, rule {name}: "
                                          f"{type(exc).__name__}: {exc}") from exc
                    for fact in chained:
                        fact_json = _dumps(dict(fact, sid=sid))
                        code, _ = durable_rules_engine.assert_fact(handle, fact_json)
                        _check(code, stage, fact)
                        chained_json.append(fact_json)
                pending = durable_rules_engine.complete_and_start_action(handle, state)
            durable_rules_engine.retract_facts(handle, batch_json)
            if chained_json:
                durable_rules_engine.retract_facts(handle, "[" + ",".join(chained_json) + "]")
            clean = durable_rules_engine.get_facts(handle, sid) == "[]"
        except EngineError:
            raise
        except Exception as exc:  # durable_rules' own errors (limits, memory)
            raise EngineError(f"rule engine failed in stage {stage.stage}: {type(exc).__name__}: {exc}") from None
        finally:
            self._live.discard(sid)
            if clean:
                self._parked[stage.ruleset] = sid
            else:
                try:
                    durable_rules_engine.delete_state(handle, sid)
                except Exception:  # noqa: S110 - a state that was never created has nothing to free
                    pass


def _check(code: int, stage: CompiledStage, what) -> None:
    """durable_rules answers "not handled" and "already observed" with codes, not exceptions."""
    if code == _NOT_HANDLED:
        raise EngineError(f"stage {stage.stage}: no pattern handles {what!r} (the handles() filter is out of step)")
    if code == _OBSERVED:
        # durable_rules hashes fact content; conclusions are de-duplicated before asserting, so this is
        # its false duplicate-fact error (a hash collision), which must not pass silently.
        raise EngineError(f"stage {stage.stage}: durable_rules reported a duplicate fact: {what!r}")
