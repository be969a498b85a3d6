"""The request bodies every network surface takes (HTTP and MCP), as typed models with described fields.

The fields are declared once, as annotated types, and used by the HTTP bodies and the MCP tools' parameters
alike. The profile and the answers are checked by the library (``build_profile``, ``parse_answer``), so
their errors carry the library's codes; ``bind`` gives the bodies the published schema of both, made
from ``knowledge/facts.yaml``, so a client learns every fact, what it means and its allowed values from
the schema rather than from errors.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from classifier.findings.contract import Part, Result
from classifier.findings.views import Detail, Lang
from classifier.knowledge.vocabulary import Vocabulary
from classifier.text.profile import answers_schema, profile_schema

MAX_BODY = int(os.environ.get("TLC_MAX_BODY", 1_000_000))
MAX_AUDIT_RECORDS = int(os.environ.get("TLC_MAX_AUDIT_RECORDS", 500))
Severity = Literal["prohibited", "basic_licence_required", "condition_unmet", "review"]

Text = Annotated[str | None, Field(
    max_length=MAX_BODY, description="The description to classify, as written (Chinese, traditional Chinese or "
                                     "English): a product page, a business scope, a question ... Give `text` or "
                                     "`profile`, not both.")]
ProfileBody = Annotated[dict[str, Any] | None, Field(
    description="A service described by the facts you know: `description` plus any known fact (coverage, "
                "cross_border, customers, foreign_share, location ...). The most precise input: fill it from what "
                "the user said; unknown fields are refused with the list of known ones.")]
Kind = Annotated[str | None, Field(
    max_length=40, description="What kind of text it is, when known: product_page, business_scope, licence_record, "
                               "footer, enforcement, news, legal_article, question, job_post, tender, readme, review "
                               "or vendor_page (default: read from the text; a profile is a self-description).")]
Answers = Annotated[dict[str, Any] | None, Field(
    description="Answers to the questions of an earlier result, keyed by each question's `field`; written as "
                "people answer (an offered option, 是/否, yes/no, 30%, 三成, 北京、上海, 全国). They win over the "
                "profile.")]
AsOf = Annotated[dt.date | None, Field(description="Answer for this date (YYYY-MM-DD); default today.")]
LangField = Annotated[Lang, Field(description="Languages of the text fields: zh, en or both.")]
DetailField = Annotated[Detail, Field(
    description="full: tlc.result/1 with evidence, citations and rules; brief: tlc.brief/1, codes with names and "
                "authority, red lines with one citation each, questions and status (a few hundred tokens).")]
WithRequirements = Annotated[bool, Field(
    description="Also judge, per licence, its conditions for this company, materials, steps and obligations "
                "(full detail only).")]
VerifyQuestions = Annotated[bool, Field(
    description="Ask only questions whose answer would change the result (checked by re-running); false is "
                "faster and returns every candidate question.")]
Trace = Annotated[bool, Field(description="Include the rules fired (full detail only).")]


class Body(BaseModel):
    """A request body: a key it does not declare is refused, naming the keys it knows."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            known = [name for name in cls.model_fields]
            unknown = [key for key in data if key not in known]
            if unknown:
                raise PydanticCustomError("extra_forbidden", "unknown field {unknown} (known: {known})",
                                          {"unknown": ", ".join(map(repr, unknown)), "known": ", ".join(known)})
        return data


class Subject(Body):
    """Either `text` or `profile`, not both; `kind` optionally says what kind of text it is."""

    text: Text = None
    profile: ProfileBody = None
    kind: Kind = None

    @model_validator(mode="after")
    def _one_subject(self):
        if (self.text is None) == (self.profile is None):
            raise ValueError("give exactly one of `text` or `profile`")
        return self

    @property
    def subject(self) -> str | dict[str, Any]:
        return self.text if self.text is not None else self.profile  # type: ignore[return-value]


class ClassifyRequest(Subject):
    """Classify a described service. The CLI's profile file (`{"description": …, "coverage": …}`) is accepted
    as the body too."""

    answers: Answers = None
    as_of: AsOf = None
    lang: LangField = "both"
    detail: DetailField = "full"
    requirements: WithRequirements = False
    verify_questions: VerifyQuestions = True
    trace: Trace = False

    @model_validator(mode="before")
    @classmethod
    def _bare_profile(cls, data: Any) -> Any:
        """The CLI's profile file as the body (``{"description": …, "coverage": …}``) is a profile request."""
        if isinstance(data, dict) and "description" in data and "text" not in data and "profile" not in data:
            keys = set(cls.model_fields)
            return {**{k: v for k, v in data.items() if k in keys},
                    "profile": {k: v for k, v in data.items() if k not in keys}}
        return data


class AuditRecord(Subject):
    id: str | None = Field(default=None, max_length=200, description="Your id for the record, echoed back.")


