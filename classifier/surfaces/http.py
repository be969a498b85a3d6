"""The HTTP API (FastAPI): classification, batch audit, catalogue and lookup, plus the web page.

Needs the ``[server]`` extra (fastapi, uvicorn); without it, importing this module raises MissingExtraError.

Stateless: every worker builds the same engine at start-up, so any worker answers any request.
Bodies over the limit get 413, invalid input 422 with a readable message, unknown codes 404; input
never produces a 500. Responses use the tlc.result/1 contract.
"""
import contextlib
import hmac
import importlib.metadata
import logging
import os
import sys
import time
from pathlib import Path

from classifier.budget import Deadline, budget_seconds
from classifier.errors import TimeLimitExceeded, TlcError, UnknownCodeError
from classifier.surfaces.extras import require

require("server", "the HTTP API (tlc serve)", "fastapi")  # the [server] extra; one clear error without it

from fastapi import FastAPI, Query, Request  # noqa: E402
from fastapi.exceptions import RequestValidationError  # noqa: E402
from fastapi.middleware.cors import CORSMiddleware  # noqa: E402
from fastapi.responses import HTMLResponse, JSONResponse  # noqa: E402
from starlette.exceptions import HTTPException as StarletteHTTPException  # noqa: E402
from pydantic import BaseModel  # noqa: E402

from classifier.surfaces.bodies import MAX_BODY  # noqa: E402

class ErrorResponse(BaseModel):
    """Every error: one readable sentence, and a stable machine-readable code (invalid_text, unknown_fact,
    invalid_answer, invalid_date, unknown_kind, unknown_code, body_too_large, time_limit ...)."""

    detail: str
    code: str


ERRORS = {status: {"model": ErrorResponse} for status in (401, 404, 413, 422, 503)}


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


class ApiKey:
    """ASGI middleware: with a key set (``TLC_API_KEY``), the API and /mcp need it, as ``Authorization: Bearer
    KEY`` or ``X-API-Key: KEY``; the page, /healthz and the API documents stay open. 401 otherwise."""

    OPEN = ("/", "/healthz", "/docs", "/openapi.json", "/docs/oauth2-redirect")

    def __init__(self, app, key: str):
        self.app, self.key = app, key.encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in self.OPEN or scope["method"] == "OPTIONS":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-api-key") or headers.get(b"authorization", b"").removeprefix(b"Bearer ").strip()
        if not hmac.compare_digest(given, self.key):
            return await _error(401, "an API key is required: send it as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
                                "unauthorized", headers={"WWW-Authenticate": "Bearer"})(scope, receive, send)
        return await self.app(scope, receive, send)


ACCESS = logging.getLogger("tlc.access")


