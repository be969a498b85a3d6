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

from classifier.surfaces.audit.records import Record, Skipped, Summary, classify_record, iter_inputs, result_line, severity_at_least, summary_row
from classifier.knowledge.catalogue import Catalogue
from classifier.errors import InputError

CHUNK = 256
CSV_FIELDS = ("id", "codes", "red_lines", "severity", "claims", "source", "line")


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
              catalogue: Catalogue) -> tuple[Summary, bool]:
    summary = Summary()
    skipped: list[Skipped] = []
    failed = False
    sinks = _Outputs(outputs, catalogue)
    records = iter_inputs(files, fmt, text_column, id_column, skipped)
    progress = _progress()
    pool = get_context("spawn").Pool(workers) if workers > 1 else None
    try:
        chunks = iter(lambda: list(itertools.islice(records, CHUNK)), [])
        if pool is not None:
            results = itertools.chain.from_iterable(
                pool.imap(_classify_chunk, ((chunk, as_of) for chunk in chunks)))
        else:
            results = (classify_record(record, as_of) for chunk in chunks for record in chunk)
        reported = 0
        for record, result, problem in results:
            summary.read += 1
            reported = _report_skips(skipped, reported, strict, summary)
            if problem is not None:
                skip = Skipped(record.source, record.line, problem, at="classify")
                if strict:
                    raise InputError(f"{skip.source}:{skip.line}: {skip.reason}")
                skipped.append(skip)
                reported = _report_skips(skipped, reported, strict, summary)
                continue
            summary.add(result)
            sinks.write(record, result)
            if severity_at_least(result, fail_on):
                failed = True
            if progress is not None:
                progress.update(1)
        _report_skips(skipped, reported, strict, summary)
    finally:
        if pool is not None:
            pool.terminate()
        if progress is not None:
            progress.close()
        sinks.close(summary, skipped)
    return summary, failed


def _report_skips(skipped: list[Skipped], reported: int, strict: bool, summary: Summary) -> int:
    """Print newly skipped records (file:line: reason); strict mode makes the first one fatal."""
    for skip in skipped[reported:]:
        if strict:
            raise InputError(f"{skip.source}:{skip.line}: {skip.reason}")
        print(f"tlc: skipped {skip.source}:{skip.line}: {skip.reason}", file=sys.stderr)
        summary.skipped += 1
        if skip.at == "read":
            summary.read += 1  # never reached classify, but it was read
    return len(skipped)


def _progress():
    """A progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit=" records", file=sys.stderr)
