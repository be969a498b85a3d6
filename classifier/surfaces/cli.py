"""The ``tlc`` command line.

Every user-caused failure is a ``TlcError``: one line on stderr, exit code 2, no traceback.
Set ``TLC_DEBUG=1`` to see the traceback of an unexpected failure.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from classifier.errors import TlcError


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


class _Context:
    def __init__(self, knowledge: Path | None):
        self.knowledge = knowledge

    def catalogue(self):
        from classifier.knowledge.loader import load_catalogue

        return load_catalogue(self.knowledge)

    def names(self):
        from classifier.knowledge.loader import load_name_index

        return load_name_index(self.knowledge)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--knowledge",
    type=click.Path(path_type=Path),
    default=None,
    envvar="TLC_KNOWLEDGE",
    help="Knowledge directory to use instead of the shipped one.",
)
@click.version_option(package_name="tlc-classifier")
@click.pass_context
def cli(ctx: click.Context, knowledge: Path | None) -> None:
    """Which PRC telecom licences does a service need? 判定电信业务分类与所需许可。"""
    ctx.obj = _Context(knowledge)


@cli.command()
@click.option("--cases", multiple=True, type=click.Path(exists=True), metavar="PATH",
              help="Case files or directories: also report the rules no case exercises.")
@click.pass_obj
def validate(obj: _Context, cases: tuple[str, ...]) -> None:
    """Check every knowledge file against its schema and against each other.

    With --cases (YAML files or directories of cases), also run them and list the rules that no case
    exercises; exit 1 if there are any.
    """
    from classifier.knowledge.loader import default_root, inspect_knowledge

    kb, problems = inspect_knowledge(obj.knowledge or default_root())
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(problems)} problem(s) found", err=True)
        sys.exit(2)
    assert kb is not None
    counts = ", ".join(f"{n} {what}" for what, n in kb.counts().items())
    click.echo(f"knowledge base OK: {counts}")
    if cases:
        from pathlib import Path

        from classifier.pipeline import get_classifier
        from classifier.surfaces.coverage import rule_coverage, unexercised

        classifier = get_classifier(obj.knowledge)
        count, fired = rule_coverage(classifier, [Path(c) for c in cases])
        missing = unexercised(classifier, fired)
        total = sum(len(r) for r in kb.rules.values())
        click.echo(f"rule coverage: {total - len(missing)}/{total} rules exercised by {count} cases")
        for rule_id in missing:
            click.echo(f"  not exercised: {rule_id} ({kb.rule_files.get(rule_id, '?')})")
        if missing:
            sys.exit(1)


@cli.group()
def catalogue() -> None:
    """Browse the catalogue: tree, show, lookup, graph."""


@catalogue.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def tree(obj: _Context, as_json: bool) -> None:
    """Print the catalogue tree."""
    from classifier.surfaces.catalogue_view import render_tree

    cat = obj.catalogue()
    if as_json:
        _emit_json([{"code": e.code, "depth": d, "name_zh": e.name_zh, "name_en": e.name_en}
                    for d, e in cat.walk()])
    else:
        click.echo(render_tree(cat))


@catalogue.command()
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show(obj: _Context, code: str, as_json: bool) -> None:
    """Show one entry bilingually, with its sources and relations."""
    from classifier.surfaces.catalogue_view import entry_dict, render_entry

    cat = obj.catalogue()
    if as_json:
        _emit_json(entry_dict(cat, code))
    else:
        click.echo(render_entry(cat, code))


@catalogue.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def lookup(obj: _Context, name: str, as_json: bool) -> None:
    """The code for a licence or business name (official, 2003 wording, abbreviation, English)."""
    from classifier.surfaces.catalogue_view import lookup_dict, render_lookup

    result = obj.names().lookup(name)
    if as_json:
        _emit_json(lookup_dict(result))
    else:
        click.echo(render_lookup(obj.catalogue(), result))
    if not result.found:
        sys.exit(1)


@catalogue.command()
@click.option("--format", "fmt", type=click.Choice(["dot", "svg"]), default="dot", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Write to this file instead of stdout.")
@click.pass_obj
def graph(obj: _Context, fmt: str, output: Path | None) -> None:
    """Draw the catalogue graph (hierarchy and typed relations).

    Needs the [graph] extra: pip install 'tlc-classifier[graph]'.
    """
    from classifier.surfaces.drawing import to_dot, to_svg

    cat = obj.catalogue()
    text = to_dot(cat) if fmt == "dot" else to_svg(cat)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


def _read_subject(text: str | None, file: Path | None, max_chars: int):
    """The thing to classify: TEXT, '-' (stdin: text, or a JSON/YAML profile), or -f FILE (a profile)."""
    from classifier.errors import FileProblem, InputError, InvalidText
    from classifier.text.profile import decode_bytes, parse_profile_document

    if file is not None and text is not None:
        raise InputError("give either TEXT or -f FILE, not both", code="invalid_arguments")
    if file is not None:
        try:
            raw = file.read_bytes() if str(file) != "-" else sys.stdin.buffer.read(max_chars * 4 + 1)
        except FileNotFoundError:
            raise FileProblem(f"cannot read {file}: no such file", code="file_not_found") from None
        except OSError as exc:
            raise FileProblem(f"cannot read {file}: {exc.strerror}", code="file_unreadable") from None
        if len(raw) > max_chars * 4:
            raise InvalidText(f"{file} is over {max_chars * 4:,} bytes; the limit is {max_chars:,} characters",
                              code="text_too_long")
        return parse_profile_document(decode_bytes(raw, source=str(file)), source=str(file))
    if text is None:
        raise InputError("nothing to classify: give TEXT, '-' for stdin, or -f PROFILE", code="invalid_arguments")
    if text == "-":
        raw = sys.stdin.buffer.read(max_chars * 4 + 1)
        if len(raw) > max_chars * 4:
            raise InvalidText(f"stdin is over the limit of {max_chars:,} characters", code="text_too_long")
        data = decode_bytes(raw, source="stdin")
        stripped = data.lstrip()
        if stripped.startswith("{"):
            return parse_profile_document(data, source="stdin")
        return data
    return text


@cli.command()
@click.argument("text", required=False)
@click.option("-f", "--file", "file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="A profile (YAML or JSON) to classify; '-' reads it from stdin.")
@click.option("--json", "as_json", is_flag=True, help="Print the tlc.result/1 JSON.")
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both", show_default=True)
@click.option("--as-of", "as_of", default=None, help="Answer for this date (YYYY-MM-DD); default today.")
@click.option("--trace/--no-trace", default=False, help="With --json: include the fired rules (default off).")
@click.option("--max-chars", type=click.IntRange(1), default=1_000_000, show_default=True,
              help="Refuse longer descriptions.")
@click.option("--report", "report", type=click.Choice(["md", "html", "pdf"]), default=None,
              help="Write a full report: the verdict, then per licence the conditions judged, materials, steps, "
                   "obligations, and every source (pdf: printed by Chromium, needs -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --report: write to this file instead of stdout.")
@click.option("--why", is_flag=True, help="Show the rules behind each business and red line.")
@click.option("--kind", default=None, metavar="KIND",
              help="What kind of text this is (product_page, business_scope, news, question, job_post, tender ...); "
                   "default: read from the text.")
@click.option("--time-limit", type=click.FloatRange(0), default=None,
              help="Seconds a classification may take (default TLC_TIME_LIMIT, else 30; 0: no limit).")
@click.option("--detail", type=click.Choice(["full", "brief"]), default="full", show_default=True,
              help="With --json: full (tlc.result/1) or brief (tlc.brief/1: codes, red lines, questions, status).")
@click.option("--requirements", "with_requirements", is_flag=True,
              help="With --json: also judge each licence's conditions, materials, steps and obligations.")
@click.pass_obj
def classify(obj: _Context, text: str | None, file: Path | None, as_json: bool, lang: str, as_of: str | None,
             trace: bool, max_chars: int, report: str | None, output: Path | None, why: bool, kind: str | None,
             time_limit: float | None, detail: str, with_requirements: bool) -> None:
    """Which licences a described service needs, and which red lines it crosses.

    TEXT is a description (zh/en); '-' reads text or a JSON profile from stdin; -f reads a profile.
    --json prints what HTTP's POST /v1/classify answers for the same options (--lang, --detail,
    --requirements, --trace).
    """
    from classifier.pipeline import classify as run_classify
    from classifier.findings.result import render_text
    from classifier.findings.views import view

    subject = _read_subject(text, file, max_chars)
    result = run_classify(subject, as_of=as_of, knowledge=obj.knowledge, max_chars=max_chars,
                          requirements=bool(report) or (as_json and with_requirements and detail == "full"), kind=kind,
                          time_limit=time_limit)
    if report:
        _write_document(obj, result, report, output)
    elif as_json:
        _emit_json(view(result, detail, lang, trace))
    else:
        click.echo(render_text(result, lang, obj.catalogue().rules_by_id if why else None))


@cli.command()
@click.argument("text")
@click.option("--kind", default=None, metavar="KIND",
              help="What kind of text this is (product_page, business_scope, news, question, job_post, tender ...); "
                   "default: read from the text.")
@click.pass_obj
def signals(obj: _Context, text: str, kind: str | None) -> None:
    """Show what kind of text TEXT reads as (and why), and what the lexicon finds in it: each term, its
    signal, its scope (for lexicon editors)."""
    from classifier.pipeline import get_classifier

    classifier = get_classifier(obj.knowledge)
    detected = classifier.kinds.stated(kind) if kind else classifier.kinds.detect(text)
    if detected is not None:
        cues = ", ".join(repr(e.text) for e in detected.evidence) or "no cue"
        click.echo(f"kind: {detected.id} ({detected.how}; {cues})")
    mentions = classifier.lexicon.extract(text, detected.spec if detected else None)
    if not mentions:
        click.echo("no signals")
    for m in mentions:
        extra = f" -> {m.code}" + (f" [{m.item}]" if m.item else "") if m.code else ""
        click.echo(f"{m.start:>5}-{m.end:<5} {m.text!r:<24} {m.signal:<22} {m.scope}{extra}")


def _write_document(obj: _Context, result, kind: str, output: Path | None) -> None:
    """The report as Markdown, HTML or PDF (the HTML printed by Chromium), to ``output`` or stdout."""
    from classifier.errors import FileProblem, InputError
    from classifier.surfaces.documents import render_html, render_markdown

    if kind == "pdf" and output is None:
        raise InputError("--report pdf writes a file: give -o FILE.pdf", code="invalid_arguments")
    text = (render_markdown if kind == "md" else render_html)(result, obj.catalogue())
    if output is None:
        click.echo(text)
        return
    try:
        if kind == "pdf":
            from classifier.surfaces.pdf import html_to_pdf

            output.write_bytes(html_to_pdf(text))
        else:
            output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FileProblem(f"cannot write {output}: {exc.strerror}", code="invalid_output") from None
    click.echo(f"wrote {output}", err=True)


@cli.command()
@click.argument("code")
@click.option("--coverage", default=None, help="Provinces, comma-separated (北京,上海), or 'nationwide'.")
@click.option("--foreign-share", type=click.FloatRange(0, 1), default=None, help="Foreign share, 0 to 1.")
@click.option("--location", default=None, help="Where the company is registered (city or pilot zone).")
@click.option("--registered-capital", type=click.FloatRange(0), default=None, help="Registered capital in RMB.")
@click.option("--state-share", type=click.FloatRange(0, 1), default=None, help="State-owned share, 0 to 1.")
@click.option("--as-of", "as_of", default=None, help="Answer for this date (YYYY-MM-DD); default today.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--report", "report", type=click.Choice(["md", "html", "pdf"]), default=None,
              help="Write a document (pdf needs -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.pass_obj
def requirements(obj: _Context, code: str, coverage: str | None, foreign_share: float | None, location: str | None,
                 registered_capital: float | None, state_share: float | None, as_of: str | None, as_json: bool,
                 report: str | None, output: Path | None) -> None:
    """What the licence for CODE takes and obliges, judged for the company described by the options."""
    from classifier.pipeline import get_classifier
    from classifier.text.profile import as_of_date

    classifier = get_classifier(obj.knowledge)
    catalogue = classifier.catalogue
    entry = catalogue.entry(code)
    day = as_of_date(as_of)
    found = classifier.requirements(entry.code, coverage=coverage, as_of=day, foreign_share=foreign_share,
                                    location=location, registered_capital=registered_capital, state_share=state_share)
    scope = found.coverage_scope
    if as_json:
        _emit_json(found.to_dict())
        return
    result = _single_licence_result(catalogue, entry, classifier.authority_for(entry.code, scope, day), found, day)
    if report:
        _write_document(obj, result, report, output)
    else:
        from classifier.surfaces.documents import render_markdown

        click.echo(render_markdown(result, catalogue))


def _single_licence_result(catalogue, entry, authority, found, day):
    """A Result holding one licence, so `tlc requirements` shares the report templates."""
    from classifier.findings.build import citations
    from classifier.findings.result import Business, Result

    business = Business(entry.code, entry.name_zh, entry.name_en, entry.kind, entry.class_, authority, (), (), (),
                        entry.confidence, citations(catalogue, entry.sources))
    return Result(input={"text": f"{entry.code} {entry.name_zh}"}, as_of=day.isoformat(), businesses=(business,),
                  red_lines=(), questions=(), requirements=(found,), status="findings")


@cli.command()
@click.argument("text", required=False)
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both", show_default=True)
@click.option("--as-of", "as_of", default=None, help="Answer for this date (YYYY-MM-DD); default today.")
@click.option("--report", "report", type=click.Choice(["md", "html", "text"]), default="text", show_default=True)
@click.option("--kind", default=None, metavar="KIND",
              help="What kind of text this is (product_page, business_scope, news, question, job_post, tender ...); "
                   "default: read from the text.")
@click.pass_obj
def interview(obj: _Context, text: str | None, lang: str, as_of: str | None, report: str, kind: str | None) -> None:
    """Ask the questions that would change the answer, one by one, then print the full report.

    Works at a terminal and when piped: answers are read a line each from stdin.
    """
    from classifier.pipeline import classify as run_classify
    from classifier.surfaces.interview import run_interview

    def classify_with(answers):
        return run_classify(description, as_of=as_of, answers=answers or None, knowledge=obj.knowledge,
                            requirements=True, kind=kind)

    description = text if text is not None else click.prompt("描述您的业务 / Describe the service", type=str)
    result = run_interview(classify_with, obj.catalogue(), lang, _ask, tell=lambda m: click.echo(m, err=True))
    if report == "text":
        from classifier.findings.result import render_text

        click.echo(render_text(result, lang))
    else:
        _write_document(obj, result, report, None)


def _ask(prompt: str, choices: tuple[str, ...] | None) -> str | None:
    """One question at the terminal (or one line of piped input); empty or end of input skips it."""
    click.echo(prompt, err=True)
    if choices:
        for number, choice in enumerate(choices, 1):
            click.echo(f"  {number}) {choice}", err=True)
    line = sys.stdin.readline()
    if not line:
        return None
    return line.strip() or None


@cli.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "tsv", "jsonl", "yaml", "txt", "parquet"]), default=None,
              help="Input format (default: from each file's extension; plain text otherwise). "
                   "--engine spark reads csv, tsv, jsonl and parquet.")
@click.option("--text-column", default="text", show_default=True, help="CSV/TSV column (or JSONL key) with the text.")
@click.option("--id-column", default="id", show_default=True, help="CSV/TSV column (or JSONL key) with the record id.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(path_type=Path),
              help="Write results: .jsonl (one tlc.result per record), .csv (summary), .html (report). Repeatable. "
                   "--engine spark writes .parquet and .jsonl datasets (directories) and .html.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default 1; with --engine spark and no --master: local[WORKERS]).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="local: worker processes on this machine; spark: Apache Spark (the spark extra), "
                   "for registries, with .parquet/.jsonl/.html outputs.")
@click.option("--master", default=None,
              help="With --engine spark: the Spark master (local[N], yarn, spark://..., k8s://...); "
                   "default local[*], or what spark-submit says.")
@click.option("--report-rows", type=click.IntRange(0), default=1000, show_default=True,
              help="With --engine spark: records in the HTML table (all when they fit, else the worst first).")
@click.option("--fail-on", type=click.Choice(["prohibited", "basic_licence_required", "condition_unmet", "review"]),
              default="basic_licence_required", show_default=True,
              help="Exit 1 when any record has a red line at or above this severity.")
@click.option("--strict", is_flag=True, help="A malformed record is fatal (exit 2) instead of skipped.")
@click.option("--as-of", "as_of", default=None, help="Answer for this date (YYYY-MM-DD); default today.")
@click.option("--kind", default=None, metavar="KIND",
              help="What kind of text every record is (business_scope for a registry extract ...); default: read "
                   "from each text, or a JSONL record's own 'kind'.")
@click.option("--time-limit", type=click.FloatRange(0), default=None,
              help="Seconds a classification may take (default TLC_TIME_LIMIT, else 30; 0: no limit).")
@click.option("--lang", type=click.Choice(["zh", "en", "both"]), default="both", show_default=True,
              help="Language of the HTML report's messages.")
@click.pass_obj
def audit(obj: _Context, files: tuple[str, ...], fmt: str | None, text_column: str, id_column: str,
          outputs: tuple[Path, ...], workers: int | None, engine: str, master: str | None, report_rows: int,
          fail_on: str, strict: bool, as_of: str | None, kind: str | None, time_limit: float | None, lang: str) -> None:
    """Classify every record of FILES ('-' for stdin) and report those that cross a red line.

    Exit 0 when clean, 1 when a record has a red line at or above --fail-on, 2 on bad input.
    FILES may be paths, globs or URIs (hdfs://, s3a://) with --engine spark.
    """
    from classifier.errors import InputError

    if obj.knowledge is not None:
        import os

        os.environ["TLC_KNOWLEDGE"] = str(obj.knowledge)  # worker processes read it
    if engine == "spark":
        from classifier.surfaces.spark.audit import run_spark_audit

        summary, failed = run_spark_audit(files, fmt=fmt, text_column=text_column, id_column=id_column,
                                          outputs=outputs, master=master, workers=workers, fail_on=fail_on,
                                          strict=strict, as_of=as_of, catalogue=obj.catalogue(), kind=kind,
                                          time_limit=time_limit, knowledge=obj.knowledge, report_rows=report_rows,
                                          lang=lang)
    else:
        from classifier.surfaces.audit.run import run_audit

        if master is not None:
            raise InputError("--master goes with --engine spark", code="invalid_arguments")
        if fmt == "parquet" or (fmt is None and any(Path(f).suffix.lower() in (".parquet", ".pq") for f in files)):
            raise InputError("Parquet is read with --engine spark", code="invalid_arguments")
        summary, failed = run_audit(files, fmt=fmt, text_column=text_column, id_column=id_column, outputs=outputs,
                                    workers=workers or 1, fail_on=fail_on, strict=strict, as_of=as_of,
                                    catalogue=obj.catalogue(), kind=kind, time_limit=time_limit, lang=lang)
    click.echo(summary.line(), err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free port.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--time-limit", type=click.FloatRange(0), default=10.0, show_default=True,
              help="Seconds one request may take (0: no limit); past it the answer is 503 time_limit.")
@click.option("--cors-origin", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages of ORIGIN call the API from a browser (repeatable; '*' for any). Also "
                   "TLC_CORS_ORIGINS, comma-separated.")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="One line per request on stderr: client, method, path, status, milliseconds.")
@click.pass_obj
def serve(obj: _Context, host: str, port: int, workers: int, time_limit: float, cors: tuple[str, ...],
          access_log: bool) -> None:
    """Serve the HTTP API, the MCP tools (/mcp) and the web page (docs at /docs, OpenAPI at /openapi.json).

    With TLC_API_KEY set in the environment, the API and /mcp need that key ('Authorization: Bearer KEY'
    or 'X-API-Key: KEY'). SIGTERM stops accepting new requests and lets those in flight finish (each
    within its time limit). Needs the [server] extra: pip install 'tlc-classifier[server]'."""
    import importlib.metadata
    import os
    import signal

    from classifier.surfaces.extras import require

    _, uvicorn = require("server", "tlc serve", "fastapi", "uvicorn")
    from uvicorn.supervisors import Multiprocess

    if obj.knowledge is not None:
        os.environ["TLC_KNOWLEDGE"] = str(obj.knowledge)
    os.environ["TLC_TIME_LIMIT"] = str(time_limit)   # the workers read these
    os.environ["TLC_HOST"] = host
    if cors:
        os.environ["TLC_CORS_ORIGINS"] = ",".join(cors)
    os.environ["TLC_ACCESS_LOG"] = "1" if access_log else "0"
    obj.catalogue()  # a broken knowledge base fails here, with one line, not in every worker
    from classifier.surfaces.http import configure_logging

    configure_logging()
    config = uvicorn.Config("classifier.surfaces.http:app_factory", factory=True, host=host, port=port,
                            workers=workers, log_level="warning", access_log=False, log_config=None,
                            timeout_graceful_shutdown=int(time_limit) + 5 if time_limit else None)
    sock = config.bind_socket()
    sock.listen(config.backlog)   # from here connections wait in the queue until a worker takes them
    bound_host, bound_port = sock.getsockname()[:2]
    url = f"http://{'[' + bound_host + ']' if ':' in bound_host else bound_host}:{bound_port}"
    guarded = ", API key required" if os.environ.get("TLC_API_KEY") else ""
    click.echo(f"tlc {importlib.metadata.version('tlc-classifier')} listening on {url} "
               f"({workers} worker{'s' if workers > 1 else ''}{guarded}): API {url}/v1, MCP {url}/mcp, "
               f"docs {url}/docs, page {url}/", err=True)
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then raises the signal again for the previous
    # handler; these handlers take it, so a requested stop after a clean shutdown exits 0.
    stopped: list[int] = []
    for each in (signal.SIGTERM, signal.SIGINT):
        signal.signal(each, lambda number, frame: stopped.append(number))
    if workers > 1:
        Multiprocess(config, sockets=[sock]).run()
    else:
        uvicorn.Server(config).run(sockets=[sock])


@cli.command()
@click.argument("what", type=click.Choice(["result", "brief", "profile", "answers", "request"]), default="result")
@click.pass_obj
def schema(obj: _Context, what: str) -> None:
    """Print a published JSON Schema: result (tlc.result/1, the default), brief (tlc.brief/1), profile (every
    fact a profile may state, what it means, its allowed values), answers, or request (POST /v1/classify)."""
    from classifier.findings.contract import Brief, Result, json_schema
    from classifier.pipeline import get_classifier
    from classifier.text.profile import answers_schema, profile_schema

    if what in ("result", "brief"):
        _emit_json(json_schema(Result if what == "result" else Brief))
        return
    vocabulary = get_classifier(obj.knowledge).vocabulary
    if what == "profile":
        _emit_json(profile_schema(vocabulary))
    elif what == "answers":
        _emit_json(answers_schema(vocabulary))
    else:
        from classifier.surfaces.bodies import bind

        _emit_json(json_schema(bind(vocabulary)["classify"]))


@cli.command()
@click.pass_obj
def mcp(obj: _Context) -> None:
    """Serve the MCP tools (classify, follow_up, requirements, catalogue_lookup, catalogue_show) over
    stdin/stdout, for an agent host that starts `tlc mcp` itself. Logs go to stderr."""
    from classifier.surfaces.mcp_server import run_stdio

    import logging

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)   # stdout carries the protocol
    obj.catalogue()  # a broken knowledge base fails here, with one line
    run_stdio(str(obj.knowledge) if obj.knowledge else None)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user-caused errors into one line and exit code 2."""
    try:
        cli.main(args=argv, prog_name="tlc", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("tlc: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except TlcError as exc:
        click.echo(f"tlc: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a defect of the tool, not of the input
        if os.environ.get("TLC_DEBUG"):
            raise
        click.echo(f"tlc: internal error: {type(exc).__name__}: {exc} (set TLC_DEBUG=1 for details)", err=True)
        sys.exit(70)
    sys.exit(0)
