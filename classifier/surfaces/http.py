"""The HTTP API (FastAPI): classification, batch audit, catalogue and lookup, plus the web page.

Needs the ``[server]`` extra (fastapi, uvicorn); without it, importing this module raises MissingExtraError.

Stateless: every worker builds the same engine at start-up, so any worker answers any request.
Bodies over the limit get 413, invalid input 422 with a readable message, unknown codes 404; input
never produces a 500. Responses use the tlc.result/1 contract.
"""
from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
from pathlib import Path
from typing import Any, Literal

from classifier.budget import Deadline, budget_seconds
from classifier.errors import TimeLimitExceeded, TlcError, UnknownCodeError
from classifier.surfaces.extras import require

require("server", "the HTTP API (tlc serve)", "fastapi")  # the [server] extra; one clear error without it

from fastapi import FastAPI, Query, Request  # noqa: E402
from fastapi.exceptions import RequestValidationError  # noqa: E402
from fastapi.responses import HTMLResponse, JSONResponse  # noqa: E402
from starlette.exceptions import HTTPException as StarletteHTTPException  # noqa: E402
from pydantic import BaseModel, ConfigDict, Field, model_validator  # noqa: E402

MAX_BODY = int(os.environ.get("TLC_MAX_BODY", 1_000_000))
MAX_AUDIT_RECORDS = int(os.environ.get("TLC_MAX_AUDIT_RECORDS", 500))
SEVERITY = Literal["prohibited", "basic_licence_required", "condition_unmet", "review"]


class _TextOrProfile(BaseModel):
    """Either `text` or `profile` (a mapping with `description` and any known facts), not both; `kind`
    optionally says what kind of text it is (default: read from the text; a profile is a self-description)."""

    model_config = ConfigDict(extra="forbid")
    text: str | None = Field(default=None, max_length=MAX_BODY)
    profile: dict[str, Any] | None = None
    kind: str | None = Field(default=None, max_length=40,
                             description="product_page, business_scope, licence_record, footer, enforcement, news, "
                                         "legal_article, question, job_post, tender, readme, review or vendor_page")

    @model_validator(mode="after")
    def _one_subject(self):
        if (self.text is None) == (self.profile is None):
            raise ValueError("give exactly one of `text` or `profile`")
        return self


REQUEST_KEYS = ("text", "profile", "kind", "answers", "as_of", "lang", "requirements", "verify_questions", "trace")


class ClassifyRequest(_TextOrProfile):
    answers: dict[str, Any] | None = None
    as_of: dt.date | None = None
    lang: Literal["zh", "en", "both"] = "both"
    requirements: bool = False
    verify_questions: bool = True
    trace: bool = False

    @model_validator(mode="before")
    @classmethod
    def _bare_profile(cls, data: Any) -> Any:
        """The CLI's profile file as the body (``{"description": …, "coverage": …}``) is a profile request."""
        if isinstance(data, dict) and "description" in data and "text" not in data and "profile" not in data:
            return {**{k: v for k, v in data.items() if k in REQUEST_KEYS},
                    "profile": {k: v for k, v in data.items() if k not in REQUEST_KEYS}}
        return data


class ErrorResponse(BaseModel):
    """Every error: one readable sentence, and a stable machine-readable code (invalid_text, unknown_fact,
    invalid_answer, invalid_date, unknown_kind, unknown_code, body_too_large, time_limit ...)."""

    detail: str
    code: str


ERRORS = {status: {"model": ErrorResponse} for status in (404, 413, 422, 503)}


class AuditRecord(_TextOrProfile):
    id: str | None = Field(default=None, max_length=200)


class AuditRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    records: list[AuditRecord] = Field(min_length=1, max_length=MAX_AUDIT_RECORDS)
    as_of: dt.date | None = None
    fail_on: SEVERITY = "basic_licence_required"