class AccessLog:
    """ASGI middleware: one line per request on the ``tlc.access`` logger (stderr under `tlc serve`):
    client, method, path, status, milliseconds."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [500]

        async def noted(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noted)
        finally:
            client = (scope.get("client") or ("-",))[0]
            ACCESS.info('%s "%s %s" %d %.1fms', client, scope["method"], scope["path"], status[0],
                        (time.perf_counter() - started) * 1000)


class _McpEndpoint:
    """/mcp: the MCP tools over streamable HTTP (stateless, JSON answers), as an ASGI endpoint. The SDK's
    session manager runs once per application lifespan, so each lifespan gets a new one."""

    def __init__(self, knowledge: str | None):
        from classifier.surfaces.mcp_server import create_server

        self.server = create_server(knowledge)
        self.host = os.environ.get("TLC_HOST", "127.0.0.1")
        self.manager = None

    @contextlib.asynccontextmanager
    async def running(self):
        from mcp.server.transport_security import TransportSecuritySettings

        # DNS-rebinding protection on loopback (the SDK's default there); elsewhere the API key guards it
        loopback = self.host in ("127.0.0.1", "localhost", "::1")
        security = None if loopback else TransportSecuritySettings(enable_dns_rebinding_protection=False)
        self.server.streamable_http_app(stateless_http=True, json_response=True, host=self.host,
                                        transport_security=security, max_request_body_size=MAX_BODY)
        self.manager = self.server.session_manager
        async with self.manager.run():
            yield
        self.manager = None

    async def __call__(self, scope, receive, send):
        if self.manager is None:
            return await _error(503, "the MCP endpoint is not running (no application lifespan)",
                                "not_running")(scope, receive, send)
        await self.manager.handle_request(scope, receive, send)


def cors_origins() -> list[str]:
    """The origins allowed to call the API from a browser (``TLC_CORS_ORIGINS``, comma-separated; ``*``: any)."""
    return [o.strip() for o in os.environ.get("TLC_CORS_ORIGINS", "").split(",") if o.strip()]


def create_app(knowledge: str | Path | None = None, *, mcp: bool = True) -> FastAPI:
    """The application; the knowledge base and engine are built here, once per worker. With ``mcp`` the
    MCP tools are served at /mcp (streamable HTTP, stateless, so any worker answers)."""
    __version__ = importlib.metadata.version("tlc-classifier")
    from classifier.findings.contract import Brief, Result
    from classifier.findings.views import view
    from classifier.knowledge.loader import load_name_index
    from classifier.pipeline import get_classifier
    from classifier.surfaces.bodies import AuditAnswer, CatalogueEntry, CatalogueLine, Health, LookupAnswer, bind
    from classifier.surfaces.catalogue_view import entry_dict, lookup_dict

    knowledge = knowledge or os.environ.get("TLC_KNOWLEDGE")
    classifier = get_classifier(knowledge)
    time_limit = budget_seconds()   # each request's budget: TLC_TIME_LIMIT (tlc serve --time-limit)
    catalogue = classifier.catalogue
    bodies = bind(classifier.vocabulary)
    ClassifyRequest, AuditRequest = bodies["classify"], bodies["audit"]
    names = load_name_index(Path(knowledge) if knowledge else None)
    tools = _McpEndpoint(str(knowledge) if knowledge else None) if mcp else None

    @contextlib.asynccontextmanager
    async def lifespan(app):
        if tools is None:
            yield
            return
        async with tools.running():
            yield

    app = FastAPI(title="tlc — telecom licence classifier", version=__version__, lifespan=lifespan,
                  description="Which PRC telecom licences a service needs, and which red lines it crosses. "
                              "Answers follow the tlc.result/1 contract (or tlc.brief/1 with `detail: brief`); "
                              "errors are {detail, code}. The MCP tools are at /mcp.")

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

    @app.get("/healthz", responses=ERRORS, response_model=Health)
    def healthz():
        return JSONResponse({"status": "ok", "version": __version__, "knowledge": catalogue.kb.counts()})

    @app.post("/v1/classify", responses=ERRORS, response_model=Result | Brief)
    def classify(request: ClassifyRequest):
        """Classify a text or a profile: tlc.result/1 (`detail: full`, the default) or tlc.brief/1 (`brief`).
        Answer the result's `questions` by sending the same subject again with `answers`."""
        result = classifier.classify(request.subject, request.as_of, request.answers,
                                     requirements=request.requirements and request.detail == "full",
                                     verify_questions=request.verify_questions, kind=request.kind,
                                     time_limit=time_limit or 0)
        return JSONResponse(view(result, request.detail, request.lang, request.trace))

    @app.post("/v1/audit", responses=ERRORS, response_model=AuditAnswer)
    def audit(request: AuditRequest):
        """Classify up to TLC_MAX_AUDIT_RECORDS records; `summary.fails` when any crosses `fail_on`."""
        from classifier.surfaces.audit.records import AuditTally, Digest, Record, classify_record, result_line

        tally, results, skipped = AuditTally(request.fail_on), [], []
        deadline = Deadline(time_limit)   # the whole request shares one budget
        for index, item in enumerate(request.records, 1):
            deadline.check(f"record {index} of {len(request.records)}")
            record = Record("request", index, item.id or str(index), item.subject, kind=item.kind)
            _, result, problem = classify_record(record, request.as_of, classifier, time_limit=deadline.left() or 0)
            if not tally.take(record, Digest.of(result) if result is not None else None, problem):
                skipped.append({"id": record.id, "index": index, "reason": problem})
                continue
            line = result_line(record, result)
            line.pop("source", None)
            results.append(line)
        summary = tally.summary
        return JSONResponse({"schema": "tlc.audit/1", "summary": {"read": summary.read, "classified": summary.classified,
                             "skipped": summary.skipped, "with_red_lines": summary.with_red_lines, "codes": summary.codes,
                             "red_lines": summary.red_lines, "fails": tally.failed}, "results": results,
                             "skipped": skipped})

    @app.get("/v1/catalogue", responses=ERRORS, response_model=list[CatalogueLine])
    def catalogue_index():
        return JSONResponse([{"code": e.code, "name_zh": e.name_zh, "name_en": e.name_en, "kind": e.kind,
                              "class": e.class_, "parent": e.parent, "depth": depth, "confidence": e.confidence}
                             for depth, e in catalogue.walk()])

    @app.get("/v1/catalogue/{code}", responses=ERRORS, response_model=CatalogueEntry)
    def catalogue_entry(code: str):
        return JSONResponse(entry_dict(catalogue, code))

    @app.get("/v1/lookup", responses=ERRORS, response_model=LookupAnswer)
    def lookup(name: str = Query(..., min_length=1, max_length=200)):
        return JSONResponse(lookup_dict(names.lookup(name)))

    index = web_page(catalogue)

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return index

    if tools is not None:
        app.router.add_route("/mcp", tools, methods=["GET", "POST", "DELETE"], include_in_schema=False)
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    key = os.environ.get("TLC_API_KEY", "")
    if key:
        app.add_middleware(ApiKey, key=key)
    origins = cors_origins()
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
                           allow_headers=["content-type", "authorization", "x-api-key", "mcp-session-id",
                                          "mcp-protocol-version", "last-event-id"],
                           expose_headers=["mcp-session-id", "retry-after"], max_age=600)
    app.add_middleware(AccessLog)
    return app


def configure_logging() -> None:
    """Under `tlc serve` (in each worker process too): warnings to stderr, and with ``TLC_ACCESS_LOG=1`` the
    access log's line per request, set up before any library sets up logging its own way."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s",
                        stream=sys.stderr)
    ACCESS.setLevel(logging.INFO if os.environ.get("TLC_ACCESS_LOG") == "1" else logging.WARNING)


def app_factory():
    """Entry for `uvicorn --factory classifier.surfaces.http:app_factory` (what `tlc serve` runs)."""
    configure_logging()
    return create_app()
