"""The MCP server: tlc's tools for LLM agents, over stdio (`tlc mcp`) and streamable HTTP (`tlc serve`, /mcp).

Built on the official SDK (``mcp``): it speaks the protocol, publishes each tool's input and output
schema from the type hints, and validates arguments, so this module is only the tools. They are the
same library calls as the CLI and HTTP (``classify``, ``parse_answer``, ``requirements``, the name
index), answer with the published models (classifier/findings/contract.py) and refuse bad input with
the library's error codes: ``{"detail", "code"}`` as the text of an error result.

The precise path for an agent: fill a ``profile`` from what the user said (its schema lists every fact,
what it means and its allowed values), classify it, ask the user the questions that come back, and pass
the replies to ``follow_up`` until no question is left.
"""
import json
from typing import Annotated, Any

from classifier.errors import InputError, InvalidAnswer, TlcError
from classifier.surfaces.extras import require

require("server", "the MCP tools (tlc mcp, /mcp)", "mcp")  # the [server] extra; one clear error without it

from mcp.server import MCPServer  # noqa: E402
from mcp.types import CallToolResult, TextContent, ToolAnnotations  # noqa: E402
from pydantic import BaseModel, ConfigDict, Field, model_validator  # noqa: E402
from pydantic_core import PydanticCustomError  # noqa: E402

from classifier.findings.contract import Brief, LicenceRequirements, Result  # noqa: E402
from classifier.findings.views import view  # noqa: E402
from classifier.surfaces.bodies import (Answers, AsOf, CatalogueEntry, DetailField, Kind, LangField,  # noqa: E402
                                        LookupAnswer, ProfileBody, Text, WithRequirements)
from classifier.text.answers import answer_target, parse_answer  # noqa: E402
from classifier.text.profile import answers_schema, profile_schema  # noqa: E402

INSTRUCTIONS = """tlc tells which licences of MIIT's telecom services catalogue (2015, amended 2019) a described
service needs (codes like B11 IDC, B12 CDN, B13 VPN, B14 ISP, B25 ICP, A14-4) and which red lines it crosses,
with citations. A rule-based reference answer, not legal advice.
Most precise path: fill `profile` (description plus the facts the user stated: coverage, cross_border,
customers, foreign_share, location ...; see the tool's input schema for each fact's meaning and allowed values),
call `classify`, ask the user the `questions` it returns, then call `follow_up` with their replies until
`done`. status `unrecognised` means could not tell, never "no licence needed"."""


class ToolAnswer(Brief):
    """tlc.brief/1 (status, codes with names and authority, red lines with one citation each, open questions);
    with `detail: full`, also the whole tlc.result/1 under `result` (evidence, all citations, rules)."""

    result: Result | None = Field(default=None, description="The full tlc.result/1, with `detail: full`.")


