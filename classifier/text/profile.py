"""The input: free text, or a profile of stated facts, validated before anything is inferred.

A profile is ``description`` plus any facts the user knows, by the profile fields that
``knowledge/facts.yaml`` declares (``coverage``, ``cross_border``, ``customers``, ``foreign_share`` ...); the
model that checks it is made from that file. Unknown fields and out-of-range values are refused with a
message that names them: a guess would be a silently wrong answer.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import weakref
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Mapping

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from classifier.errors import InputError
from classifier.knowledge.files import KnowledgeBase
from classifier.knowledge.schema import FactSpec
from classifier.knowledge.vocabulary import Vocabulary
from classifier.text.answers import answer_target, parse_answer
from classifier.normalise import normalise_name
from classifier.knowledge.yaml_reader import parse_yaml

DEFAULT_MAX_CHARS = 1_000_000


class _Held(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1)
    coverage: list[str] | str | None = None


def _not_a_bool(value: Any) -> Any:
    """``true`` is not a number, though Python counts it as 1."""
    if isinstance(value, bool):
        raise ValueError("a number is expected, not true/false")
    return value


def _listed(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _field_type(spec: FactSpec) -> Any:
    """The type a profile field takes, from its fact's declaration."""
    if spec.profile_type == "provinces":
        return list[str] | str
    if spec.type == "licences":
        return list[_Held]
    if spec.type == "bool":
        return bool
    if spec.type == "enum":
        return Literal[spec.values]
    if spec.type == "set":
        return Annotated[list[Literal[spec.values]], BeforeValidator(_listed)]
    if spec.type == "number":
        return Annotated[float, BeforeValidator(_not_a_bool),
                         Field(ge=spec.minimum, le=spec.maximum, allow_inf_nan=False)]
    return str


_MODELS: "weakref.WeakKeyDictionary[Vocabulary, type[BaseModel]]" = weakref.WeakKeyDictionary()


def profile_model(vocabulary: Vocabulary) -> type[BaseModel]:
    """The pydantic model of a profile: ``description`` plus one optional field per profile field the
    vocabulary declares, typed by its fact (made once per vocabulary)."""
    model = _MODELS.get(vocabulary)
    if model is None:
        fields: dict[str, Any] = {"description": (str, "")}
        for name, spec in vocabulary.profile_fields().items():
            fields[name] = (_field_type(spec) | None, None)
        model = create_model("Profile", __config__=ConfigDict(extra="forbid"), **fields)
        _MODELS[vocabulary] = model
    return model


@dataclass(frozen=True)
class HeldLicence:
    code: str
    provinces: tuple[str, ...] | None     # None: nationwide or not stated


@dataclass(frozen=True)
class Profile:
    """What the user told us: the description and the profile fields stated (typed; an unknown fact is
    simply absent, and a question may ask for it). Coverage and licences are resolved against the
    catalogue's provinces and codes."""

    description: str
    values: Mapping[str, Any] = field(default_factory=dict)
    provinces: tuple[str, ...] | None = None
    nationwide: bool = False
    scope: str | None = None              # coverage stated as a scope (multi_province) without provinces
    licences_held: tuple[HeldLicence, ...] | None = None

    def get(self, name: str) -> Any:
        """A stated profile field, or None."""
        return self.values.get(name)

    @property
    def coverage_scope(self) -> str | None:
        if self.nationwide:
            return "multi_province"
        if self.provinces is None:
            return self.scope
        return "multi_province" if len(self.provinces) >= 2 else "single_province"

    def stated(self) -> dict[str, Any]:
        """The profile as the user gave it, with unknowns left out (for the report's ``input``)."""
        out: dict[str, Any] = {"description": self.description}
        if self.nationwide:
            out["coverage"] = "nationwide"
        elif self.provinces is not None:
            out["coverage"] = list(self.provinces)
        elif self.scope is not None:
            out["coverage"] = self.scope
        for name, value in self.values.items():
            out[name] = list(value) if isinstance(value, tuple) else value
        if self.licences_held is not None:
            out["licences_held"] = [{"code": h.code, "coverage": list(h.provinces) if h.provinces else "nationwide"}
                                    for h in self.licences_held]
        return out


