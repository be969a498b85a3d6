"""Batch audit: classify many records from files, stream the results, count and gate.

Records stream from CSV/TSV (``text_column``, ``id_column``), JSONL (``text`` and ``id``, or a whole
profile per line), YAML lists, or plain text (one description per line), so memory stays flat however
long the input. A malformed record is reported with its file and line and skipped (``strict`` makes it
fatal); nothing is dropped silently: the summary counts read, classified and skipped.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from classifier.errors import InputError, TlcError
from classifier.findings.result import SEVERITIES, Result

FORMATS = ("csv", "tsv", "jsonl", "yaml", "txt")
MAX_RECORD_CHARS = 1_000_000


@dataclass(frozen=True)
class Record:
    """One thing to classify: where it came from, its id, and its text or profile."""

    source: str
    line: int
    id: str
    subject: str | dict
    kind: str | None = None   # what kind of text the record is, when the input says so


@dataclass(frozen=True)
class Skipped:
    source: str
    line: int
    reason: str
    at: str = "read"   # "read": malformed before classifying; "classify": refused by classify


@dataclass
class Summary:
    read: int = 0
    classified: int = 0
    skipped: int = 0
    with_red_lines: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    red_lines: dict[str, int] = field(default_factory=dict)
    severities: dict[str, int] = field(default_factory=dict)

    def add(self, result: Result) -> None:
        self.classified += 1
        for code in result.codes:
            self.codes[code] = self.codes.get(code, 0) + 1
        if result.red_lines:
            self.with_red_lines += 1
        for red in result.red_lines:
            self.red_lines[red.id] = self.red_lines.get(red.id, 0) + 1
            self.severities[red.severity] = self.severities.get(red.severity, 0) + 1

    def line(self) -> str:
        return (f"read {self.read}, classified {self.classified}, skipped {self.skipped}; "
                f"{self.with_red_lines} with red lines")


def detect_format(path: str, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"csv": "csv", "tsv": "tsv", "jsonl": "jsonl", "ndjson": "jsonl", "yaml": "yaml", "yml": "yaml"}.get(suffix, "txt")


def _lines(stream: io.TextIOBase) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, 1):
        yield number, line


def read_records(path: str, stream: io.TextIOBase, fmt: str, text_column: str, id_column: str,
                 errors: list[Skipped], kind: str | None = None) -> Iterator[Record]:
    """Records of one input, streamed. Malformed ones are appended to ``errors`` and skipped."""
    if fmt in ("csv", "tsv"):
        reader = csv.DictReader(stream, delimiter="\t" if fmt == "tsv" else ",")
        if reader.fieldnames is None:
            return
        if text_column not in reader.fieldnames:
            raise InputError(f"{path}: no column {text_column!r} (columns: {', '.join(reader.fieldnames)}); "
                             f"name it with --text-column")
        for row in reader:
            line = reader.line_num
            text = (row.get(text_column) or "").strip()
            if not text:
                errors.append(Skipped(path, line, f"empty {text_column!r}"))
                continue
            yield Record(path, line, (row.get(id_column) or f"{Path(path).name}:{line}").strip(), text, kind)
    elif fmt == "jsonl":
        for line, raw in _lines(stream):
            if not raw.strip():
                continue
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as exc:
                errors.append(Skipped(path, line, f"malformed JSON: {exc.msg}"))
                continue
            record = _from_mapping(path, line, data, text_column, id_column, errors, kind)
            if record:
                yield record
    elif fmt == "yaml":
        from classifier.knowledge.yaml_reader import parse_yaml
        from classifier.errors import KnowledgeError

        try:
            data = parse_yaml(stream.read(), source=path)
        except KnowledgeError as exc:
            raise InputError(str(exc)) from None
        if not isinstance(data, list):
            raise InputError(f"{path}: a YAML input is a list of texts or profiles")
        for index, item in enumerate(data, 1):
            if isinstance(item, str):
                yield Record(path, index, f"{Path(path).name}:{index}", item, kind)
            else:
                record = _from_mapping(path, index, item, text_column, id_column, errors, kind)
                if record:
                    yield record
    else:
        for line, raw in _lines(stream):
            text = raw.strip()
            if text:
                yield Record(path, line, f"{Path(path).name}:{line}", text, kind)


def _from_mapping(path: str, line: int, data: Any, text_column: str, id_column: str,
                  errors: list[Skipped], kind: str | None = None) -> Record | None:
    """A record from an object: a profile (it has ``description``) or a text; ``kind`` may be given per record."""
    if not isinstance(data, dict):
        errors.append(Skipped(path, line, "not an object"))
        return None
    record_id = str(data.get(id_column) or f"{Path(path).name}:{line}")
    record_kind = data.get("kind") if isinstance(data.get("kind"), str) else kind
    if "description" in data:
        profile = {k: v for k, v in data.items() if k not in (id_column, "kind")}
        return Record(path, line, record_id, profile, record_kind)
    text = data.get(text_column)
    if not isinstance(text, str) or not text.strip():
        errors.append(Skipped(path, line, f"no {text_column!r} and no profile 'description'"))
        return None
    return Record(path, line, record_id, text, record_kind)


def open_input(path: str) -> io.TextIOBase:
    """A text stream for a path or '-' (stdin); undecodable bytes are an InputError when read."""
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="strict")
    try:
        return open(path, encoding="utf-8-sig", errors="strict", newline="")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


@dataclass
class AuditTally:
    """The one audit loop's bookkeeping, shared by ``tlc audit`` and ``POST /v1/audit``: each record's
    outcome is counted, a refused record is kept as a skip (fatal with ``strict``), and the run fails
    when a red line reaches ``fail_on``."""

    fail_on: str
    strict: bool = False
    summary: Summary = field(default_factory=Summary)
    skipped: list[Skipped] = field(default_factory=list)
    failed: bool = False

    def take(self, record: Record, result: Result | None, problem: str | None) -> Result | None:
        """Count one classified record; the result to write, or None when the record was refused."""
        self.summary.read += 1
        if problem is not None:
            skip = Skipped(record.source, record.line, problem, at="classify")
            if self.strict:
                raise InputError(f"{skip.source}:{skip.line}: {skip.reason}")
            self.skipped.append(skip)
            self.summary.skipped += 1
            return None
        self.summary.add(result)
        self.failed = self.failed or severity_at_least(result, self.fail_on)
        return result

    def unreadable(self, skip: Skipped) -> None:
        """A record malformed before it could be classified (it was read, and is skipped)."""
        if self.strict:
            raise InputError(f"{skip.source}:{skip.line}: {skip.reason}")
        self.skipped.append(skip)
        self.summary.read += 1
        self.summary.skipped += 1


def severity_at_least(result: Result, threshold: str) -> bool:
    limit = SEVERITIES.index(threshold)
    return any(SEVERITIES.index(r.severity) <= limit for r in result.red_lines)


def classify_record(record: Record, as_of, classifier=None) -> tuple[Record, Result | None, str | None]:
    """Classify one record (with ``classifier``, default the shipped knowledge's); an input problem
    becomes a reason, never an exception."""
    from classifier.pipeline import get_classifier

    try:
        result = (classifier or get_classifier()).classify(record.subject, as_of, verify_questions=False, kind=record.kind)
        return record, result, None
    except TlcError as exc:
        return record, None, str(exc)


def result_line(record: Record, result: Result) -> dict[str, Any]:
    data = result.to_dict()
    data.pop("trace", None)
    return {"id": record.id, "source": record.source, "line": record.line, **data}


def summary_row(record: Record, result: Result) -> dict[str, str]:
    worst = result.worst_severity() or ""
    return {"id": record.id, "status": result.status, "kind": result.input_kind.id if result.input_kind else "",
            "codes": " ".join(result.codes), "red_lines": " ".join(result.red_line_ids),
            "severity": worst, "claims": " ".join(f"{c.check}:{c.claimed}" for c in result.claims),
            "mentions": " ".join(sorted({m.code for m in result.mentions if m.code})),
            "source": record.source, "line": str(record.line)}


def iter_inputs(paths: Iterable[str], fmt: str | None, text_column: str, id_column: str,
                errors: list[Skipped], kind: str | None = None) -> Iterator[Record]:
    for path in paths:
        stream = open_input(path)
        try:
            yield from read_records(path, stream, detect_format(path, fmt), text_column, id_column, errors, kind)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not valid UTF-8 (byte {exc.start})") from None
        finally:
            if path != "-":
                stream.close()
