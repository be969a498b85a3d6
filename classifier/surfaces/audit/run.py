"""Run a batch audit: stream records through classify (optionally in worker processes) into outputs.

Work is handed to the pool in bounded chunks, so a million-line input never sits in memory; outputs
are written as results arrive (the HTML report streams its rows to a temporary file and is assembled
at the end, when the totals are known).

An audit never loses a record silently nor destroys a file it did not make. An output that is also an
input is refused. Every output is written to a temporary file beside it and renamed into place at the
end. When a run stops early (a fatal input error, Ctrl-C, a crash) after records were read, the outputs
are still put in place but marked partial — a trailer line in JSONL and CSV, a banner in the HTML —
with the count and the last record read; when it stops before reading any record, existing files are
left as they were.
"""
from __future__ import annotations

import csv
import itertools
import json
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Iterator

from classifier.surfaces.audit.records import (AuditTally, Digest, ReadProgress, Record, Skipped, Summary, classify_record,
                                               iter_inputs, result_line, summary_row)
from classifier.knowledge.catalogue import Catalogue
from classifier.errors import FileProblem

CHUNK = 256
CSV_FIELDS = ("id", "status", "kind", "codes", "red_lines", "severity", "claims", "mentions", "source", "line")
PARTIAL_ID = "#partial"


def check_outputs(inputs, outputs) -> None:
    """Refuse an output that is one of the inputs (it would be truncated before it is read)."""
    for output in outputs:
        for source in inputs:
            if source == "-":
                continue
            same = Path(source).resolve() == Path(output).resolve()
            if not same and Path(source).exists() and Path(output).exists():
                same = os.path.samefile(source, output)
            if same:
                raise FileProblem(f"{output}: is also an input; write the results elsewhere", code="output_is_input")