def _error(status: int, message: str, code: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": message, "code": code}, headers=headers)


class BodyLimit:
    """ASGI middleware: refuse bodies over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await _error(413, f"request body over {self.limit} bytes", "body_too_large")(scope, receive, send)
        seen, too_large, started = 0, False, False

        async def limited():
            nonlocal seen, too_large
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                too_large = True
                raise _TooLarge()
            return message

        async def guarded(message):
            # FastAPI turns an error raised while reading the body into its own 400; once the body
            # has run over the limit, that answer is replaced by the 413 the size deserves.
            nonlocal started
            if too_large:
                return
            started = True
            await send(message)

        try:
            await self.app(scope, limited, guarded)
        except _TooLarge:
            pass
        if too_large and not started:
            await _error(413, f"request body over {self.limit} bytes", "body_too_large")(scope, receive, send)


class _TooLarge(Exception):
    pass


SOURCES_SLOT = "/*TLC_SOURCES*/{}"


def web_page(catalogue) -> str:
    """The web page with the sources it may cite built in (title, issuer, date, link), so it shows a red
    line's sources without another request and without anything from outside."""
    import json

    from classifier.findings.sources import readable

    sources = {i: readable(s).to_dict() for i, s in catalogue.kb.sources.items()}
    page = (Path(__file__).parent / "templates" / "index.html").read_text(encoding="utf-8")
    assert SOURCES_SLOT in page, "index.html has lost its sources slot"
    return page.replace(SOURCES_SLOT, json.dumps(sources, ensure_ascii=False).replace("</", "<\\/"))


def create_app(knowledge: str | Path | None = None) -> FastAPI:
    """The application; the knowledge base and engine are built here, once per worker."""
    __version__ = importlib.metadata.version("tlc-classifier")
    from classifier.surfaces.catalogue_view import entry_dict, lookup_dict
    from classifier.findings.verdict import verdict_of
    from classifier.pipeline import get_classifier

    knowledge = knowledge or os.environ.get("TLC_KNOWLEDGE")
    classifier = get_classifier(knowledge)
    time_limit = budget_seconds()   # each request's budget: TLC_TIME_LIMIT (tlc serve --time-limit)
    catalogue = classifier.catalogue
    from classifier.knowledge.loader import load_name_index

    names = load_name_index(Path(knowledge) if knowledge else None)
    app = FastAPI(title="tlc — telecom licence classifier", version=__version__,
                  description="Which PRC telecom licences a service needs, and which red lines it crosses. "
                              "Responses follow the tlc.result/1 contract.")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        parts = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
        unknown = any(err.get("type") == "extra_forbidden" for err in exc.errors())
        return _error(422, "; ".join(parts) or "invalid request", "unknown_field" if unknown else "invalid_request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400:  # a body FastAPI could not parse is invalid input, like any other
            return _error(422, f"malformed request body: {exc.detail}", "malformed_body")
        return _error(exc.status_code, str(exc.detail), "not_found" if exc.status_code == 404 else "http_error",
                      headers=getattr(exc, "headers", None))

    @app.exception_handler(UnknownCodeError)
    async def _unknown(request: Request, exc: UnknownCodeError):
        return _error(404, str(exc), exc.code)

    @app.exception_handler(TimeLimitExceeded)
    async def _slow(request: Request, exc: TimeLimitExceeded):
        return _error(503, str(exc), exc.code, headers={"Retry-After": "1"})

    @app.exception_handler(TlcError)
    async def _tlc(request: Request, exc: TlcError):
        return _error(422, str(exc), exc.code)

    @app.get("/healthz", responses=ERRORS)
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "knowledge": catalogue.kb.counts()}

    @app.post("/v1/classify", responses=ERRORS)
    def classify(request: ClassifyRequest) -> dict[str, Any]:
        subject = request.text if request.text is not None else request.profile
        result = classifier.classify(subject, request.as_of, request.answers, requirements=request.requirements,
                                     verify_questions=request.verify_questions, kind=request.kind,
                                     time_limit=time_limit or 0)
        data = result.to_dict()
        if not request.trace:
            data["trace"] = []
        data["verdict"] = verdict_of(result, catalogue).to_dict()
        return data

    @app.post("/v1/audit", responses=ERRORS)
    def audit(request: AuditRequest) -> dict[str, Any]:
        from classifier.surfaces.audit.records import AuditTally, Record, classify_record, result_line

        tally, results, skipped = AuditTally(request.fail_on), [], []
        deadline = Deadline(time_limit)   # the whole request shares one budget
        for index, item in enumerate(request.records, 1):
            deadline.check(f"record {index} of {len(request.records)}")
            record = Record("request", index, item.id or str(index), item.text if item.text is not None else item.profile,
                            kind=item.kind)
            _, result, problem = classify_record(record, request.as_of, classifier, time_limit=deadline.left() or 0)
            if tally.take(record, result, problem) is None:
                skipped.append({"id": record.id, "index": index, "reason": problem})
                continue
            line = result_line(record, result)
            line.pop("source", None)
            results.append(line)
        summary = tally.summary
        return {"schema": "tlc.audit/1", "summary": {"read": summary.read, "classified": summary.classified,
                "skipped": summary.skipped, "with_red_lines": summary.with_red_lines, "codes": summary.codes,
                "red_lines": summary.red_lines, "fails": tally.failed}, "results": results, "skipped": skipped}

    @app.get("/v1/catalogue", responses=ERRORS)
    def catalogue_index() -> list[dict[str, Any]]:
        return [{"code": e.code, "name_zh": e.name_zh, "name_en": e.name_en, "kind": e.kind, "class": e.class_,
                 "parent": e.parent, "depth": depth, "confidence": e.confidence} for depth, e in catalogue.walk()]

    @app.get("/v1/catalogue/{code}", responses=ERRORS)
    def catalogue_entry(code: str) -> dict[str, Any]:
        return entry_dict(catalogue, code)

    @app.get("/v1/lookup", responses=ERRORS)
    def lookup(name: str = Query(..., min_length=1, max_length=200)) -> dict[str, Any]:
        return lookup_dict(names.lookup(name))

    index = web_page(catalogue)

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return index

    app.add_middleware(BodyLimit, limit=MAX_BODY)
    return app


def app_factory():
    """Entry for `uvicorn --factory classifier.surfaces.http:app_factory` (what `tlc serve` runs)."""
    return create_app()