class AuditRequest(Body):
    """Classify up to TLC_MAX_AUDIT_RECORDS records in one request (a batch check)."""

    records: list[AuditRecord] = Field(min_length=1, max_length=MAX_AUDIT_RECORDS)
    as_of: AsOf = None
    fail_on: Severity = Field("basic_licence_required", description="`fails` is true when any record has a red "
                                                                     "line at or above this severity.")


class LookupTarget(Part):
    code: str = Field(description="Catalogue code.")
    item: str | None = Field(description="Licence item id, when the name is an item's.")
    name: str = Field(description="The name that matched (or the nearest name).")
    form: str = Field(description="What kind of name: official, 2003 wording, abbreviation, english ...")
    sources: list[str]


class LookupAnswer(Part):
    """The code for a licence or business name, or the nearest names when none matches."""

    query: str
    found: bool
    matches: list[LookupTarget]
    candidates: list[LookupTarget] = Field(description="Nearest names, when nothing matched.")
    coverage: Literal["multi_province", "provincial"] | None = Field(
        description="The coverage the name itself implies (跨地区 names are MIIT's), if any.")


class CatalogueLine(Part):
    code: str
    name_zh: str
    name_en: str
    kind: str
    licence_class: Literal["first", "second"] | None = Field(alias="class")
    parent: str | None
    depth: int
    confidence: str


class CatalogueEntry(BaseModel):
    """One catalogue entry (further keys of knowledge/catalogue/*.yaml may follow those described here)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    code: str
    name_zh: str = Field(description="Official name.")
    name_en: str
    kind: Literal["basic", "value_added", "regime"] = Field(description="basic (A), value_added (B), regime.")
    licence_class: Literal["first", "second"] | None = Field(alias="class")
    parent: str | None
    definition_zh: str = Field(description="The catalogue's definition.")
    definition_en: str
    confidence: str = Field(description="official, secondary or unverified.")
    path: list[str] = Field(description="Ancestors, root first.")
    children: list[str]
    relations: list[dict[str, Any]] = Field(description="escalates_to, confused_with, commonly_with, each with when, "
                                                        "notes and sources.")
    sources: list[dict[str, Any]] = Field(description="The sources, resolved.")


class Health(Part):
    status: Literal["ok"]
    version: str
    knowledge: dict[str, int] = Field(description="How many entries of each kind the knowledge base holds.")


class AuditLine(Result):
    """One record's result: tlc.result/1 (without the trace) with the record's id and place."""

    id: str
    line: int = Field(description="The record's index in the request, from 1.")
    trace: list[Any] = Field(default=[], description="Always empty in an audit.")


class AuditSummary(Part):
    read: int
    classified: int
    skipped: int
    with_red_lines: int
    codes: dict[str, int] = Field(description="How many records need each code.")
    red_lines: dict[str, int] = Field(description="How many records cross each red line.")
    fails: bool = Field(description="Some record has a red line at or above `fail_on`.")


class AuditSkip(Part):
    id: str
    index: int
    reason: str


class AuditAnswer(Part):
    """tlc.audit/1."""

    schema_: Literal["tlc.audit/1"] = Field(alias="schema")
    summary: AuditSummary
    results: list[AuditLine]
    skipped: list[AuditSkip]


@functools.lru_cache(maxsize=4)
def bind(vocabulary: Vocabulary) -> dict[str, type[BaseModel]]:
    """The bodies with the published schema of the profile and the answers of this knowledge base (what is
    checked stays the library's: ``build_profile`` refuses with its own codes)."""
    profile = Annotated[dict[str, Any] | None, WithJsonSchema({"anyOf": [profile_schema(vocabulary), {"type": "null"}]})]
    answers = Annotated[dict[str, Any] | None, WithJsonSchema({"anyOf": [answers_schema(vocabulary), {"type": "null"}]})]
    overrides = {"profile": (profile, Field(None, description=ProfileBody.__metadata__[0].description)),
                 "answers": (answers, Field(None, description=Answers.__metadata__[0].description))}

    def typed(base: type[BaseModel], only: tuple[str, ...]) -> type[BaseModel]:
        fields = {name: overrides[name] for name in only}
        model = type(base.__name__, (base,), {"__annotations__": {n: f[0] for n, f in fields.items()},
                                              **{n: f[1] for n, f in fields.items()},
                                              "__doc__": base.__doc__, "__module__": base.__module__})
        return model

    record = typed(AuditRecord, ("profile",))
    audit = type("AuditRequest", (AuditRequest,), {"__annotations__": {"records": list[record]},
                                                    "records": Field(min_length=1, max_length=MAX_AUDIT_RECORDS),
                                                    "__doc__": AuditRequest.__doc__, "__module__": __name__})
    return {"classify": typed(ClassifyRequest, ("profile", "answers")), "audit_record": record, "audit": audit}
