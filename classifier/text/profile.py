"""The input: free text, or a profile of stated facts, validated before anything is inferred.

A profile is ``description`` plus any facts the user knows (``coverage``, ``cross_border``, ``customers``,
``foreign_share``, ``location``, ``own_platform``, ``licences_held``). Unknown fields and out-of-range
values are refused with a message that names them: a guess would be a silently wrong answer.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from classifier.errors import InputError
from classifier.knowledge.files import KnowledgeBase
from classifier.normalise import normalise_name
from classifier.knowledge.yaml_reader import parse_yaml

DEFAULT_MAX_CHARS = 1_000_000
PROFILE_FIELDS = ("description", "coverage", "cross_border", "customers", "foreign_share", "location",
                  "own_platform", "licences_held", "commercial", "cross_border_operator", "registered_capital",
                  "state_share", "dishonest_listed")


class _Held(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1)
    coverage: list[str] | str | None = None


class _ProfileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    coverage: list[str] | str | None = None
    cross_border: bool | None = None
    cross_border_operator: Literal["self", "basic_operator"] | None = None
    customers: list[Literal["consumers", "enterprises", "own_staff"]] | None = None
    foreign_share: float | None = Field(default=None, ge=0, le=1)
    location: str | None = None
    own_platform: bool | None = None
    commercial: bool | None = None
    licences_held: list[_Held] | None = None
    registered_capital: float | None = Field(default=None, ge=0)
    state_share: float | None = Field(default=None, ge=0, le=1)
    dishonest_listed: bool | None = None

    @field_validator("customers", mode="before")
    @classmethod
    def _one_customer(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


@dataclass(frozen=True)
class HeldLicence:
    code: str
    provinces: tuple[str, ...] | None     # None: nationwide or not stated


@dataclass(frozen=True)
class Profile:
    """What the user told us. ``None`` means unknown (a question may ask for it)."""

    description: str
    provinces: tuple[str, ...] | None = None
    nationwide: bool = False
    cross_border: bool | None = None
    cross_border_operator: str | None = None
    customers: tuple[str, ...] | None = None
    foreign_share: float | None = None
    location: str | None = None
    own_platform: bool | None = None
    commercial: bool | None = None
    licences_held: tuple[HeldLicence, ...] | None = None
    registered_capital: float | None = None
    state_share: float | None = None
    dishonest_listed: bool | None = None

    @property
    def coverage_scope(self) -> str | None:
        if self.nationwide:
            return "multi_province"
        if self.provinces is None:
            return None
        return "multi_province" if len(self.provinces) >= 2 else "single_province"

    def stated(self) -> dict[str, Any]:
        """The profile as the user gave it, with unknowns left out (for the report's ``input``)."""
        out: dict[str, Any] = {"description": self.description}
        if self.nationwide:
            out["coverage"] = "nationwide"
        elif self.provinces is not None:
            out["coverage"] = list(self.provinces)
        for name in ("cross_border", "cross_border_operator", "foreign_share", "location", "own_platform",
                     "commercial", "registered_capital", "state_share", "dishonest_listed"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.customers is not None:
            out["customers"] = list(self.customers)
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


def _format(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "profile"
        if err["type"] == "extra_forbidden":
            parts.append(f"unknown fact {loc!r} (known: {', '.join(PROFILE_FIELDS)})")
        else:
            parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def build_profile(data: Mapping[str, Any], kb: KnowledgeBase, *, max_chars: int = DEFAULT_MAX_CHARS,
                  answers: Mapping[str, Any] | None = None) -> Profile:
    """Validate a profile (plus ``answers`` to follow-up questions, which win) into a ``Profile``."""
    if not isinstance(data, Mapping):
        raise InputError(f"a profile must be a mapping of facts, not {type(data).__name__}")
    merged = dict(data)
    for key, value in (answers or {}).items():
        merged[answer_field(key)] = value
    try:
        model = _ProfileModel.model_validate(merged)
    except ValidationError as exc:
        raise InputError(f"invalid profile: {_format(exc)}") from None
    description = check_text(model.description, max_chars=max_chars, what="profile description")
    provinces, nationwide = resolve_provinces(kb, model.coverage, "coverage")
    held = None
    if model.licences_held is not None:
        held_list = []
        for licence in model.licences_held:
            code = licence.code.strip().upper()
            if code not in kb.entries:
                raise InputError(f"licences_held: unknown catalogue code {licence.code!r}")
            h_provinces, h_nationwide = resolve_provinces(kb, licence.coverage, f"licences_held.{code}.coverage")
            held_list.append(HeldLicence(code, None if h_nationwide else h_provinces))
        held = tuple(held_list)
    return Profile(
        description=description, provinces=provinces, nationwide=nationwide, cross_border=model.cross_border,
        cross_border_operator=model.cross_border_operator,
        customers=tuple(model.customers) if model.customers is not None else None,
        foreign_share=model.foreign_share, location=(model.location or None), own_platform=model.own_platform,
        commercial=model.commercial, licences_held=held, registered_capital=model.registered_capital,
        state_share=model.state_share, dishonest_listed=model.dishonest_listed,
    )


ANSWER_ALIASES = {"coverage_scope": "coverage"}


def answer_field(key: str) -> str:
    """Questions name facts; answers may use the fact name or the profile field."""
    return ANSWER_ALIASES.get(key, key)


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
