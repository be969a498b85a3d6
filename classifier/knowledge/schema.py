"""Pydantic models of every knowledge file.

The models are the schema: ``extra="forbid"`` turns a misspelt field into an error that names the field,
and validators check the shape of codes, ids and dates. Cross-file checks (unknown codes, unknown
sources, cycles, colliding names) live in ``integrity.py``.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CODE_PATTERN = re.compile(r"^(?:[AB](?:\d(?:\d(?:-\d)?)?)?|X-[A-Z0-9]+(?:-[A-Z0-9]+)*)$")
ITEM_PATTERN = re.compile(r"^(?:[AB]\d\d(?:-\d)?|X-[A-Z0-9-]+)\.[a-z0-9]+(?:-[a-z0-9]+)*$")
SOURCE_ID_PATTERN = re.compile(r"^[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$")

Confidence = Literal["official", "secondary", "unverified"]
Kind = Literal["basic", "value_added", "regime"]


class Strict(BaseModel):
    """Base model: unknown fields are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _check_code(value: str) -> str:
    if not CODE_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a catalogue code (A, A1, A11, A11-4, B25, X-NAME)")
    return value


class Cited(Strict):
    """Anything that states a fact names at least one source."""

    sources: tuple[str, ...] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _source_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for source_id in value:
            if not SOURCE_ID_PATTERN.match(source_id):
                raise ValueError(f"{source_id!r} is not a source id")
        return value


URL_PATTERN = re.compile(r"^https?://[^\s{}<>\"]+$")
SOURCE_DATE_PATTERN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


class Source(Strict):
    """A document the knowledge cites. What a reader is shown: ``title``, ``issuer``, ``date`` and ``url``;
    ``ref`` and ``note`` are for maintainers (where a copy was read, what it is good for) and are never shown."""

    id: str
    title: str = Field(min_length=1)
    kind: Literal["primary", "secondary", "guide"]
    issuer: str | None = None   # who issued or published it: 国务院, 工业和信息化部, a law firm, a website
    date: str | None = None     # when it was issued or published: YYYY, YYYY-MM or YYYY-MM-DD
    ref: str | None = None
    url: str | None = None
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        """A link a reader can open: http(s), no spaces, no template placeholder left in it."""
        if value is not None and not URL_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a complete http(s) address")
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> str | None:
        """YAML reads 2015-12-28 as a date and 2015 as a number: both are kept as the text written."""
        if isinstance(value, (dt.date, int)) and not isinstance(value, bool):
            value = value.isoformat() if isinstance(value, dt.date) else str(value)
        if value is not None and (not isinstance(value, str) or not SOURCE_DATE_PATTERN.match(value)):
            raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return value

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not SOURCE_ID_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a source id (letters, digits and dashes)")
        return value


class LicenceItem(Cited):
    """A licence item the licensing system issues under a code, or a sub-kind the catalogue names."""

    id: str
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not ITEM_PATTERN.match(value):
            raise ValueError(f"{value!r} is not an item id (<code>.<slug>, e.g. B11.ircs)")
        return value


