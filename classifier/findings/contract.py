"""The published contract: ``tlc.result/1`` and ``tlc.brief/1`` as typed pydantic models.

``Result.to_dict()`` and ``views.brief()`` build the JSON; these models describe it, field by field, for
the people and programs that read it. ``tlc schema`` prints their JSON Schema, the OpenAPI document
and the MCP tools' output schemas are made from them, and a test validates every case's output against
the schema (every model refuses keys it does not declare, so a key added to the JSON without a
description here fails that test).

Fields in two languages (``*_zh`` / ``*_en``) are not required: ``lang: zh`` or ``en`` leaves the other
language out. Everything else is always present.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from classifier.findings.result import SCHEMA, SEVERITIES, STATUSES

BRIEF_SCHEMA = "tlc.brief/1"
Severity = Literal[SEVERITIES]  # type: ignore[valid-type]
Status = Literal[STATUSES]      # type: ignore[valid-type]
Authority = Literal["MIIT", "provincial"]
Confidence = Literal["official", "secondary", "unverified"]
AnswerType = Literal["provinces", "yes_no", "one_of", "some_of", "share", "number", "text", "licences"]


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def zh(description: str) -> Any:
    """A Chinese text field: present unless ``lang`` is ``en``."""
    return Field(default=None, description=f"{description} (Chinese; left out when lang is en)",
                 json_schema_extra=_without_default)


def en(description: str) -> Any:
    """An English text field: present unless ``lang`` is ``zh``."""
    return Field(default=None, description=f"{description} (English; left out when lang is zh)",
                 json_schema_extra=_without_default)


class Part(BaseModel):
    """A part of a published answer: keys it does not declare are refused."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Span(Part):
    start: int | None = Field(description="Where the words start in the text, in Unicode code points (Python's "
                                           "string index); null when they come from the profile.")
    end: int | None = Field(description="Where they end (exclusive), in code points.")
    start_utf16: int | None = Field(description="`start` in UTF-16 code units (JavaScript's string index): "
                                                "differs from `start` after an emoji or other character beyond U+FFFF.")
    end_utf16: int | None = Field(description="`end` in UTF-16 code units.")


class Evidence(Span):
    """Words that support a finding: a span of the text, or a fact the profile stated."""

    text: str = Field(description="The words, as they stand in the text (or `fact: value` from the profile).")
    source: Literal["text", "profile"] = Field(description="`text`: a span of the text; `profile`: a stated fact.")


class Citation(Part):
    """A legal or official source the finding rests on (knowledge/sources.yaml)."""

    id: str = Field(description="Source id, e.g. P1 (the 电信条例), L42 (许可管理办法), N32 (MIIT notice 32/2017).")
    title: str = Field(description="The source's title.")
    url: str | None = Field(description="Where to read it, when it is online.")


class LicenceItem(Part):
    id: str = Field(description="Licence item id within the business.")
    name_zh: str = zh("Item name")
    name_en: str = en("Item name")


class Business(Part):
    """A business of the catalogue the subject operates, and the licence it needs."""

    code: str = Field(description="Catalogue code (2015 catalogue as amended 2019): B11 IDC, B12 CDN, B13 VPN, "
                                  "B14 ISP, B25 information services (ICP), A14-4 international data ...")
    name_zh: str = zh("Official name of the business")
    name_en: str = en("Name of the business")
    kind: Literal["basic", "value_added", "regime", "category"] = Field(
        description="basic (A: only basic operators), value_added (B), regime (a licensing regime outside the "
                    "catalogue), category (a class named bare)")
    licence_class: Literal["first", "second"] | None = Field(alias="class", description="First or second class.")
    authority: Authority | None = Field(description="Who grants the licence: MIIT (two or more provinces, or always "
                                                    "for some codes) or the provincial communications administration; "
                                                    "null when it depends on coverage (see questions).")
    items: list[LicenceItem] = Field(description="Licence items (sub-kinds) found.")
    evidence: list[Evidence] = Field(description="Words that triggered the finding.")
    rules: list[str] = Field(description="Ids of the rules that concluded it (`tlc classify --why` explains them).")
    confidence: Confidence = Field(description="The catalogue's mark for the code: unverified codes are flagged.")
    citations: list[Citation] = Field(description="Sources for the business and its rules.")


class RedLine(Part):
    """Something the service may not do as described, or not without a licence it cannot easily get."""

    id: str = Field(description="Red-line id, e.g. cross_border_connectivity, consumer_circumvention, "
                                "bandwidth_resale, foreign_cap_exceeded, coverage_exceeds_licence.")
    severity: Severity = Field(description="prohibited (cannot be licensed), basic_licence_required (only basic "
                                           "operators), condition_unmet, review.")
    requires: list[str] = Field(description="Codes of the licences the conduct would require.")
    codes: list[str] = Field(description="Codes of the businesses it concerns.")
    message_zh: str = zh("What is wrong and why")
    message_en: str = en("What is wrong and why")
    evidence: list[Evidence]
    citations: list[Citation] = Field(description="Sources: the law, notice or rule that draws the line.")
    rules: list[str] = Field(description="Ids of the rules that concluded it.")
    unverified_codes: list[str] = Field(description="Codes it names whose catalogue entry is unverified.")


