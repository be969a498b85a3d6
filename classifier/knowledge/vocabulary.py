"""The fact vocabulary every stage speaks, declared in ``knowledge/facts.yaml``.

A ``Fact`` is one frozen, typed statement about the service being classified: a signal the text
carries, a fact (``cross_border = True``, ``foreign_share = 0.3``), an activity, a business, a licence
item, a red line, an authority or a question. Stages hand ``Fact`` values down and never strings to
be parsed back; only the engine encodes them into durable_rules' string form, inside its boundary.
``Vocabulary`` knows each declared fact's type, and turns a value from a rule, the text or a profile
into that type, refusing values the declaration does not allow.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Literal, Mapping

from classifier.knowledge.schema import ActivitySpec, FactSpec

LICENCE_NAME = "licence.name"   # a catalogue name found in the text; carries its code (and item)
PROVINCE = "geo.province"       # a mainland province (or one of its cities) found in the text

FactKind = Literal["signal", "fact", "activity", "business", "item", "red_line", "authority", "question"]
Value = bool | float | str | None


@dataclass(frozen=True, slots=True)
class Fact:
    """One typed fact. Which fields mean something depends on ``kind``:

    - signal:    ``name`` (signal id), ``scope``, and for licence names / provinces ``code`` and ``item``
    - fact:      ``name`` (declared in facts.yaml) and its typed ``value``
    - activity:  ``name``
    - business:  ``code``;  item: ``code`` and ``item``
    - red_line:  ``name`` (red-line id) and the ``code`` it concerns, if any
    - authority: ``code`` and ``value`` (MIIT or provincial)
    - question:  ``name`` (the fact asked for) and the ``code`` it concerns, if any
    """

    kind: FactKind
    name: str = ""
    value: Value = None
    scope: str = ""
    code: str = ""
    item: str = ""

    @classmethod
    def signal(cls, name: str, scope: str = "asserted", code: str | None = None, item: str | None = None) -> "Fact":
        return cls("signal", name, scope=scope, code=code or "", item=item or "")

    @classmethod
    def datum(cls, name: str, value: Value) -> "Fact":
        return cls("fact", name, value)

    @classmethod
    def activity(cls, name: str) -> "Fact":
        return cls("activity", name)

    @classmethod
    def business(cls, code: str) -> "Fact":
        return cls("business", code=code)

    @classmethod
    def licence_item(cls, code: str, item: str) -> "Fact":
        return cls("item", code=code, item=item)

    @classmethod
    def red_line(cls, name: str, code: str = "") -> "Fact":
        return cls("red_line", name, code=code)

    @classmethod
    def authority(cls, code: str, grantor: str) -> "Fact":
        return cls("authority", code=code, value=grantor)

    @classmethod
    def question(cls, name: str, code: str = "") -> "Fact":
        return cls("question", name, code=code)


def value_text(value: Value) -> str:
    """A value's one canonical text: ``true``/``false``, numbers without trailing zeros, text as is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


class VocabularyError(ValueError):
    """A value the declaration of its fact does not allow."""


class Vocabulary:
    """The declared facts and activities, and the typing of their values."""

    def __init__(self, facts: Mapping[str, FactSpec], activities: Mapping[str, ActivitySpec] = {}):
        self.facts = dict(facts)
        self.activities = dict(activities)

    def spec(self, name: str) -> FactSpec:
        try:
            return self.facts[name]
        except KeyError:
            raise VocabularyError(f"{name!r} is not a declared fact") from None

    def typed(self, name: str, value) -> Value:
        """``value`` as the declared type of fact ``name`` (for a set fact: one element)."""
        spec = self.spec(name)
        kind = spec.type
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value in ("true", "false"):
                return value == "true"
            raise VocabularyError(f"{name}: {value!r} is not true or false")
        if kind == "number":
            if isinstance(value, bool):
                raise VocabularyError(f"{name}: {value!r} is not a number")
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise VocabularyError(f"{name}: {value!r} is not a number") from None
            if not math.isfinite(number):
                raise VocabularyError(f"{name}: {value!r} is not a finite number")
            if (spec.minimum is not None and number < spec.minimum) or (spec.maximum is not None and number > spec.maximum):
                raise VocabularyError(f"{name}: {value!r} is outside {spec.minimum}..{spec.maximum}")
            return number
        if kind in ("enum", "set"):
            if not isinstance(value, str) or value not in spec.values:
                raise VocabularyError(f"{name}: {value!r} is not one of {', '.join(spec.values)}")
            return value
        if not isinstance(value, str) or not value:
            raise VocabularyError(f"{name}: {value!r} is not a non-empty text")
        return value

    def fact(self, name: str, value) -> Fact:
        """A typed fact of the declared name."""
        return Fact.datum(name, self.typed(name, value))

    def with_origin(self, origin: str) -> list[FactSpec]:
        return [spec for spec in self.facts.values() if origin in spec.origin]

    def profile_fields(self) -> dict[str, FactSpec]:
        """Each profile field with the fact that declares its type (the fact of the same name, or the
        only fact stated through it)."""
        owners: dict[str, list[FactSpec]] = {}
        for spec in self.with_origin("profile"):
            owners.setdefault(spec.profile_field, []).append(spec)
        out = {}
        for field, specs in owners.items():
            named = [s for s in specs if s.name == field]
            out[field] = named[0] if named else specs[0]
        return out

    def asked(self) -> Iterable[FactSpec]:
        return (spec for spec in self.facts.values() if spec.question_zh)
