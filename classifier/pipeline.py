"""The one path through the engine: text -> signals -> facts -> forward chaining -> findings -> report.

``classify`` is the public entry point. The knowledge base, the lexicon and the compiled durable_rules
rulesets are built once per process (per knowledge directory) and reused by every call.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from pathlib import Path
from typing import Any, Mapping

from classifier.findings import escalation, foreign_investment, licence_coverage
from classifier.knowledge.catalogue import Catalogue
from classifier.knowledge.loader import knowledge_root, load_catalogue
from classifier.findings.claims import check_claims
from classifier.budget import NO_DEADLINE, Deadline, budget_seconds
from classifier.errors import InputError, InvalidAnswer, InvalidDate, InvalidProfile, KnowledgeError
from classifier.text.facts import location_facts, mention_facts, profile_facts, province_count_fact, share_facts
from classifier.findings.build import (build_result, input_kind, mention_entries, question_for, signature_of,
                                       status_of)
from classifier.engine.inference import Engine, FactStore, Snapshot
from classifier.knowledge.vocabulary import Fact, VocabularyError
from classifier.text.answers import answer_target
from classifier.text.profile import DEFAULT_MAX_CHARS, Profile, as_of_date, build_profile, check_text, resolve_provinces
from classifier.findings.result import Result
from classifier.findings.verdict import verdict_of
from classifier.findings.requirements import Company, LicenceRequirements, requirements_for
from classifier.engine.compiler import compile_stage
from classifier.knowledge.schema import STAGES
from classifier.text.kinds import DetectedKind, KindDetector
from classifier.text.lexicon import Lexicon, Mention


@dataclasses.dataclass(frozen=True)
class TextReading:
    """What the text stages make of one description; the same for every question check of a call."""

    description: str
    mentions: tuple[Mention, ...]
    signal_inputs: tuple[Fact, ...]
    evidence: Mapping[Fact, list[Mention]]   # read only: shared by the question checks
    provinces: tuple[Fact, ...]
    shares: tuple[Fact, ...]
    locations: tuple[Fact, ...]


@dataclasses.dataclass(frozen=True)
class _Base:
    """The first run of a call, which its question checks go on from: the engine's store before each stage,
    and the profile facts that run stated."""

    snapshots: dict[str, Snapshot]
    stated: frozenset[Fact]
    overridden: frozenset[str]


class Classifier:
    """Everything a classification needs, built once: catalogue, lexicon, compiled engine."""

    def __init__(self, catalogue: Catalogue):
        kb = catalogue.kb
        if not any(kb.rules.values()) or not kb.lexicon.signals:
            raise KnowledgeError("the knowledge base has no rules or no lexicon; the engine cannot run")
        self.catalogue = catalogue
        self.kb = kb
        self.lexicon = Lexicon(kb)
        self.kinds = KindDetector(kb)
        self.vocabulary = kb.vocabulary
        stages = [compile_stage(stage, kb.rules.get(stage, ())) for stage in STAGES]
        self.engine = Engine(stages, self.vocabulary, self._kind_of)

    def authority_for(self, code: str, coverage_scope: str | None, day: dt.date) -> str | None:
        """Who grants ``code`` at this coverage, by the findings rules themselves (for `tlc requirements`)."""
        facts = [Fact.business(code)]
        if coverage_scope:
            facts.append(self.vocabulary.fact("coverage_scope", coverage_scope))
        store = self.engine.run(facts, day, {}, set())
        found = {d.fact.value for d in store.of("authority") if d.fact.code == code}
        return "MIIT" if "MIIT" in found else ("provincial" if found else None)

    def requirements(self, code: str, *, coverage: list[str] | str | None = None, as_of: dt.date | str | None = None,
                     **company: Any) -> LicenceRequirements:
        """What the licence for ``code`` takes and obliges, judged for one company: ``coverage`` (provinces,
        ``nationwide`` or a scope) and the ``Company`` facts (foreign_share, location, registered_capital,
        state_share, dishonest_listed), each checked against its declaration in facts.yaml. The one
        implementation behind `tlc requirements`, HTTP and the MCP tool."""
        entry = self.catalogue.entry(code)
        day = as_of_date(as_of)
        scope = None
        if coverage is not None:
            spec = self.kb.facts["coverage_scope"]
            if coverage in spec.values:
                scope = coverage
            else:
                items = [c.strip() for c in coverage.split(",")] if isinstance(coverage, str) else coverage
                provinces, nationwide = resolve_provinces(self.kb, items, "coverage")
                scope = "multi_province" if nationwide or len(provinces or ()) >= 2 else "single_province"
        stated = {}
        for name, value in company.items():
            if value is None:
                continue
            try:
                stated[name] = value if name == "location" else self.vocabulary.typed(name, value)
            except (VocabularyError, KeyError) as exc:
                raise InvalidProfile(f"{name}: {exc}", code="invalid_profile") from None
        return requirements_for(self.catalogue, entry.code, coverage_scope=scope, company=Company(**stated), as_of=day)

    def answer_date(self, as_of: dt.date | str | None) -> dt.date:
        """The day an answer is for (default today), refused before the catalogue came into force. A batch
        resolves it once, so that every record of a run is answered for the same day."""
        day = as_of_date(as_of)
        if day < self.kb.info.in_force:
            raise InvalidDate(f"as_of {day.isoformat()} is before the catalogue came into force ({self.kb.info.in_force}); "
                              f"tlc answers for dates from then on", code="date_out_of_range")
        return day

    def _kind_of(self, code: str) -> str:
        """A business's catalogue kind, which findings rules test (``business_kind``). A class of businesses
        (基础电信业务 named bare in a scope) is ``category``: no rule about a business applies to it. A basic
        service the 条例 manages like a value-added one (paging, ``treated_as: value_added``) is licensed, and
        judged, as value-added; a regime keeps ``regime`` (its own rules say who licenses it)."""
        if code not in self.catalogue:
            return "unknown"
        if self.catalogue.is_category(code):
            return "category"
        entry = self.catalogue.entry(code)
        return entry.treated_as if entry.kind == "basic" and entry.treated_as else entry.kind

    def classify(self, subject: str | Mapping[str, Any], as_of: dt.date | str | None = None,
                 answers: Mapping[str, Any] | None = None, *, max_chars: int = DEFAULT_MAX_CHARS,
                 requirements: bool = False, verify_questions: bool = True, kind: str | None = None,
                 time_limit: float | None = None) -> Result:
        deadline = Deadline(budget_seconds(time_limit))
        day = self.answer_date(as_of)
        if answers is not None and not isinstance(answers, Mapping):
            raise InvalidAnswer(f"answers must be a mapping of fact names to answers, not {type(answers).__name__}",
                                code="invalid_answers")
        detected = self._kind(subject, kind, max_chars)
        result, reading, base = self._classify_once(subject, day, answers or {}, max_chars, requirements, detected,
                                                    deadline, keep=verify_questions)
        if verify_questions and result.questions:
            result = self._keep_questions_that_matter(subject, day, answers or {}, max_chars, requirements, result,
                                                      detected, deadline, reading, base)
        return dataclasses.replace(result, verdict=verdict_of(result, self.catalogue))

    def _kind(self, subject, stated: str | None, max_chars: int) -> DetectedKind | None:
        """The kind of document: as stated; else a text's by its cues; a profile describes its service."""
        if stated is not None:
            return self.kinds.stated(stated)
        if isinstance(subject, str):
            return self.kinds.detect(check_text(subject, max_chars=max_chars))
        return self.kinds.for_profile()

    def _profile(self, subject, answers, max_chars: int) -> tuple[Profile, dict[str, Any]]:
        if isinstance(subject, str) and not answers:
            return Profile(description=check_text(subject, max_chars=max_chars)), {"text": subject}
        data = {"description": subject} if isinstance(subject, str) else subject
        profile = build_profile(data, self.kb, max_chars=max_chars, answers=answers)
        return profile, {"profile": profile.stated()}

    def _read(self, description: str, kind: DetectedKind | None, deadline: Deadline) -> TextReading:
        """The text stages, run once per call: mentions, their facts and evidence, and the facts counted
        from the words (provinces, a foreign share, a location). Question checks reuse them."""
        mentions = self.lexicon.extract(description, kind.spec if kind is not None else None, deadline)
        signal_inputs, evidence = mention_facts(mentions, self.lexicon.subject_mentions(description, mentions))
        return TextReading(
            description=description, mentions=tuple(mentions), signal_inputs=tuple(signal_inputs), evidence=evidence,
            provinces=tuple(province_count_fact(mentions, self.vocabulary)),
            shares=tuple(share_facts(description, self.kb.lexicon.share_patterns, self.vocabulary)),
            locations=tuple(location_facts(description, self.kb.lexicon.location_patterns, self.vocabulary)))

    def _classify_once(self, subject, day: dt.date, answers: Mapping[str, Any], max_chars: int,
                       with_requirements: bool, kind: DetectedKind | None, deadline: Deadline = NO_DEADLINE,
                       reading: TextReading | None = None, base: "_Base | None" = None,
                       keep: bool = False) -> tuple[Result, TextReading, "_Base | None"]:
        """One classification. ``keep``: also return where question checks can go on from (``_Base``);
        with ``base``, only the profile's facts differ from that first run (see ``_engine``)."""
        profile, input_data = self._profile(subject, answers, max_chars)
        if reading is None or reading.description != profile.description:
            reading = self._read(profile.description, kind, deadline)
        mentions = list(reading.mentions)
        store, stated, base = self._engine(profile, reading, day, deadline, base, keep)
        result = build_result(self.catalogue, store, reading.evidence, input_data, day)
        result = dataclasses.replace(result, input_kind=input_kind(kind), mentions=mention_entries(self.catalogue, mentions))
        result = dataclasses.replace(result, status=status_of(result, mentions, kind, bool(stated)))
        claims = check_claims(self.catalogue, profile.description, mentions,
                              next(iter(store.values("coverage_scope")), None))
        if claims:
            result = dataclasses.replace(result, claims=tuple(claims))
        if with_requirements:
            result = self._with_requirements(result, store, profile, day)
        return result, reading, base

    def _engine(self, profile: Profile, reading: TextReading, day: dt.date, deadline: Deadline,
                base: "_Base | None" = None, keep: bool = False) -> tuple[FactStore, list[Fact], "_Base | None"]:
        """Chain the text's facts and the profile's through the engine. With ``base`` (a question check) the
        run goes on from the first run of the call, from the first stage the profile's difference can reach."""
        stated, overridden = profile_facts(profile, self.vocabulary, self.catalogue)
        providers = {
            "findings": [
                lambda store, d: escalation.escalate(self.catalogue, store, d),
                lambda store, d: foreign_investment.check_foreign_investment(self.catalogue, store, d),
                lambda store, d: licence_coverage.check_licences_held(self.catalogue, profile, store, d),
            ]
        }
        if base is not None:
            changed = {f.name for f in base.stated.symmetric_difference(stated)} | (base.overridden ^ overridden)
            store = self.engine.resume(base.snapshots, {name: [f for f in stated if f.name == name] for name in changed},
                                       day, providers, overridden, deadline)
            return store, stated, base
        counted = list(reading.provinces)
        if "foreign_share" not in overridden:  # a profile's share wins over the text's
            counted += reading.shares
        if "location" not in overridden:
            counted += reading.locations
        snapshots: dict[str, Snapshot] | None = {} if keep else None
        store = self.engine.run(list(reading.signal_inputs) + counted + stated, day, providers, overridden,
                                deadline, snapshots)
        return store, stated, (_Base(snapshots, frozenset(stated), frozenset(overridden)) if keep else None)

    def _probe(self, subject, day: dt.date, answers: Mapping[str, Any], max_chars: int, with_requirements: bool,
               kind: DetectedKind | None, deadline: Deadline, reading: TextReading, base: "_Base") -> tuple:
        """The signature of the result these answers would give (a question check): without requirements it
        is read off the engine's store, without building the result."""
        if with_requirements:
            return self._classify_once(subject, day, answers, max_chars, True, kind, deadline, reading,
                                       base)[0].signature()
        profile, _ = self._profile(subject, answers, max_chars)
        store, _, _ = self._engine(profile, reading, day, deadline, base)
        return signature_of(self.catalogue, store, day)

    def _with_requirements(self, result: Result, store, profile: Profile, day: dt.date) -> Result:
        """Attach what each licence takes; facts its conditions still need become questions."""
        share = store.first("foreign_share")
        company = Company(
            registered_capital=profile.get("registered_capital"), state_share=profile.get("state_share"),
            dishonest_listed=profile.get("dishonest_listed"),
            foreign_share=share.fact.value if share is not None else None,
            location=next(iter(store.values("location")), None),
        )
        scope = next(iter(store.values("coverage_scope")), None)
        activities = frozenset(d.fact.name for d in store.of("activity"))
        found = []
        for business in result.businesses:
            found.append(requirements_for(self.catalogue, business.code, coverage_scope=scope,
                                          items=tuple(i for i, _, _ in business.items), company=company, as_of=day,
                                          activities=activities))
        asked = {q.fact for q in result.questions}
        extra = []
        for name in sorted(set().union(*(r.unknown_facts() for r in found)) - asked):
            spec = self.kb.facts.get(name)
            if spec is not None and spec.question_zh:
                codes = tuple(r.code for r in found if name in r.unknown_facts())
                extra.append(question_for(spec, codes))
        return dataclasses.replace(result, requirements=tuple(found), questions=result.questions + tuple(extra))

    def _keep_questions_that_matter(self, subject, day, answers, max_chars, with_requirements, result,
                                    kind: DetectedKind | None, deadline: Deadline, reading: TextReading,
                                    base: "_Base") -> Result:
        """Keep a question only if some answer to it changes the result (docassemble's 'what is still
        needed', checked by running the engine with each probe answer from facts.yaml). The text was read
        once; each probe re-runs only what a profile fact can change."""
        answer = result.signature()
        kept = []
        for question in result.questions:
            spec = self.kb.facts.get(question.fact)
            probes = (spec.probe_values or spec.options) if spec else ()
            field, _ = answer_target(self.vocabulary, question.fact)
            for value in probes:
                try:
                    deadline.check("checking which questions matter")
                    probed = self._probe(subject, day, {**answers, field: value}, max_chars, with_requirements,
                                         kind, deadline, reading, base)
                except InputError:
                    continue
                if probed != answer:
                    kept.append(question)
                    break
        return dataclasses.replace(result, questions=tuple(kept))


