"""The input: free text, or a profile of stated facts, validated before anything is inferred.

A profile is ``description`` plus any facts the user knows, by the profile fields that
``knowledge/facts.yaml`` declares (``coverage``, ``cross_border``, ``customers``, ``foreign_share`` ...); the
model that checks it is made from that file. Unknown fields and out-of-range values are refused with a
message that names them: a guess would be a silently wrong answer.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import weakref
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Mapping

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model

from classifier.errors import InvalidAnswer, InvalidDate, InvalidProfile, InvalidText, MalformedDocument
from classifier.knowledge.files import KnowledgeBase
from classifier.knowledge.schema import FactSpec
from classifier.knowledge.vocabulary import Vocabulary
from classifier.text.answers import accepted_forms, answer_target, parse_answer
from classifier.normalise import normalise_name
from classifier.knowledge.yaml_reader import ALIASES_REFUSED, parse_yaml

DEFAULT_MAX_CHARS = 1_000_000


class _Held(BaseModel):
    """A licence the company holds."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, description="Catalogue code of the licence held, e.g. B13.")
    coverage: list[str] | str | None = Field(None, description="Provinces it covers, or 'nationwide'.")


def _a_finite_number(value: Any) -> Any:
    """``true`` is not a number, though Python counts it as 1; NaN and infinity are no share of anything."""
    if isinstance(value, bool):
        raise ValueError("a number is expected, not true/false")
    if isinstance(value, (int, float, str)):
        try:
            number = float(value)
        except (ValueError, OverflowError):
            return value   # pydantic names the problem
        if not math.isfinite(number):
            raise ValueError(f"a finite number is expected, not {value!r}")
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
        # the bounds inside, the text check outside: so the published schema says minimum and maximum
        bounded = Annotated[float, Field(ge=spec.minimum, le=spec.maximum, allow_inf_nan=False)]
        return Annotated[bounded, BeforeValidator(_a_finite_number)]
    return str


def _allowed(spec: FactSpec) -> str:
    """The values a profile field takes, in words (for its description in the published schema)."""
    if spec.profile_type == "provinces":
        return ("Province names (北京, 上海, Guangdong ...) as a list or one name, 'nationwide' (全国), or, when the "
                "provinces are not known, " + " or ".join(spec.values) + ".")
    if spec.type == "licences":
        return 'A list of {"code": catalogue code such as B13, "coverage": provinces or "nationwide"}.'
    if spec.type == "bool":
        return "true or false."
    if spec.type == "enum":
        return "One of: " + ", ".join(spec.values) + "."
    if spec.type == "set":
        return "A list of: " + ", ".join(spec.values) + "."
    if spec.type == "number":
        return f"A number from {spec.minimum:g}" + (f" to {spec.maximum:g}." if spec.maximum is not None else " up.")
    return "Text."


_DESCRIPTION = ("What the service is and does, in the company's words (Chinese or English); the other fields are "
                "facts you know, and a stated fact wins over what the text suggests.")
_MODELS: "weakref.WeakKeyDictionary[Vocabulary, type[BaseModel]]" = weakref.WeakKeyDictionary()


def profile_model(vocabulary: Vocabulary) -> type[BaseModel]:
    """The pydantic model of a profile: ``description`` plus one optional field per profile field the
    vocabulary declares, typed by its fact and described by its declaration (made once per vocabulary)."""
    model = _MODELS.get(vocabulary)
    if model is None:
        fields: dict[str, Any] = {"description": (str, Field("", description=_DESCRIPTION))}
        for name, spec in vocabulary.profile_fields().items():
            fields[name] = (_field_type(spec) | None, Field(None, description=f"{spec.description} {_allowed(spec)}"))
        model = create_model("Profile", __config__=ConfigDict(extra="forbid"), **fields)
        model.__doc__ = ("A service described by the facts you know: `description` plus any of the fields below; "
                         "unknown fields are refused with the list of known ones.")
        _MODELS[vocabulary] = model
    return model


def profile_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    """The JSON Schema of a profile, self-contained (no references), with what each field means."""
    return inline_refs(profile_model(vocabulary).model_json_schema())


