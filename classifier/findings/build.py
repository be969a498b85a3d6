"""Stage 5: the facts the engine derived -> businesses, red lines and questions, with their evidence.

Evidence is the set of input facts a conclusion rests on (tracked by ``inference.FactStore``), turned
back into the user's own words (signal mentions with their spans) or the profile facts stated.
"""
from __future__ import annotations

import datetime as dt

import weakref

from classifier.knowledge.catalogue import Catalogue
from classifier.engine.inference import FactStore
from classifier.knowledge.vocabulary import LICENCE_NAME, Fact, value_text
from classifier.findings.result import (Business, Citation, Evidence, InputKind, Mention as MentionEntry, Question,
                                       RedLineFinding, Result, SEVERITIES, TraceEntry, unverified_note)
from classifier.knowledge.schema import FactSpec
from classifier.text.answers import accepted_forms, answer_type
from classifier.text.kinds import DetectedKind
from classifier.text.lexicon import OPERATED, Mention

def _evidence(store: FactStore, supports: frozenset, mentions: dict[Fact, list[Mention]]) -> tuple[Evidence, ...]:
    seen: set[tuple] = set()
    out: list[Evidence] = []
    for key in supports:
        for mention in mentions.get(key, ()):
            ident = (mention.start, mention.end)
            if ident not in seen:
                seen.add(ident)
                out.append(Evidence(mention.text, mention.start, mention.end))
        if key.kind == "fact":
            ident = ("profile", key.name, key.value)
            if ident not in seen:
                seen.add(ident)
                out.append(Evidence(f"{key.name}: {value_text(key.value)}", None, None, "profile"))
    return tuple(sorted(out, key=lambda e: (e.start is None, e.start or 0, e.text)))


def question_for(spec: FactSpec, codes: tuple[str, ...]) -> Question:
    """The question asking for fact ``spec`` (which has one), with how to answer it, about ``codes``."""
    return Question(spec.name, spec.question_zh or "", spec.question_en or "", spec.options, codes,
                    field=spec.profile_field or spec.name, answer_type=answer_type(spec),
                    accepted=accepted_forms(spec))


def citations(catalogue: Catalogue, source_ids) -> tuple[Citation, ...]:
    source_ids = tuple(source_ids)
    cited = _CITED.setdefault(catalogue, {})
    known = cited.get(source_ids)
    if known is None:
        if len(cited) >= 4096:
            cited.clear()
        known = cited[source_ids] = _cite(catalogue, source_ids)
    return known


# The same few source lists recur in every result: resolved once per catalogue (and forgotten with it).
_CITED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cite(catalogue: Catalogue, source_ids: tuple[str, ...]) -> tuple[Citation, ...]:
    out, seen = [], set()
    for source_id in source_ids:
        if source_id in seen or source_id not in catalogue.kb.sources:
            continue
        seen.add(source_id)
        source = catalogue.kb.sources[source_id]
        out.append(Citation(source.id, source.title, source.url))
    return tuple(out)


def unverified_codes(catalogue: Catalogue, codes) -> tuple[str, ...]:
    """The codes among ``codes`` whose catalogue entry is marked unverified, in order, once each."""
    return tuple(dict.fromkeys(c for c in codes if c in catalogue and catalogue.entry(c).confidence == "unverified"))


def _rules(derivations) -> tuple[str, ...]:
    rules: list[str] = []
    for d in derivations:
        for rule in (d.rule, *d.also_by):
            if rule and rule not in rules:
                rules.append(rule)
    return tuple(rules)


def _rule_sources(catalogue: Catalogue, rule_ids) -> list[str]:
    by_id = catalogue.rules_by_id
    return [s for rule_id in rule_ids if rule_id in by_id for s in by_id[rule_id].sources]


# Roles that say what the subject itself does (offers, denies, uses, runs for its own staff, sells as
# equipment ...): a text with one of these about a service tells us the subject's conduct.
SUBJECT_ROLES = frozenset({"asserted", "subject", "negated", "self_use", "partner", "vendor", "uses"})


def _is_service(signal: str) -> bool:
    """Signals that name a service: ``svc.*`` concepts and catalogue names (not places, customers, cues)."""
    return signal == LICENCE_NAME or signal.startswith("svc.")


def mention_entries(catalogue: Catalogue, mentions: list[Mention]) -> tuple[MentionEntry, ...]:
    """The services the text names that its subject does not operate, each with its role."""
    concepts = {s.id: s for s in catalogue.kb.lexicon.signals}
    out, seen = [], set()
    for m in mentions:
        if m.scope in OPERATED or not _is_service(m.signal):
            continue
        concept = concepts.get(m.signal)
        code = m.code or (concept.business if concept is not None else None)
        key = (m.start, m.end, m.signal, code)
        if key in seen:
            continue
        seen.add(key)
        service = concept.note if concept is not None else (catalogue.entry(code).name_en if code in catalogue else None)
        confidence = catalogue.entry(code).confidence if code in catalogue else None
        out.append(MentionEntry(m.scope, m.text, m.start, m.end, m.signal, code, service, confidence))
    return tuple(out)


def status_of(result: Result, mentions: list[Mention], kind: DetectedKind | None, stated_facts: bool) -> str:
    """findings, clear, or unrecognised ("could not tell"): silence must not look like a clean bill."""
    if result.businesses or result.red_lines:
        return "findings"
    if kind is not None and kind.spec.exhaustive:
        return "clear"
    if any(m.scope in SUBJECT_ROLES and _is_service(m.signal) for m in mentions):
        return "clear"
    return "unrecognised"