class Question(Part):
    """A fact still unknown whose answer would change a code, an authority, a requirement or a red line.
    Answer it by re-running with `answers: {<field>: <answer>}`."""

    fact: str = Field(description="The fact asked for (knowledge/facts.yaml); an answer may be keyed by it.")
    field: str = Field(description="The profile field the answer fills (coverage for coverage_scope); the usual key.")
    question_zh: str = zh("The question")
    question_en: str = en("The question")
    answer_type: AnswerType = Field(description="How to answer: provinces (names, 全国/nationwide, or an offered "
                                                "scope), yes_no, one_of / some_of (the options), share (0-1 or 30%), "
                                                "number, text, licences.")
    options: list[str] = Field(description="Answers offered; any of them is accepted as it stands, or by its "
                                           "number in this list (1-based).")
    accepted: str = Field(description="The forms an answer may take, in one line.")
    codes: list[str] = Field(description="The businesses whose answer it changes.")


class Requirement(Part):
    """One entry of what a licence takes (knowledge/requirements/*.yaml), cited and dated."""

    id: str
    label_zh: str = zh("What it is")
    label_en: str = en("What it is")
    basis: Literal["statutory", "practice"] = Field(description="statutory (law or regulation) or practice "
                                                                "(what licensing offices ask for).")
    sources: list[str] = Field(description="Source ids.")
    valid_from: str | None = Field(default=None, description="In force from (YYYY-MM-DD), when dated.")
    valid_to: str | None = Field(default=None, description="In force until (exclusive), when dated.")
    note: str | None = None


class Condition(Requirement):
    status: Literal["met", "not_met", "unknown"] = Field(description="Judged against the facts given.")
    detail_zh: str = zh("Why")
    detail_en: str = en("Why")
    needs: str | None = Field(description="The fact that would settle an unknown condition.")


class Step(Requirement):
    order: int
    duration: float | None = None
    unit: Literal["working_days", "days", "months"] | None = None
    typical: bool = Field(description="A typical duration in practice rather than a statutory limit.")


class Obligation(Requirement):
    when_zh: str | None = zh("When it applies")
    when_en: str | None = en("When it applies")


class Penalty(Requirement):
    article: str | None = None
    amount_zh: str | None = zh("The penalty")
    amount_en: str | None = en("The penalty")


class LicenceRequirements(Part):
    """What one licence takes and obliges, judged for this company (with `requirements: true`)."""

    code: str
    coverage_scope: Literal["single_province", "multi_province"] | None
    as_of: str
    conditions: list[Condition]
    materials: list[Requirement]
    steps: list[Step]
    obligations: list[Obligation]
    penalties: list[Penalty]


class Claim(Part):
    """A licence claim in the text that does not hold (a code beside the wrong business, a licence number
    of the wrong class, a provincial number for a multi-province service)."""

    kind: Literal["claim_mismatch"]
    check: Literal["code_name", "number_class", "coverage"]
    claimed: str = Field(description="What the text claims.")
    actual: str | None = Field(description="What holds instead, when known.")
    message_zh: str = zh("Why the claim does not hold")
    message_en: str = en("Why the claim does not hold")
    evidence: list[Evidence]


class Mention(Span):
    """A service the text names that its subject does not operate."""

    role: str = Field(description="What the service is to the subject: discussed, asked, recruits, procures, "
                                  "documents, makes, uses, required, negated, self_use, partner, vendor.")
    text: str
    signal: str = Field(description="Lexicon concept that matched.")
    code: str | None
    service: str | None
    confidence: Confidence | None


class InputKind(Part):
    """What kind of text was classified, and how that was decided."""

    id: str = Field(description="product_page, business_scope, licence_record, footer, enforcement, news, "
                                "legal_article, question, job_post, tender, readme, review, vendor_page.")
    label_zh: str = zh("Kind of text")
    label_en: str = en("Kind of text")
    how: Literal["detected", "stated", "profile"] = Field(description="detected from cue words, stated by the "
                                                                      "caller, or profile (a self-description).")
    evidence: list[Evidence] = Field(description="The cue words.")


class TraceEntry(Part):
    rule: str
    stage: str
    matched: list[dict[str, Any]]
    concluded: list[dict[str, Any]]


class ResultInput(Part):
    """What was classified: the text, or the profile as understood (with the answers merged in)."""

    text: str | None = Field(default=None, description="The text given.")
    profile: dict[str, Any] | None = Field(default=None, description="The profile, answers merged.")