class CatalogueEntry(Cited):
    code: str
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    kind: Kind
    category: bool = False    # a class of businesses (A, A1, B2 ...), never a business anyone is licensed for
    class_: Literal["first", "second"] | None = Field(alias="class")
    parent: str | None
    treated_as: Literal["value_added", "basic"] | None = None   # regimes; basic services managed like value-added
    definition_zh: str = Field(min_length=1)
    definition_en: str = Field(min_length=1)
    licence_items: tuple[LicenceItem, ...] = ()
    subkinds: tuple[LicenceItem, ...] = ()
    valid_from: dt.date
    valid_to: dt.date | None = None
    confidence: Confidence
    notes: str | None = None

    _code = field_validator("code")(classmethod(lambda cls, v: _check_code(v)))

    @model_validator(mode="after")
    def _consistent(self) -> "CatalogueEntry":
        regime = self.code.startswith("X-")
        if regime != (self.kind == "regime"):
            raise ValueError("X- codes and only they have kind 'regime'")
        if regime and self.parent is not None:
            raise ValueError("a regime outside the catalogue has no parent")
        if not regime and self.treated_as is not None and (self.kind, self.treated_as) != ("basic", "value_added"):
            raise ValueError("treated_as is for X- regimes, and for basic services managed like value-added ones")
        if not regime and self.code not in ("A", "B"):
            if self.parent is None:
                raise ValueError("every catalogue code but A and B has a parent")
            if self.kind != ("basic" if self.code.startswith("A") else "value_added"):
                raise ValueError("A codes are basic and B codes value_added")
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise ValueError("valid_to must be after valid_from")
        if self.category and (regime or self.licence_items or self.subkinds):
            raise ValueError("a category is a class of catalogue businesses: no regime, no licence items")
        for item in (*self.licence_items, *self.subkinds):
            if item.id.split(".")[0] != self.code:
                raise ValueError(f"item {item.id} must start with its code {self.code}")
        return self


class Amendment(Cited):
    date: dt.date
    change_zh: str
    change_en: str


class CatalogueInfo(Cited):
    title_zh: str
    title_en: str
    issued: dt.date
    in_force: dt.date
    document: str | None = None
    amendments: tuple[Amendment, ...] = ()
    caveat_zh: str | None = None
    caveat_en: str | None = None


class CatalogueIndexFile(Strict):
    catalogue: CatalogueInfo


class Suffix(Strict):
    text: str = Field(min_length=1)
    coverage: Literal["multi_province", "provincial"] | None = None


class Name(Cited):
    name: str = Field(min_length=1)
    code: str
    item: str | None = None
    form: Literal["official_2015", "catalogue_2003", "abbreviation", "english", "colloquial"]

    _code = field_validator("code")(classmethod(lambda cls, v: _check_code(v)))


class NamesFile(Strict):
    suffixes: tuple[Suffix, ...] = ()
    names: tuple[Name, ...]


RELATION_TYPES = ("confused_with", "escalates_to", "commonly_with")


class Relation(Cited):
    type: Literal["confused_with", "escalates_to", "commonly_with"]
    from_: str = Field(alias="from")
    to: str
    when: str | None = None
    note_zh: str = Field(min_length=1)
    note_en: str = Field(min_length=1)

    @model_validator(mode="after")
    def _when(self) -> "Relation":
        _check_code(self.from_)
        _check_code(self.to)
        if self.from_ == self.to:
            raise ValueError("a relation joins two different codes")
        if self.type == "escalates_to":
            if not self.when:
                raise ValueError("escalates_to needs `when`: the activity that turns `from` into `to`")
        elif self.when is not None:
            raise ValueError("`when` is for escalates_to relations only")
        return self


# ---------------------------------------------------------------------------------------------------
# Engine knowledge: lexicon, fact vocabulary, rules, red lines, foreign-investment caps.

SIGNAL_ID = re.compile(r"^[a-z]+(?:\.[a-z0-9_]+)+$")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class Signal(Strict):
    """A concept the text can mention, with the terms (zh and en) that mention it.

    A concept that *is* a catalogue business (content delivery -> B12) says so here, once, with
    ``business`` (and its licence ``items``), a ``description`` of the mapping and its ``sources``: the
    loader turns it into the businesses-stage rule ``concept.<id>``. Concepts that only combine with
    others into an activity (a VPN is B13 only when it stays inside the border) leave that to rules.
    """

    id: str
    note: str | None = None
    business: str | None = None
    items: tuple[str, ...] = ()
    description: str | None = None
    sources: tuple[str, ...] = ()
    terms: tuple[str, ...] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not SIGNAL_ID.match(value):
            raise ValueError(f"{value!r} is not a signal id (e.g. svc.vpn)")
        return value

    @model_validator(mode="after")
    def _concept(self) -> "Signal":
        if self.business is None:
            if self.items or self.description or self.sources:
                raise ValueError("items, description and sources belong to a concept that names its `business`")
            return self
        _check_code(self.business)
        if not self.description or not self.sources:
            raise ValueError("a concept that is a business says why (`description`) and cites `sources`")
        for item in self.items:
            if item.split(".")[0] != self.business:
                raise ValueError(f"item {item} is not an item of {self.business}")
        return self

    def rule(self) -> "Rule":
        """The businesses-stage rule this concept stands for."""
        then = [Conclusion(business=self.business, item=item) for item in self.items] or [Conclusion(business=self.business)]
        return Rule(id=f"concept.{self.id}", description=self.description, when=Condition(all=(Atom(signal=self.id),)),
                    then=tuple(then), sources=self.sources)


