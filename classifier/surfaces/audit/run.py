"""Run a batch audit: stream records through classify (optionally in worker processes) into outputs.

Work is handed to the pool in bounded chunks, so a million-line input never sits in memory; outputs
are written as results arrive (the HTML report streams its rows to a temporary file and is assembled
at the end, when the totals are known).
"""
from __future__ import annotations

import csv
import itertools
import json
import sys
from multiprocessing import get_context

from classifier.surfaces.audit.records import (AuditTally, Record, Skipped, Summary, classify_record, iter_inputs,
                                               result_line, summary_row)
from classifier.knowledge.catalogue import Catalogue
from classifier.errors import InputError

CHUNK = 256
CSV_FIELDS = ("id", "status", "kind", "codes", "red_lines", "severity", "claims", "mentions", "source", "line")


class _Outputs:
    """The files an audit writes, chosen by extension."""

    def __init__(self, paths, catalogue: Catalogue):
        self.jsonl, self.csv, self.html = [], [], None
        self.catalogue = catalogue
        try:
            for path in paths:
                suffix = path.suffix.lower()
                if suffix in (".jsonl", ".ndjson", ".json"):
                    self.jsonl.append(path.open("w", encoding="utf-8"))
                elif suffix == ".csv":
                    handle = path.open("w", encoding="utf-8", newline="")
                    writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
                    writer.writeheader()
                    self.csv.append((handle, writer))
                elif suffix in (".html", ".htm"):
                    from classifier.surfaces.audit.report import HtmlAuditReport

                    self.html = HtmlAuditReport(path, catalogue)
                else:
                    raise InputError(f"{path}: unknown output type (use .jsonl, .csv or .html)")
        except OSError as exc:
            raise InputError(f"cannot write {exc.filename}: {exc.strerror}") from None

    def write(self, record: Record, result) -> None:
        if self.jsonl:
            line = json.dumps(result_line(record, result), ensure_ascii=False)
            for handle in self.jsonl:
                handle.write(line + "\n")
        for _, writer in self.csv:
            writer.writerow(summary_row(record, result))
        if self.html is not None:
            self.html.add(record, result)

    def close(self, summary: Summary, skipped: list[Skipped]) -> None:
        for handle in self.jsonl:
            handle.close()
        for handle, _ in self.csv:
            handle.close()
        if self.html is not None:
            self.html.finish(summary, skipped)


def _classify_chunk(args):
    records, as_of = args
    return [classify_record(record, as_of) for record in records]


def run_audit(files, *, fmt, text_column, id_column, outputs, workers, fail_on, strict, as_of,
              catalogue: Catalogue, kind: str | None = None) -> tuple[Summary, bool]:
    tally = AuditTally(fail_on, strict)
    unreadable: list[Skipped] = []   # filled by the reader as it meets malformed records
    sinks = _Outputs(outputs, catalogue)
    records = iter_inputs(files, fmt, text_column, id_column, unreadable, kind)
    progress = _progress()
    pool = get_context("spawn").Pool(workers) if workers > 1 else None
    try:
        chunks = iter(lambda: list(itertools.islice(records, CHUNK)), [])
        if pool is not None:
            results = itertools.chain.from_iterable(
                pool.imap(_classify_chunk, ((chunk, as_of) for chunk in chunks)))
        else:
            results = (classify_record(record, as_of) for chunk in chunks for record in chunk)
        for record, result, problem in results:
            _take_unreadable(unreadable, tally)
            kept = tally.take(record, result, problem)
            if problem is not None:
                _say_skipped(tally.skipped[-1])
            if kept is not None:
                sinks.write(record, kept)
            if progress is not None:
                progress.update(1)
        _take_unreadable(unreadable, tally)
    finally:
        if pool is not None:
            pool.terminate()
        if progress is not None:
            progress.close()
        sinks.close(tally.summary, tally.skipped)
    return tally.summary, tally.failed


def _take_unreadable(unreadable: list[Skipped], tally: AuditTally) -> None:
    """Count and print the records the reader found malformed since last asked (strict: the first is fatal)."""
    while unreadable:
        skip = unreadable.pop(0)
        tally.unreadable(skip)
        _say_skipped(skip)


def _say_skipped(skip: Skipped) -> None:
    print(f"tlc: skipped {skip.source}:{skip.line}: {skip.reason}", file=sys.stderr)


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
