"""The one path through the engine: text -> signals -> facts -> forward chaining -> findings -> report.

``classify`` is the public entry point. The knowledge base, the lexicon and the compiled durable_rules
rulesets are built once per process (per knowledge directory) and reused by every call.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any, Mapping

from . import escalation, foreign_investment, licence_coverage
from .catalogue import Catalogue, load_catalogue
from .errors import KnowledgeError
from .facts import mention_facts, profile_facts, province_count_fact, share_facts
from .findings import build_result
from .inference import Engine
from .profile import DEFAULT_MAX_CHARS, Profile, as_of_date, build_profile, check_text
from .report import Result
from .rule_compiler import compile_stage
from .schema import STAGES
from .signals import Lexicon


class Classifier:
    """Everything a classification needs, built once: catalogue, lexicon, compiled engine."""

    def __init__(self, catalogue: Catalogue):
        kb = catalogue.kb
        if not any(kb.rules.values()) or not kb.lexicon.signals:
            raise KnowledgeError("the knowledge base has no rules or no lexicon; the engine cannot run")
        self.catalogue = catalogue
        self.kb = kb
        self.lexicon = Lexicon(kb)
        stages = [compile_stage(stage, kb.rules.get(stage, ())) for stage in STAGES]
        self.engine = Engine(stages, self._enrich)

    def _enrich(self, fact: dict) -> dict:
        """Business facts carry their catalogue kind, which findings rules test."""
        if fact.get("t") == "business":
            code = fact["code"]
            kind = self.catalogue.entry(code).kind if code in self.catalogue else "unknown"
            return dict(fact, kind=kind)
        return fact

    def classify(self, subject: str | Mapping[str, Any], as_of: dt.date | str | None = None,
                 answers: Mapping[str, Any] | None = None, *, max_chars: int = DEFAULT_MAX_CHARS) -> Result:
        day = as_of_date(as_of)
        if isinstance(subject, str) and not answers:
            profile = Profile(description=check_text(subject, max_chars=max_chars))
            input_data: dict[str, Any] = {"text": subject}
        else:
            data = {"description": subject} if isinstance(subject, str) else subject
            profile = build_profile(data, self.kb, max_chars=max_chars, answers=answers)
            input_data = {"profile": profile.stated()}
        mentions = self.lexicon.extract(profile.description)
        signal_inputs, evidence = mention_facts(mentions, self.lexicon.subject_mentions(profile.description, mentions))
        stated, overridden = profile_facts(profile)
        providers = {
            "findings": [
                lambda store, d: escalation.escalate(self.catalogue, store, d),
                lambda store, d: foreign_investment.check_foreign_investment(self.catalogue, store, d),
                lambda store, d: licence_coverage.check_licences_held(self.catalogue, profile, store, d),
            ]
        }
        counted = province_count_fact(mentions)
        if "foreign_share" not in overridden:  # a profile's share wins over the text's
            counted += share_facts(profile.description, self.kb.lexicon.share_patterns)
        store = self.engine.run(signal_inputs + counted + stated, day, providers, overridden)
        return build_result(self.catalogue, store, evidence, input_data, day.isoformat())


@functools.lru_cache(maxsize=4)
def _classifier(root: Path | None) -> Classifier:
    return Classifier(load_catalogue(root))


def get_classifier(knowledge: Path | str | None = None) -> Classifier:
    return _classifier(Path(knowledge) if knowledge is not None else None)


def classify(subject: str | Mapping[str, Any], as_of: dt.date | str | None = None,
             answers: Mapping[str, Any] | None = None, *, knowledge: Path | str | None = None,
             max_chars: int = DEFAULT_MAX_CHARS) -> Result:
    """Classify a described service (text, or a profile mapping) as of a date (default today).

    ``answers`` are answers to the result's questions (fact name or profile field -> value); they are
    merged into the profile and win over it. Raises ``InputError`` for input that cannot be classified
    and ``KnowledgeError`` for a broken knowledge base.
    """
    return get_classifier(knowledge).classify(subject, as_of, answers, max_chars=max_chars)