# What a text's subject does with a service it mentions (a mention's scope). Only ``asserted`` (it offers or
# runs it) and ``subject`` (the opening names the operator) make a business; the rest are reported as
# mentions: denied, own use, a partner's leg, equipment or software sold, a service used or bought, a
# licence required of others, asked about, discussed, recruited for, procured, documented, made.
Role = Literal["asserted", "subject", "negated", "self_use", "partner", "vendor", "uses", "required", "asked",
               "discussed", "recruits", "procures", "documents", "makes"]


class Cue(Strict):
    """Scope words applied around a mention: within its clause (negation, self-use, partner-run legs, vendor
    context, a service used, a licence required of others), its sentence (an offer: 我们提供, we offer),
    or masking other cues (question words: 能不能 is no negation). Two give no scope but tell what a
    licence name in a question is: after an operating verb (做, 经营, run) it is the service the asker
    intends (operate); followed by 许可证 / 证 / licence it is the licence asked about (licence_document)."""

    id: Literal["negation", "self_use", "partner", "vendor", "uses", "required", "offer", "question", "operate",
                "licence_document"]
    direction: Literal["forward", "backward", "clause", "item", "sentence"]
    terms: tuple[str, ...] = Field(min_length=1)
    applies_to: tuple[str, ...] = ()   # signal ids the cue changes (empty: every signal)
    note: str | None = None

    @model_validator(mode="after")
    def _direction(self) -> "Cue":
        if (self.id == "offer") != (self.direction == "sentence"):
            raise ValueError("an offer cue, and only it, applies to its sentence")
        return self


class SharePattern(Strict):
    """A regular expression that finds a foreign share: its first group is a percentage
    (外资持股30%), or, with ``share``, a match means that share (境外公司全资控股 -> 1)."""

    regex: str
    share: float | None = Field(default=None, ge=0, le=1)
    note: str | None = None

    @model_validator(mode="after")
    def _compiles(self) -> "SharePattern":
        try:
            groups = re.compile(self.regex).groups
        except re.error as exc:
            raise ValueError(f"bad regular expression: {exc}") from None
        if self.share is None and groups < 1:
            raise ValueError("the pattern needs a group for the percentage, or a `share`")
        return self


class LocationPattern(Strict):
    """A regular expression whose first group is where the text says the company is registered
    (注册在临港新片区); the foreign-investment zones are read from it as from a profile's ``location``."""

    regex: str
    note: str | None = None

    @model_validator(mode="after")
    def _compiles(self) -> "LocationPattern":
        try:
            groups = re.compile(self.regex).groups
        except re.error as exc:
            raise ValueError(f"bad regular expression: {exc}") from None
        if groups < 1:
            raise ValueError("the pattern needs a group for the place")
        return self


class LexiconFile(Strict):
    share_patterns: tuple[SharePattern, ...] = ()
    location_patterns: tuple[LocationPattern, ...] = ()
    signals: tuple[Signal, ...] = ()
    cues: tuple[Cue, ...] = ()
    clause_breaks: tuple[str, ...] = ()
    item_breaks: tuple[str, ...] = ()
    sentence_breaks: tuple[str, ...] = ()