def _mode_for(target: Path) -> int:
    """The permissions the output would have had if written in place: the existing file's, else those
    the umask gives a new file (a temporary file is private, 0600, until it is renamed)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class AuditOutputs:
    """The files an audit writes, chosen by extension, each written to a temporary file beside it."""

    def __init__(self, paths, catalogue: Catalogue, context=None):
        self.jsonl, self.csv, self.html = [], [], None
        self.catalogue = catalogue
        self.renames: list[tuple[Path, Path]] = []   # (temporary file, target)
        self.renames_done: list[Path] = []           # targets put in place
        try:
            for path in paths:
                path = Path(path)
                suffix = path.suffix.lower()
                if suffix not in (".jsonl", ".ndjson", ".json", ".csv", ".html", ".htm"):
                    raise FileProblem(f"{path}: unknown output type (use .jsonl, .csv or .html)", code="invalid_output")
                if path.is_dir():
                    raise FileProblem(f"{path}: is a directory", code="invalid_output")
                handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="" if suffix == ".csv" else None,
                                                     dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.",
                                                     suffix=".part", delete=False)
                os.chmod(handle.name, _mode_for(path))
                self.renames.append((Path(handle.name), path))
                if suffix in (".jsonl", ".ndjson", ".json"):
                    self.jsonl.append(handle)
                elif suffix == ".csv":
                    writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
                    writer.writeheader()
                    self.csv.append((handle, writer))
                else:
                    from classifier.surfaces.audit.report import AuditContext, HtmlAuditReport

                    context = context or AuditContext(as_of="", knowledge_version=catalogue.kb.version)
                    self.html = (HtmlAuditReport(handle, catalogue, context), handle)
        except OSError as exc:
            self.discard()
            raise FileProblem(f"cannot write {exc.filename}: {exc.strerror}", code="invalid_output") from None
        except BaseException:
            self.discard()
            raise

    @property
    def wants(self) -> frozenset[str]:
        """What each record must be turned into for these outputs: jsonl, csv, html."""
        return frozenset({"jsonl"} if self.jsonl else ()) | ({"csv"} if self.csv else set()) | \
            ({"html"} if self.html is not None else set())

    def write(self, record: Record, result) -> None:
        """Write one classified record (turned into each output's form here)."""
        lang = self.html[0].context.lang if self.html is not None else "both"
        self.write_outcome(outcome_of(record, result, None, self.wants, lang, self.catalogue))

    def write_outcome(self, outcome: "Outcome") -> None:
        """Write one record already turned into each output's form (by an audit worker)."""
        for handle in self.jsonl:
            handle.write(outcome.line + "\n")
        for _, writer in self.csv:
            writer.writerow(outcome.row)
        if self.html is not None:
            self.html[0].place(outcome.record, outcome.html)

    def finish(self, summary: Summary, skipped: list[Skipped], partial: dict | None = None,
               shown: int | None = None) -> None:
        """Close every output and put it in place; ``partial`` (why, count, last record) marks each;
        ``shown``: the HTML report holds only that many of the classified records (the Spark engine's)."""
        if partial is not None:
            trailer = json.dumps({"partial": True, **partial}, ensure_ascii=False)
            for handle in self.jsonl:
                handle.write(trailer + "\n")
            for _, writer in self.csv:
                writer.writerow({"id": PARTIAL_ID, "status": "partial",
                                 "source": f"stopped: {partial['reason']}; read {partial['read']}, "
                                           f"last {partial['last'] or 'none'}"})
        for handle in self.jsonl:
            handle.close()
        for handle, _ in self.csv:
            handle.close()
        if self.html is not None:
            report, handle = self.html
            report.finish(summary, skipped, partial, shown)
            handle.close()
        for temporary, target in self.renames:
            os.replace(temporary, target)
            self.renames_done.append(target)
        self.renames = []

    def discard(self) -> None:
        """Remove the temporary files and leave the targets as they were."""
        for handle in [*self.jsonl, *(h for h, _ in self.csv), *([self.html[1]] if self.html else [])]:
            try:
                handle.close()
            except Exception:  # noqa: S110 - closing a half-written temporary file may fail; it is removed next
                pass
        for temporary, _ in self.renames:
            try:
                temporary.unlink()
            except FileNotFoundError:
                pass
        self.renames = []


@dataclass(frozen=True)
class Outcome:
    """One record, classified and turned into what the outputs and the tally need: a worker sends this
    back, never the Result itself (unpickling one costs more than classifying it)."""

    record: Record
    problem: str | None = None        # why the record was refused (then nothing else is set)
    digest: Digest | None = None      # what the tally counts
    line: str | None = None           # the JSONL line
    row: dict | None = None           # the CSV row
    html: "RenderedRow | None" = None  # the HTML report's row


def outcome_of(record: Record, result, problem: str | None, wants: frozenset[str], lang: str,
               catalogue: Catalogue) -> Outcome:
    """``result`` turned into each output's form that ``wants`` names."""
    if problem is not None:
        return Outcome(record, problem)
    html = None
    if "html" in wants:
        from classifier.surfaces.audit.report import render_row

        html = render_row(record, result, catalogue, lang)
    return Outcome(record, None, Digest.of(result),
                   json.dumps(result_line(record, result), ensure_ascii=False) if "jsonl" in wants else None,
                   summary_row(record, result) if "csv" in wants else None, html)


def _outcomes(args) -> Iterator[Outcome]:
    """Classify a chunk of records and turn each into its outputs' forms, one by one."""
    from classifier.pipeline import get_classifier

    records, as_of, time_limit, wants, lang = args
    catalogue = get_classifier().catalogue
    for record in records:
        yield outcome_of(*classify_record(record, as_of, time_limit=time_limit), wants, lang, catalogue)


def _worker_outcomes(args) -> list[Outcome]:
    """A worker process's share: a chunk's outcomes, sent back together."""
    return list(_outcomes(args))


def run_audit(files, *, fmt, text_column, id_column, outputs, workers, fail_on, strict, as_of,
              catalogue: Catalogue, kind: str | None = None, time_limit: float | None = None,
              lang: str = "both") -> tuple[Summary, bool]:
    check_outputs(files, outputs)
    tally = AuditTally(fail_on, strict)
    unreadable: list[Skipped] = []   # filled by the reader as it meets malformed records
    sinks = AuditOutputs(outputs, catalogue, audit_context(files, as_of, fail_on, lang, catalogue))
    read = ReadProgress()
    records = iter_inputs(files, fmt, text_column, id_column, unreadable, kind, read)
    progress = _progress()
    pool = None
    done = False
    try:
        pool = get_context("spawn").Pool(workers) if workers > 1 else None
        chunks = iter(lambda: list(itertools.islice(records, CHUNK)), [])
        jobs = ((chunk, as_of, time_limit, sinks.wants, lang) for chunk in chunks)
        outcomes = itertools.chain.from_iterable(pool.imap(_worker_outcomes, jobs) if pool is not None
                                                 else map(_outcomes, jobs))
        for taken, outcome in enumerate(outcomes):
            _take_unreadable(unreadable, tally, before=taken)
            kept = tally.take(outcome.record, outcome.digest, outcome.problem)
            if outcome.problem is not None:
                _say_skipped(tally.skipped[-1])
            if kept:
                sinks.write_outcome(outcome)
            if progress is not None:
                progress.update(1)
        _take_unreadable(unreadable, tally)
        done = True
    except BaseException as exc:
        reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc) or type(exc).__name__
        if tally.summary.read or read.count:
            sinks.finish(tally.summary, tally.skipped,
                         {"reason": reason, "read": tally.summary.read, "last": tally.last})
            if sinks.renames_done:
                print(f"tlc: wrote partial outputs ({', '.join(map(str, sinks.renames_done))}): "
                      f"{tally.summary.read} records accounted for, the last {tally.last or 'none'}", file=sys.stderr)
        else:
            sinks.discard()
        raise
    finally:
        if pool is not None:
            pool.terminate()
        if progress is not None:
            progress.close()
    if done:
        sinks.finish(tally.summary, tally.skipped)
    return tally.summary, tally.failed