@functools.lru_cache(maxsize=4)
def _classifier(root: Path) -> Classifier:
    return Classifier(load_catalogue(root))


@functools.lru_cache(maxsize=1)
def _default_classifier() -> Classifier:
    return _classifier(knowledge_root(None))


def get_classifier(knowledge: Path | str | None = None) -> Classifier:
    """The classifier of a knowledge directory, built once per process however the directory is named
    (the default, a relative or an absolute path); the default is settled at first use."""
    if knowledge is None:
        return _default_classifier()
    return _classifier(knowledge_root(knowledge))


def classify(subject: str | Mapping[str, Any], as_of: dt.date | str | None = None,
             answers: Mapping[str, Any] | None = None, *, knowledge: Path | str | None = None,
             max_chars: int = DEFAULT_MAX_CHARS, requirements: bool = False, verify_questions: bool = True,
             kind: str | None = None, time_limit: float | None = None) -> Result:
    """Classify a described service (text, or a profile mapping) as of a date (default today).

    ``answers`` are answers to the result's questions (fact name or profile field -> value); they are
    merged into the profile and win over it. ``requirements=True`` attaches what each licence takes
    and obliges (conditions judged for this company). Questions are only those whose answer would
    change the result: each candidate is checked by re-running with its probe answers
    (``verify_questions=False`` skips that check and returns every candidate, faster).
    ``kind`` states what kind of document the text is (``product_page``, ``news``, ``question`` ... as
    ``knowledge/documents.yaml`` lists them); otherwise a text's kind is read from its cues and a profile is
    a self-description. ``time_limit`` is the budget in seconds (default ``TLC_TIME_LIMIT``, else 30; 0:
    none): past it the call stops with ``TimeLimitExceeded``. The result says which (``input_kind``), whether anything was found (``status``:
    findings, clear, or unrecognised when no service the subject operates could be read) and which
    services the text only mentions (``mentions``).
    Raises ``InputError`` for input that cannot be classified and ``KnowledgeError`` for a broken
    knowledge base.
    """
    return get_classifier(knowledge).classify(subject, as_of, answers, max_chars=max_chars,
                                              requirements=requirements, verify_questions=verify_questions, kind=kind,
                                              time_limit=time_limit)