FactType = Literal["bool", "enum", "set", "number", "text", "code", "licences"]
Origin = Literal["profile", "text", "rule", "mechanism"]


class FactSpec(Cited):
    """A fact the engine reasons with: its type and values, where it may come from, how to ask for it."""

    name: str
    description: str = Field(min_length=1)
    type: FactType
    values: tuple[str, ...] = ()
    origin: tuple[Origin, ...] = Field(min_length=1)
    profile_field: str | None = None
    # provinces: the profile states provinces (or nationwide) and the fact is their scope;
    # holds_basic_licence: the fact is true when the licences held include a basic (A) business
    profile_type: Literal["provinces", "holds_basic_licence"] | None = None
    question_zh: str | None = None
    question_en: str | None = None
    options: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    probe_values: tuple[str | float | bool | list, ...] = ()   # answers tried to see if a question matters

    @model_validator(mode="after")
    def _shape(self) -> "FactSpec":
        if not NAME.match(self.name):
            raise ValueError(f"{self.name!r} is not a fact name")
        if self.type in ("enum", "set") and not self.values:
            raise ValueError("enum and set facts list their values")
        if self.values and self.type not in ("enum", "set"):
            raise ValueError("only enum and set facts list values")
        if (self.minimum is not None or self.maximum is not None) and self.type != "number":
            raise ValueError("minimum and maximum are for numbers")
        if (self.question_zh is None) != (self.question_en is None):
            raise ValueError("a question needs both question_zh and question_en")
        if ("profile" in self.origin) != (self.profile_field is not None):
            raise ValueError("a fact the profile states has a `profile_field`, and only such a fact")
        if self.type == "licences" and self.origin != ("profile",):
            raise ValueError("licences come from the profile only")
        if self.profile_type == "provinces" and self.type != "enum":
            raise ValueError("a fact stated as provinces is an enum of coverage scopes")
        if self.profile_type == "holds_basic_licence" and self.type != "bool":
            raise ValueError("holds_basic_licence makes a bool fact")
        for option in self.options:
            if self.type in ("enum", "set") and option not in self.values:
                raise ValueError(f"option {option!r} is not one of the values")
        return self


class ActivitySpec(Strict):
    """What a service does, as the rules name it (hosting, private_network, cross_border ...)."""

    name: str
    description: str = Field(min_length=1)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError(f"{value!r} is not an activity name")
        return value


class Atom(Strict):
    """One condition of a rule. Exactly one of the kinds is set."""

    signal: str | None = None
    scope: Role | None = None
    fact: str | None = None
    value: str | bool | int | None = None
    activity: str | None = None
    business: str | None = None
    business_kind: Literal["basic", "value_added", "regime"] | None = None
    red_line: str | None = None
    as_: str | None = Field(default=None, alias="as")

    @model_validator(mode="after")
    def _one_kind(self) -> "Atom":
        kinds = [k for k in ("signal", "fact", "activity", "business", "business_kind", "red_line")
                 if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("an atom tests exactly one of signal, fact, activity, business, business_kind, red_line")
        if self.scope is not None and self.signal is None:
            raise ValueError("scope is for signal atoms")
        if self.value is not None and self.fact is None:
            raise ValueError("value is for fact atoms")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("signal", "fact", "activity", "business", "business_kind", "red_line")
                    if getattr(self, k) is not None)


class AnyOf(Strict):
    any: tuple[Atom, ...] = Field(min_length=2)