Tone = Literal["stop", "caution", "licence", "clear", "unknown"]


class VerdictLicence(Part):
    code: str
    name_zh: str = zh("Name of the business")
    name_en: str = en("Name of the business")
    authority_zh: str | None = zh("Who grants it; null: it depends on the coverage (see questions)")
    authority_en: str | None = en("Who grants it; null: it depends on the coverage (see questions)")
    unverified: bool = Field(description="The catalogue marks this code unverified.")


class VerdictRedLine(Part):
    id: str
    title_zh: str = zh("The red line's title")
    title_en: str = en("The red line's title")
    severity: Severity
    severity_zh: str = zh("Severity, in words")
    severity_en: str = en("Severity, in words")


class VerdictMention(Part):
    code: str
    role_zh: str = zh("What the text does with the service (reports, recruits for, asks about ...)")
    role_en: str = en("What the text does with the service (reports, recruits for, asks about ...)")


class Verdict(Part):
    """What the result means for the person who asked, in two sentences per language: licences and who
    grants them, red lines first, open questions. `unknown` (could not tell) never reads as "no licence needed"."""

    tone: Tone = Field(description="stop (a red line to fix first), caution (a condition unmet), licence (licences "
                                   "needed), clear (none needed), unknown (could not tell).")
    headline_zh: str = zh("One-line verdict")
    headline_en: str = en("One-line verdict")
    sentences_zh: list[str] = zh("Two sentences: what is needed or wrong, and what to do next")
    sentences_en: list[str] = en("Two sentences: what is needed or wrong, and what to do next")
    licences: list[VerdictLicence]
    red_lines: list[VerdictRedLine] = Field(description="Red lines by title, the most severe first.")
    questions: int = Field(description="How many open questions could change the verdict.")
    mentioned: list[VerdictMention] = Field(description="Services the text only mentions (not counted).")


class Result(Part):
    """tlc.result/1: which licences a described service needs and which red lines it crosses, with evidence
    and citations. `status` first: `unrecognised` means could not tell, never "no licence needed"."""

    schema_: Literal["tlc.result/1"] = Field(alias="schema", description="This contract's name and version.")
    input: ResultInput
    as_of: str = Field(description="The date the answer is for (YYYY-MM-DD).")
    status: Status = Field(description="findings (a business or red line found), clear (the subject's own conduct "
                                       "needs no telecom licence), unrecognised (could not tell: no service the "
                                       "subject operates was read; not a clean bill).")
    verdict: Verdict | None = Field(description="What the result means, first: null only for a result built "
                                                "outside classify (a question check).")
    input_kind: InputKind | None
    businesses: list[Business]
    red_lines: list[RedLine]
    questions: list[Question] = Field(description="Only questions whose answer would change the result.")
    requirements: list[LicenceRequirements] = Field(description="Per business, with `requirements: true`; else empty.")
    claims: list[Claim]
    mentions: list[Mention] = Field(description="Services named but not operated by the subject.")
    trace: list[TraceEntry] = Field(description="Rules fired, with `trace: true`; else empty.")


assert SCHEMA == "tlc.result/1"


class BriefBusiness(Part):
    code: str
    name_zh: str = zh("Name of the business")
    name_en: str = en("Name of the business")
    authority: Authority | None = Field(description="MIIT or provincial; null: depends on coverage (see questions).")
    unverified: bool = Field(default=False, description="The catalogue marks this code unverified (only when true).",
                             json_schema_extra=_without_default)


class BriefRedLine(Part):
    id: str
    severity: Severity
    message_zh: str = zh("What is wrong and why")
    message_en: str = en("What is wrong and why")
    requires: list[str] = Field(default=[], description="Licences the conduct would require (only when any).",
                                json_schema_extra=_without_default)
    citation: Citation | None = Field(description="The first source it rests on (the full result lists them all).")


class BriefQuestion(Part):
    field: str = Field(description="The key to answer under, in `answers`.")
    question_zh: str = zh("The question")
    question_en: str = en("The question")
    answer_type: AnswerType
    options: list[str] = Field(default=[], description="Answers offered (only when any).",
                               json_schema_extra=_without_default)


class Brief(Part):
    """tlc.brief/1, for agents (`detail: brief`): status, codes with names and authority, red lines with one
    citation each, and the questions still open. A few hundred tokens; the full result has the evidence."""

    schema_: Literal["tlc.brief/1"] = Field(alias="schema")
    status: Status = Field(description="findings, clear, or unrecognised (could not tell; not a clean bill).")
    as_of: str
    kind: str | None = Field(description="The kind of text it was read as (null for a profile).")
    codes: list[BriefBusiness]
    red_lines: list[BriefRedLine]
    questions: list[BriefQuestion]


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a published model, by its wire names."""
    schema = model.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