class ReadReply(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str = Field(description="The profile field the reply answers.")
    reply: Any = Field(description="The reply as given.")
    value: Any = Field(description="What it was read as (the value now in `answers`).")


class FollowUpAnswer(ToolAnswer):
    """The result after the replies, the answers so far as read (pass them back as `answers` next time),
    and whether any question is left."""

    answers: dict[str, Any] = Field(description="Every answer so far, as read: pass it back unchanged as `answers`.")
    read: list[ReadReply] = Field(description="How each reply of this step was read.")
    done: bool = Field(description="True when no question is left: the result is final for what is known.")


class RequirementsAnswer(LicenceRequirements):
    name_zh: str = Field(description="Name of the business")
    name_en: str = Field(description="Name of the business")
    authority: str | None = Field(description="MIIT or provincial at this coverage; null when coverage is unknown.")


def _refusal(exc: TlcError) -> CallToolResult:
    """A bad input as an MCP error result the model can read and correct: ``{"detail", "code"}``."""
    body = {"detail": str(exc), "code": exc.code}
    return CallToolResult(content=[TextContent(type="text", text=json.dumps(body, ensure_ascii=False))],
                          structured_content=body, is_error=True)


def _structured(data: dict[str, Any]) -> CallToolResult:
    """An answer as the JSON it is: the SDK would dump it through the output model, which writes the fields
    ``lang`` leaves out as nulls; it still checks it against the output schema."""
    return CallToolResult(content=[TextContent(type="text", text=json.dumps(data, ensure_ascii=False))],
                          structured_content=data)


def _answer(result, detail: str, lang: str, **extra: Any) -> CallToolResult:
    data = view(result, "brief", lang)
    data["result"] = view(result, "full", lang) if detail == "full" else None
    return _structured({**data, **extra})


def create_server(knowledge: str | None = None) -> MCPServer:
    """The MCP server with tlc's tools; the knowledge base and engine are built here, once."""
    from classifier.knowledge.loader import load_name_index
    from classifier.pipeline import get_classifier
    from classifier.surfaces.catalogue_view import entry_dict, lookup_dict

    classifier = get_classifier(knowledge)
    vocabulary = classifier.vocabulary
    names = load_name_index(knowledge)
    # WARNING: the SDK sets up root logging (basicConfig) at this level when the host program has not
    server = MCPServer("tlc", instructions=INSTRUCTIONS, version=_version(), log_level="WARNING")
    # no `from __future__ import annotations` here: the SDK reads these local types from the signatures
    ProfileParam = Annotated[ProfileBody, Field(json_schema_extra=lambda s: s.update(anyOf=[profile_schema(vocabulary),
                                                                                           {"type": "null"}]))]
    AnswersParam = Annotated[Answers, Field(json_schema_extra=lambda s: s.update(anyOf=[answers_schema(vocabulary),
                                                                                   {"type": "null"}]))]
    read_only = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

    @server.tool(annotations=read_only)
    def classify(text: Text = None, profile: ProfileParam = None, kind: Kind = None, answers: AnswersParam = None,
                 as_of: AsOf = None, lang: LangField = "both", detail: DetailField = "brief",
                 requirements: WithRequirements = False) -> ToolAnswer:
        """Which telecom licences a described service needs and which red lines it crosses. Give `text` (a
        description as written) or, more precisely, `profile` (description plus the facts the user stated).
        Returns status, codes with names and authority, red lines with a citation, and `questions` whose
        answers would change the result: ask the user, then call `follow_up` with the replies."""
        try:
            result = classifier.classify(_subject(text, profile), as_of, answers, kind=kind,
                                         requirements=requirements and detail == "full")
        except TlcError as exc:
            return _refusal(exc)
        return _answer(result, detail, lang)

    @server.tool(annotations=read_only)
    def follow_up(replies: Annotated[dict[str, Any], Field(
                      description="The user's replies to the questions, keyed by each question's `field`, in their own "
                                  "words: an offered option, 是/否, yes/no, 30%, 三成, 北京、上海, 全国 ...")],
                  text: Text = None, profile: ProfileParam = None, kind: Kind = None, answers: AnswersParam = None,
                  as_of: AsOf = None, lang: LangField = "both", detail: DetailField = "brief") -> FollowUpAnswer:
        """One step of the follow-up dialogue: the same `text` or `profile` as before, the `answers` returned by
        the previous step (none the first time) and the user's new `replies`. Each reply is read by tlc's
        answer parser (a reply it cannot read is refused, naming the accepted forms); returns the new result,
        the answers so far (pass them back next time) and `done` when no question is left."""
        try:
            merged, read = dict(answers or {}), []
            for key, reply in replies.items():
                field, spec = answer_target(vocabulary, key)
                if spec is None:
                    raise InvalidAnswer(f"replies: unknown fact {key!r} (answer the questions' fields: "
                                        f"{', '.join(vocabulary.profile_fields())})", code="unknown_fact")
                value = parse_answer(spec, reply)
                merged[field] = value
                read.append({"field": field, "reply": reply, "value": value})
            result = classifier.classify(_subject(text, profile), as_of, merged, kind=kind)
        except TlcError as exc:
            return _refusal(exc)
        return _answer(result, detail, lang, answers=merged, read=read, done=not result.questions)

    @server.tool(annotations=read_only)
    def requirements(code: Annotated[str, Field(min_length=1, max_length=40, description="Catalogue code, e.g. B13.")],
                     coverage: Annotated[list[str] | str | None, Field(
                         description="Provinces (北京, 上海 ...), 'nationwide', or single_province / multi_province.")] = None,
                     foreign_share: Annotated[float | None, Field(ge=0, le=1, description="Foreign-owned share, 0-1.")] = None,
                     location: Annotated[str | None, Field(max_length=200, description="Where the company is "
                                                           "registered (city, pilot zone or FTZ area).")] = None,
                     registered_capital: Annotated[float | None, Field(ge=0, description="Registered capital, RMB.")] = None,
                     state_share: Annotated[float | None, Field(ge=0, le=1, description="State-owned share, 0-1.")] = None,
                     dishonest_listed: Annotated[bool | None, Field(description="On the telecom dishonesty list.")] = None,
                     as_of: AsOf = None) -> RequirementsAnswer:
        """What the licence for one catalogue code takes and obliges, judged for this company: conditions (met,
        not_met, unknown, with the fact that would settle it), materials, steps with statutory limits and
        typical durations, obligations after grant and penalties; each statutory or practice, dated and cited."""
        try:
            found = classifier.requirements(code, coverage=coverage, as_of=as_of, foreign_share=foreign_share,
                                            location=location, registered_capital=registered_capital,
                                            state_share=state_share, dishonest_listed=dishonest_listed)
        except TlcError as exc:
            return _refusal(exc)
        entry = classifier.catalogue.entry(found.code)
        authority = classifier.authority_for(found.code, found.coverage_scope, found.as_of)
        return _structured({**found.to_dict(), "name_zh": entry.name_zh, "name_en": entry.name_en, "authority": authority})

    @server.tool(annotations=read_only)
    def catalogue_lookup(name: Annotated[str, Field(min_length=1, max_length=200, description=(
            "A licence or business name: official (2015), 2003 wording, an abbreviation (ISP, IDC, CDN, VPN, ICP) "
            "or English."))]) -> LookupAnswer:
        """The catalogue code for a licence or business name, or the nearest names when none matches."""
        try:
            return _structured(lookup_dict(names.lookup(name)))
        except TlcError as exc:
            return _refusal(exc)

    @server.tool(annotations=read_only)
    def catalogue_show(code: Annotated[str, Field(min_length=1, max_length=40, description="Catalogue code, e.g. "
                                                                                          "B13 or A14-4.")]) -> CatalogueEntry:
        """One catalogue entry: names, definition, class, licence items, place in the tree, relations (escalates
        to, confused with, commonly held with) and sources."""
        try:
            return _structured(entry_dict(classifier.catalogue, code))
        except TlcError as exc:
            return _refusal(exc)

    _refuse_unknown_arguments(server)
    return server


def _subject(text: str | None, profile: dict[str, Any] | None) -> str | dict[str, Any]:
    if (text is None) == (profile is None):
        raise InputError("give exactly one of `text` or `profile`", code="invalid_request")
    return text if text is not None else profile  # type: ignore[return-value]


def _refuse_unknown_arguments(server: MCPServer) -> None:
    """Make every tool refuse an argument it does not declare, naming those it knows (the SDK ignores them,
    which would let a misspelt fact pass silently), and publish ``additionalProperties: false``."""
    for tool in server._tool_manager.list_tools():  # the SDK keeps each tool's argument model here
        base = tool.fn_metadata.arg_model
        known = [f.alias or name for name, f in base.model_fields.items()]

        def check(cls, data: Any, known=known) -> Any:
            unknown = [key for key in data if key not in known] if isinstance(data, dict) else []
            if unknown:
                raise PydanticCustomError("extra_forbidden", "unknown argument {unknown} (known: {known})",
                                          {"unknown": ", ".join(map(repr, unknown)), "known": ", ".join(known)})
            return data

        strict = type(base.__name__, (base,), {"model_config": ConfigDict(**base.model_config, extra="forbid"),
                                               "_known": model_validator(mode="before")(classmethod(check)),
                                               "__module__": __name__})
        tool.fn_metadata.arg_model = strict
        tool.parameters = strict.model_json_schema(by_alias=True)


def _version() -> str:
    import importlib.metadata

    return importlib.metadata.version("tlc-classifier")


def run_stdio(knowledge: str | None = None) -> None:
    """Serve the tools over stdin/stdout until the client closes them (`tlc mcp`)."""
    create_server(knowledge).run("stdio")