_ANSWERS: "weakref.WeakKeyDictionary[Vocabulary, type[BaseModel]]" = weakref.WeakKeyDictionary()


def answers_model(vocabulary: Vocabulary) -> type[BaseModel]:
    """The pydantic model of ``answers``: each key a profile field (or the fact a question names), each value
    written as people answer (``answers.parse_answer`` reads it, so the model takes any value and says which
    forms are accepted); unknown keys are refused. Made once per vocabulary."""
    model = _ANSWERS.get(vocabulary)
    if model is None:
        fields: dict[str, Any] = {}
        for name, spec in vocabulary.profile_fields().items():
            fields[name] = (Any, Field(None, description=f"{spec.description} Accepted: {accepted_forms(spec)}."))
        for spec in vocabulary.asked():
            if spec.profile_field and spec.profile_field != spec.name and spec.name not in fields:
                fields[spec.name] = (Any, Field(None, description=f"The same as `{spec.profile_field}`."))
        model = create_model("Answers", __config__=ConfigDict(extra="forbid"), **fields)
        model.__doc__ = ("Answers to the result's questions, keyed by each question's `field` (or `fact`); an option "
                         "the question offers is always accepted, and so are yes/no in Chinese or English, "
                         "percentages (30%, 三成) and province names or 全国. They win over the profile.")
        _ANSWERS[vocabulary] = model
    return model