def input_kind(kind: DetectedKind | None) -> InputKind | None:
    if kind is None:
        return None
    return InputKind(kind.id, kind.spec.label_zh, kind.spec.label_en, kind.how,
                     tuple(Evidence(e.text, e.start, e.end) for e in kind.evidence))


def _businesses(catalogue: Catalogue, store: FactStore, day: dt.date) -> dict[str, list]:
    """The businesses found, by code, in the order an answer lists them: codes the catalogue has on ``day``,
    no class of businesses, and no named parent (B24) beside a more specific code (B24-1)."""
    by_code: dict[str, list] = {}
    for d in store.of("business"):
        code = d.fact.code
        if code not in catalogue or not catalogue.in_force(code, day):
            continue  # e.g. A12-4 before 2019-06-06: the catalogue had no such business
        if not catalogue.is_category(code):
            by_code.setdefault(code, []).append(d)
    for code in list(by_code):
        if any(other != code and code in catalogue.ancestors(other) for other in by_code):
            del by_code[code]
    return {code: by_code[code] for code in sorted(by_code, key=lambda c: (catalogue.is_regime(c), c))}


def _authority(store: FactStore) -> dict[str, str]:
    """Who grants each business: MIIT when any rule says so, else provincial when one does."""
    found: dict[str, set[str]] = {}
    for d in store.of("authority"):
        found.setdefault(d.fact.code, set()).add(d.fact.value)
    return {code: "MIIT" if "MIIT" in values else "provincial" for code, values in found.items()}


def _items(store: FactStore) -> dict[str, list[str]]:
    items_of: dict[str, set[str]] = {}
    for d in store.of("item"):
        items_of.setdefault(d.fact.code, set()).add(d.fact.item)
    return {code: sorted(items) for code, items in items_of.items()}


def _red_lines(catalogue: Catalogue, store: FactStore) -> list[tuple[str, tuple[str, ...], list]]:
    """The red lines crossed, worst first: (id, the codes they name, their derivations)."""
    red: dict[str, list] = {}
    for d in store.of("red_line"):
        red.setdefault(d.fact.name, []).append(d)
    found = [(red_id, tuple(sorted({d.fact.code for d in derivations if d.fact.code})), derivations)
             for red_id, derivations in red.items()]
    specs = catalogue.kb.red_lines
    return sorted(found, key=lambda r: (SEVERITIES.index(specs[r[0]].severity), r[0]))


def signature_of(catalogue: Catalogue, store: FactStore, day: dt.date) -> tuple:
    """``Result.signature()`` of the result ``build_result`` would make of ``store`` (with no requirements),
    without building it: what a question check compares."""
    authority, items = _authority(store), _items(store)
    return (tuple((code, authority.get(code), tuple(items.get(code, ()))) for code in _businesses(catalogue, store, day)),
            tuple((red_id, codes) for red_id, codes, _ in _red_lines(catalogue, store)),
            ())


def build_result(catalogue: Catalogue, store: FactStore, mentions: dict[Fact, list[Mention]],
                 input_data: dict, day: dt.date) -> Result:
    kb = catalogue.kb
    authorities, items_of = _authority(store), _items(store)
    by_code = _businesses(catalogue, store, day)

    businesses = []
    for code, derivations in by_code.items():
        entry = catalogue.entry(code)
        items = tuple((i, catalogue.item(i)[1].name_zh, catalogue.item(i)[1].name_en) for i in items_of.get(code, ()))
        authority = authorities.get(code)
        supports = frozenset().union(*(d.supports for d in derivations))
        rules = _rules(derivations)
        businesses.append(Business(
            code=code, name_zh=entry.name_zh, name_en=entry.name_en, kind=entry.kind, licence_class=entry.class_,
            authority=authority, items=items, evidence=_evidence(store, supports, mentions), rules=rules,
            confidence=entry.confidence, citations=citations(catalogue, [*entry.sources, *_rule_sources(catalogue, rules)]),
        ))

    red_lines = []
    for red_id, codes, derivations in _red_lines(catalogue, store):
        spec = kb.red_lines[red_id]
        requires = spec.requires or tuple(c for c in codes if c in catalogue and catalogue.entry(c).kind == "basic")
        supports = frozenset().union(*(d.supports for d in derivations))
        rules = _rules(derivations)
        # An unverified code never stands alone in an answer: the message says which codes are unverified.
        unverified = unverified_codes(catalogue, (*requires, *codes))
        note_zh, note_en = unverified_note(unverified)
        red_lines.append(RedLineFinding(
            id=red_id, severity=spec.severity, requires=tuple(requires), codes=codes,
            message_zh=spec.message_zh + note_zh, message_en=spec.message_en + note_en,
            evidence=_evidence(store, supports, mentions),
            citations=citations(catalogue, [*spec.sources, *_rule_sources(catalogue, rules)]), rules=rules,
            unverified=unverified,
        ))

    questions: dict[str, set[str]] = {}
    for d in store.of("question"):
        questions.setdefault(d.fact.name, set()).update({d.fact.code} - {""})
    asked = []
    for name in sorted(questions, key=lambda n: list(kb.facts).index(n) if n in kb.facts else 99):
        spec = kb.facts.get(name)
        if spec is None or spec.question_zh is None:
            continue
        asked.append(question_for(spec, tuple(sorted(c for c in questions[name] if c in by_code))))

    trace = tuple(TraceEntry(f.rule, f.stage, f.matched, f.concluded) for f in store.trace)
    return Result(input=input_data, as_of=day.isoformat(), businesses=tuple(businesses), red_lines=tuple(red_lines),
                  questions=tuple(asked), trace=trace)