# Unicode categories Cc (C0 and C1 controls) and Cs (surrogates), less the newline, return and tab.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def check_text(text: str, *, max_chars: int = DEFAULT_MAX_CHARS, what: str = "text") -> str:
    """Refuse empty, oversized or binary-looking text with a message that says which."""
    if not isinstance(text, str):
        raise InputError(f"{what} must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InputError(f"empty {what}: describe the service to classify")
    if len(text) > max_chars:
        raise InputError(f"{what} is {len(text):,} characters; the limit is {max_chars:,} (raise max_chars to allow more)")
    controls = len(_CONTROLS.findall(text))
    if "\x00" in text or controls > max(8, len(text) // 50):
        raise InputError(f"{what} looks like binary data, not a description")
    return text


def decode_bytes(data: bytes, *, source: str = "input") -> str:
    """UTF-8 text from bytes; anything else is an InputError naming the byte offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not valid UTF-8 (byte {exc.start})") from None


def resolve_provinces(kb: KnowledgeBase, raw: list[str] | str | None, field: str) -> tuple[tuple[str, ...] | None, bool]:
    if raw is None:
        return None, False
    if kb.provinces is None:
        raise InputError("the knowledge base has no provinces.yaml; coverage cannot be read")
    items = [raw] if isinstance(raw, str) else raw
    nationwide_names = {normalise_name(n) for n in kb.provinces.nationwide}
    index = {}
    for province in kb.provinces.provinces:
        for name in (province.name, *province.aliases):
            index[normalise_name(name)] = province.name
    out: list[str] = []
    for item in items:
        key = normalise_name(str(item))
        if key in nationwide_names:
            return None, True
        if key not in index:
            raise InputError(f"{field}: unknown province {item!r} (use names like 北京, 广东, or 'nationwide')")
        if index[key] not in out:
            out.append(index[key])
    if not out:
        raise InputError(f"{field}: empty list (give provinces or 'nationwide')")
    return tuple(out), False


def _format(exc: ValidationError, known: tuple[str, ...]) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "profile"
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown fact {loc!r} (known: {', '.join(known)})")
        else:
            parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def build_profile(data: Mapping[str, Any], kb: KnowledgeBase, *, max_chars: int = DEFAULT_MAX_CHARS,
                  answers: Mapping[str, Any] | None = None) -> Profile:
    """Validate a profile (plus ``answers`` to follow-up questions, which win) into a ``Profile``.

    An answer may name the fact asked for or its profile field, and may be written as people answer
    (``"是"``, ``"30%"``, ``"北京、上海"``, an option's number): ``answers.parse_answer`` reads it.
    """
    if not isinstance(data, Mapping):
        raise InputError(f"a profile must be a mapping of facts, not {type(data).__name__}")
    vocabulary = kb.vocabulary
    merged = dict(data)
    for key, value in (answers or {}).items():
        if not isinstance(key, str):
            raise InputError(f"answers are keyed by fact names, not {type(key).__name__}")
        field_name, spec = answer_target(vocabulary, key)
        merged[field_name] = parse_answer(spec, value) if spec is not None else value
    model = profile_model(vocabulary)
    known = tuple(model.model_fields)
    try:
        parsed = model.model_validate(merged)
    except ValidationError as exc:
        raise InputError(f"invalid profile: {_format(exc, known)}") from None
    description = check_text(parsed.description, max_chars=max_chars, what="profile description")
    fields = vocabulary.profile_fields()
    values: dict[str, Any] = {}
    provinces, nationwide, scope, held = None, False, None, None
    for name, spec in fields.items():
        value = getattr(parsed, name)
        if value is None:
            continue
        if spec.profile_type == "provinces":
            if value in spec.values:
                scope = value
            else:
                provinces, nationwide = resolve_provinces(kb, value, name)
        elif spec.type == "licences":
            held = tuple(_held(kb, licence) for licence in value)
        elif spec.type == "text":
            if value.strip():
                values[name] = value
        else:
            values[name] = tuple(dict.fromkeys(value)) if isinstance(value, list) else value
    return Profile(description=description, values=values, provinces=provinces, nationwide=nationwide, scope=scope,
                   licences_held=held)


def _held(kb: KnowledgeBase, licence: _Held) -> HeldLicence:
    code = licence.code.strip().upper()
    if code not in kb.entries:
        raise InputError(f"licences_held: unknown catalogue code {licence.code!r}")
    provinces, nationwide = resolve_provinces(kb, licence.coverage, f"licences_held.{code}.coverage")
    return HeldLicence(code, None if nationwide else provinces)


def parse_profile_document(text: str, *, source: str = "profile") -> Any:
    """A profile written as JSON or YAML (YAML is a superset; JSON errors read better as JSON)."""
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source}: malformed JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    from classifier.errors import KnowledgeError

    try:
        return parse_yaml(text, source=source)
    except KnowledgeError as exc:
        raise InputError(str(exc)) from None


def as_of_date(value: dt.date | str | None) -> dt.date:
    """The date an answer is for: given, or today."""
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"as_of: {value!r} is not a date (YYYY-MM-DD)") from None