def answers_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    """The JSON Schema of ``answers``."""
    return answers_model(vocabulary).model_json_schema()


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with each ``$ref`` into its ``$defs`` replaced by the definition, so it can be embedded
    in another document (an OpenAPI body, an MCP tool's input) as it stands."""
    defs = schema.get("$defs", {})

    def resolve(item: Any) -> Any:
        if isinstance(item, dict):
            if "$ref" in item and item["$ref"].startswith("#/$defs/"):
                return resolve(defs[item["$ref"].removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in item.items() if k != "$defs"}
        if isinstance(item, list):
            return [resolve(v) for v in item]
        return item

    return resolve(schema)


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
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: str, *, max_chars: int = DEFAULT_MAX_CHARS, what: str = "text") -> str:
    """Refuse empty, oversized or binary-looking text with a message that says which."""
    if not isinstance(text, str):
        raise InvalidText(f"{what} must be a string, not {type(text).__name__}", code="not_a_string")
    if not text.strip():
        raise InvalidText(f"empty {what}: describe the service to classify", code="empty_text")
    if len(text) > max_chars:
        raise InvalidText(f"{what} is {len(text):,} characters; the limit is {max_chars:,} (raise max_chars to allow more)",
                          code="text_too_long")
    controls = len(_CONTROLS.findall(text))
    if "\x00" in text or controls > max(8, len(text) // 50):
        raise InvalidText(f"{what} looks like binary data, not a description", code="binary_text")
    surrogate = _SURROGATE.search(text)
    if surrogate is not None and "\udc80" <= surrogate.group(0) <= "\udcff":
        # how Python carries an undecodable byte of a command-line argument or file name (PEP 383)
        raise InvalidText(f"{what} is not valid UTF-8 (byte 0x{ord(surrogate.group(0)) - 0xDC00:02X} at "
                          f"{surrogate.start()}); give it in UTF-8", code="invalid_utf8")
    if surrogate is not None:
        raise InvalidText(f"{what} holds an unpaired surrogate (U+{ord(surrogate.group(0)):04X} at {surrogate.start()}), "
                          f"which no text encoding can carry", code="invalid_characters")
    return text


def decode_bytes(data: bytes, *, source: str = "input") -> str:
    """UTF-8 text from bytes; anything else is a MalformedDocument error naming the byte offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedDocument(f"{source} is not valid UTF-8 (byte {exc.start})", code="invalid_utf8") from None


def resolve_provinces(kb: KnowledgeBase, raw: list[str] | str | None, field: str) -> tuple[tuple[str, ...] | None, bool]:
    if raw is None:
        return None, False
    if kb.provinces is None:
        raise InvalidProfile("the knowledge base has no provinces.yaml; coverage cannot be read")
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
            raise InvalidProfile(f"{field}: unknown province {item!r} (use names like 北京, 广东, or 'nationwide')",
                                 code="unknown_province")
        if index[key] not in out:
            out.append(index[key])
    if not out:
        raise InvalidProfile(f"{field}: empty list (give provinces or 'nationwide')", code="unknown_province")
    return tuple(out), False


def _format(exc: ValidationError, known: tuple[str, ...]) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "profile"
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown fact {loc!r} (known: {', '.join(known)})")
        else:
            parts.append(f"{loc}: {err['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


MAX_DEPTH = 16


def check_depth(data: Any, what: str, limit: int = MAX_DEPTH) -> None:
    """Refuse a structure nested deeper than ``limit`` (a profile is a few levels deep; thousands would
    exhaust the stack in validation)."""
    pending = [(data, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > limit:
            raise MalformedDocument(f"{what} is nested more than {limit} levels deep", code="nesting_too_deep")
        if isinstance(item, Mapping):
            pending.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend((value, depth + 1) for value in item)


def build_profile(data: Mapping[str, Any], kb: KnowledgeBase, *, max_chars: int = DEFAULT_MAX_CHARS,
                  answers: Mapping[str, Any] | None = None) -> Profile:
    """Validate a profile (plus ``answers`` to follow-up questions, which win) into a ``Profile``.

    An answer may name the fact asked for or its profile field, and may be written as people answer
    (``"是"``, ``"30%"``, ``"北京、上海"``, an option's number): ``answers.parse_answer`` reads it.
    """
    if not isinstance(data, Mapping):
        raise InvalidProfile(f"a profile must be a mapping of facts (or give a text), not {type(data).__name__}")
    check_depth(data, "profile")
    check_depth(answers or {}, "answers")
    vocabulary = kb.vocabulary
    merged = dict(data)
    model = profile_model(vocabulary)
    known = tuple(model.model_fields)
    for key, value in (answers or {}).items():
        if not isinstance(key, str):
            raise InvalidAnswer(f"answers are keyed by fact names, not {type(key).__name__}", code="invalid_answers")
        field_name, spec = answer_target(vocabulary, key)
        if spec is None and field_name not in known:
            raise InvalidAnswer(f"answers: unknown fact {key!r} (answer the questions' facts: "
                                f"{', '.join(vocabulary.profile_fields())})", code="unknown_fact")
        merged[field_name] = parse_answer(spec, value) if spec is not None else value
    try:
        parsed = model.model_validate(merged)
    except ValidationError as exc:
        unknown = any(err["type"] == "extra_forbidden" for err in exc.errors())
        raise InvalidProfile(f"invalid profile: {_format(exc, known)}",
                             code="unknown_fact" if unknown else "invalid_profile") from None
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
        raise InvalidProfile(f"licences_held: unknown catalogue code {licence.code!r}", code="unknown_code")
    provinces, nationwide = resolve_provinces(kb, licence.coverage, f"licences_held.{code}.coverage")
    return HeldLicence(code, None if nationwide else provinces)


def parse_profile_document(text: str, *, source: str = "profile") -> Any:
    """A profile written as JSON or YAML (YAML is a superset; JSON errors read better as JSON)."""
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise MalformedDocument(f"{source}: malformed JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
                                    code="malformed_json") from None
        except RecursionError:
            raise MalformedDocument(f"{source}: nested too deeply", code="nesting_too_deep") from None
    from classifier.errors import KnowledgeError

    try:
        return parse_yaml(text, source=source, untrusted=True)
    except KnowledgeError as exc:
        message = str(exc)
        code = ("yaml_aliases" if ALIASES_REFUSED in message else
                "nesting_too_deep" if "nested too deeply" in message else "malformed_yaml")
        raise MalformedDocument(message, code=code) from None


def as_of_date(value: dt.date | str | None) -> dt.date:
    """The date an answer is for: given, or today."""
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise InvalidDate(f"as_of: {value!r} is not a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidDate(f"as_of: {value!r} is not a date (YYYY-MM-DD)") from None