def audit_context(files, as_of, fail_on: str, lang: str, catalogue: Catalogue):
    """The HTML report's header: the date answered for, the versions, the inputs by file name."""
    from classifier.surfaces.audit.report import AuditContext
    from classifier.text.profile import as_of_date

    named = [Path(f) for f in files if f != "-"]
    inputs = tuple("stdin" if f == "-" else Path(f).name for f in files)
    hidden = tuple({str(p) for path in named for p in (path.parent, path.resolve().parent) if str(p) not in ("", ".")})
    return AuditContext(as_of=as_of_date(as_of).isoformat(), knowledge_version=catalogue.kb.version, inputs=inputs,
                        fail_on=fail_on, lang=lang, hidden=hidden)


def _take_unreadable(unreadable: list[Skipped], tally: AuditTally, before: int | None = None) -> None:
    """Count and print the records the reader found malformed (strict: the first is fatal), those that came
    before the ``before``-th good record only, so that every good record read ahead of a bad one is written
    before the bad one can stop the run."""
    while unreadable and (before is None or 0 <= unreadable[0].after <= before):
        skip = unreadable.pop(0)
        tally.unreadable(skip)
        _say_skipped(skip)


def _say_skipped(skip: Skipped) -> None:
    print(f"tlc: skipped {skip.where()}: {skip.reason}", file=sys.stderr)


def _progress():
    """A progress bar on stderr, only when stderr is a terminal and the [progress] extra is installed.

    Without the extra the audit runs all the same, after one line that says how to get the bar.
    """
    if not sys.stderr.isatty():
        return None
    from classifier.errors import MissingExtraError
    from classifier.surfaces.extras import require

    try:
        (tqdm,) = require("progress", "a progress bar", "tqdm")
    except MissingExtraError as exc:
        print(f"tlc: {exc}; auditing without one", file=sys.stderr)
        return None
    return tqdm.tqdm(unit=" records", file=sys.stderr)