class Condition(Strict):
    """``all`` atoms join facts; ``exists`` and ``none`` ask whether something of an earlier stage is
    (or is not) there at all, so a rule using only them fires once, not once per matching fact."""

    all: tuple[Atom | AnyOf, ...] = ()
    exists: tuple[Atom, ...] = ()
    none: tuple[Atom, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> "Condition":
        if not self.all and not self.none and not self.exists:
            raise ValueError("a condition needs `all`, `exists` or `none`")
        for atom in (*self.none, *self.exists):
            if atom.as_ is not None:
                raise ValueError("an `exists` or `none` atom cannot be named with `as`")
        return self


class Conclusion(Strict):
    """What a rule concludes. Values starting with @ name a matched atom's attribute (@named.code)."""

    fact: str | None = None
    value: str | bool | int | None = None
    activity: str | None = None
    business: str | None = None
    item: str | None = None
    red_line: str | None = None
    authority: Literal["MIIT", "provincial"] | None = None
    question: str | None = None
    for_: str | None = Field(default=None, alias="for")

    @model_validator(mode="after")
    def _one_kind(self) -> "Conclusion":
        kinds = [k for k in ("fact", "activity", "business", "red_line", "authority", "question")
                 if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a conclusion sets exactly one of fact, activity, business, red_line, authority, question")
        if self.authority is not None and self.for_ is None:
            raise ValueError("an authority conclusion names the business it is `for`")
        if self.fact is not None and self.value is None:
            raise ValueError("a fact conclusion gives a value")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("fact", "activity", "business", "red_line", "authority", "question")
                    if getattr(self, k) is not None)


class Rule(Cited):
    id: str
    description: str = Field(min_length=1)
    when: Condition
    then: tuple[Conclusion, ...] = Field(min_length=1)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not re.match(r"^[a-z0-9_]+(?:\.[a-z0-9_-]+)+$", value):
            raise ValueError(f"{value!r} is not a rule id (dotted, lower case)")
        return value


STAGES = ("facts", "activities", "businesses", "findings")


class RedLine(Cited):
    id: str
    title_zh: str = Field(min_length=1)   # a few words a reader sees as the red line's heading
    title_en: str = Field(min_length=1)
    severity: Literal["prohibited", "basic_licence_required", "condition_unmet", "review"]
    requires: tuple[str, ...] = ()
    message_zh: str = Field(min_length=1)
    message_en: str = Field(min_length=1)
    note: str | None = None   # for maintainers: why the line is drawn where it is, what was decided and on what sources


class KindCue(Strict):
    """Words (or regular expressions) that suggest a kind of document, and how much."""

    weight: float = Field(default=1, gt=0)
    terms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _some(self) -> "KindCue":
        if not self.terms and not self.patterns:
            raise ValueError("a kind cue lists terms or patterns")
        for pattern in self.patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return self


class DocumentKind(Strict):
    """A kind of text people paste (a product page, a scope, a judgment, a job post ...) and what the
    services it mentions are to its subject by default (``role``): offered (``asserted``), discussed,
    recruited for, procured, documented or made. Where ``offers_count``, a sentence with an offer cue
    (我们提供, we offer) is the writer's own offer all the same."""

    id: str
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    role: Role
    offers_count: bool = False
    names_role: Role | None = None    # the role licence names take (a question asks about them)
    exhaustive: bool = False          # it lists all its subject is registered or licensed for: no item, none held
    cues: tuple[KindCue, ...] = ()
    note: str | None = None


class DocumentsFile(Cited):
    default: str                      # the kind of a text no cue points elsewhere (a self-description)
    threshold: float = Field(gt=0)    # the weight of a strong cue: one makes its kind a candidate
    weak_threshold: float = Field(default=4, gt=0)   # ... or weak cues that add up to this much
    cap: float = Field(default=3, gt=0)   # the most one cue group adds to a kind's score
    window: int = Field(default=4000, gt=0)   # characters read from the start of a text
    kinds: tuple[DocumentKind, ...] = Field(min_length=1)   # in order of precedence when scores tie

    @model_validator(mode="after")
    def _consistent(self) -> "DocumentsFile":
        ids = [k.id for k in self.kinds]
        if len(set(ids)) != len(ids):
            raise ValueError("kind ids must be unique")
        if self.default not in ids:
            raise ValueError(f"default {self.default!r} is not a kind")
        return self


class Zone(Cited):
    """A place with its own foreign-investment treatment (pilot zone, pilot city, FTZ)."""

    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = ()
    within: tuple[str, ...] = ()  # ids of wider zones this one lies in (e.g. a pilot zone in a pilot city)
    valid_from: dt.date | None = None   # the day the zone was set up (None: before any cap that names it)
    valid_to: dt.date | None = None


class Cap(Cited):
    """Maximum foreign share for some codes/items, in some zones (or everywhere), over a date range."""

    id: str
    codes: tuple[str, ...] = Field(min_length=1)   # codes or item ids (B25.publish)
    zones: tuple[str, ...] = ()                     # empty: nationwide
    activities: tuple[str, ...] = ()                # non-empty: only for businesses doing one of these
    max_share: float = Field(ge=0, le=1)
    valid_from: dt.date
    valid_to: dt.date | None = None
    note: str | None = None


class ForeignInvestmentFile(Strict):
    zones: tuple[Zone, ...]
    caps: tuple[Cap, ...]


class Province(Strict):
    name: str
    aliases: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    outside_mainland: bool = False


class ProvincesFile(Cited):
    nationwide: tuple[str, ...]
    provinces: tuple[Province, ...] = Field(min_length=1)


# ---------------------------------------------------------------------------------------------------
# Requirements and obligations of each licence.


class AppliesTo(Strict):
    kinds: tuple[Literal["basic", "value_added", "regime"], ...] = ()
    codes: tuple[str, ...] = ()
    coverage: Literal["single_province", "multi_province"] | None = None


class Check(Strict):
    """How a condition is judged against the profile; exactly one form."""

    fact: Literal["registered_capital", "state_share", "dishonest_listed"] | None = None
    min: float | None = None
    equals: bool | None = None
    foreign_cap: bool | None = None

    @model_validator(mode="after")
    def _form(self) -> "Check":
        if self.foreign_cap:
            if self.fact is not None:
                raise ValueError("foreign_cap stands alone")
        elif self.fact is None or (self.min is None) == (self.equals is None):
            raise ValueError("a check is {fact, min}, {fact, equals} or {foreign_cap: true}")
        return self


class Requirement(Cited):
    id: str
    applies_to: AppliesTo = Field(default_factory=AppliesTo)
    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    basis: Literal["statutory", "practice"]
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    note: str | None = None


class Prerequisite(Requirement):
    """A condition for holding the licence, judged against the profile when it has a check."""

    check: Check | None = None


class Step(Requirement):
    order: int = Field(ge=1)
    duration: float | None = Field(default=None, ge=0)
    unit: Literal["working_days", "days", "months"] | None = None
    typical: bool = False


class Obligation(Requirement):
    when_zh: str | None = None
    when_en: str | None = None


class Penalty(Requirement):
    article: str | None = None
    amount_zh: str | None = None
    amount_en: str | None = None


class RequirementsFile(Strict):
    conditions: tuple[Prerequisite, ...] = ()
    materials: tuple[Requirement, ...] = ()
    steps: tuple[Step, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    penalties: tuple[Penalty, ...] = ()


class ClaimMessage(Strict):
    zh: str
    en: str


class ClaimsFile(Cited):
    window: int = Field(ge=1, le=200)
    code_token: str
    licence_number: str
    icp_licence_number: str
    messages: dict[Literal["code_name", "number_class", "coverage"], ClaimMessage]

    @model_validator(mode="after")
    def _patterns_compile(self) -> "ClaimsFile":
        for name in ("code_token", "licence_number", "icp_licence_number"):
            try:
                re.compile(getattr(self, name).replace("{provinces}", "[京]"))
            except re.error as exc:
                raise ValueError(f"{name}: bad regular expression: {exc}") from None
        return self
