"""Batch audit: classify many records from files, stream the results, count and gate.

Records stream from CSV/TSV (``text_column``, ``id_column``), JSONL (``text`` and ``id``, or a whole
profile per line), YAML lists, or plain text (one description per line), so memory stays flat however
long the input. Lines are decoded one by one, so a line in another encoding, a record over the size
limit or a quote left open is reported with its file, line and byte offset and skipped (``strict``
makes it fatal) while the records around it are read; nothing is dropped silently: the summary counts
read, classified and skipped.
"""
from __future__ import annotations

import csv
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from classifier.errors import FileProblem, InputError, MalformedDocument, MissingColumn, TlcError
from classifier.findings.result import SEVERITIES, Result

FORMATS = ("csv", "tsv", "jsonl", "yaml", "txt")
MAX_RECORD_CHARS = 1_000_000


@dataclass(frozen=True)
class Record:
    """One thing to classify: where it came from, its id, and its text or profile."""

    source: str
    line: int | None   # None where the reader cannot know it (the Spark engine)
    id: str
    subject: str | dict
    kind: str | None = None   # what kind of text the record is, when the input says so


@dataclass(frozen=True)
class Skipped:
    source: str
    line: int | None
    reason: str
    at: str = "read"   # "read": malformed before classifying; "classify": refused by classify
    after: int = -1    # how many records were read before it (-1: not yet known), to report it in its place
    id: str = ""       # the record's id, where the line alone does not say which record it was

    def where(self) -> str:
        """file:line, or file (id) where the line is not known."""
        at = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{at} ({self.id})" if self.id else at


@dataclass(frozen=True)
class Digest:
    """What an audit counts of one result: small enough to send from a worker process for every record
    (a whole Result takes longer to unpickle than to classify)."""

    status: str
    codes: tuple[str, ...]
    red_lines: tuple[tuple[str, str], ...]   # (id, severity)
    worst: str | None

    @classmethod
    def of(cls, result: Result) -> "Digest":
        return cls(result.status, result.codes, tuple((r.id, r.severity) for r in result.red_lines),
                   result.worst_severity())


@dataclass
class Summary:
    read: int = 0
    classified: int = 0
    skipped: int = 0
    with_red_lines: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    red_lines: dict[str, int] = field(default_factory=dict)
    severities: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)   # findings / clear / unrecognised, per record
    worst: dict[str, int] = field(default_factory=dict)      # records by their worst red line's severity
    with_licences: int = 0                                    # records that need at least one licence

    def add(self, digest: "Digest") -> None:
        self.classified += 1
        self.statuses[digest.status] = self.statuses.get(digest.status, 0) + 1
        for code in digest.codes:
            self.codes[code] = self.codes.get(code, 0) + 1
        if digest.codes:
            self.with_licences += 1
        if digest.red_lines:
            self.with_red_lines += 1
            self.worst[digest.worst] = self.worst.get(digest.worst, 0) + 1
        for red_id, severity in digest.red_lines:
            self.red_lines[red_id] = self.red_lines.get(red_id, 0) + 1
            self.severities[severity] = self.severities.get(severity, 0) + 1

    def line(self) -> str:
        return (f"read {self.read}, classified {self.classified}, skipped {self.skipped}; "
                f"{self.with_red_lines} with red lines")


def detect_format(path: str, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"csv": "csv", "tsv": "tsv", "jsonl": "jsonl", "ndjson": "jsonl", "yaml": "yaml", "yml": "yaml"}.get(suffix, "txt")


@dataclass(frozen=True)
class Line:
    """One physical line of an input: its number, the byte offset it starts at, its size in bytes, its text."""

    number: int
    offset: int
    size: int
    text: str


def decoded_lines(path: str, stream: BinaryIO, errors: list[Skipped], first: int = 1, offset: int = 0) -> Iterator[Line]:
    """The lines of a byte stream, decoded one by one as UTF-8: a line that is not valid UTF-8 is
    reported (file, line, byte offset) and left out, and the lines around it are read as usual."""
    for number, raw in enumerate(stream, first):
        try:
            text = raw.decode("utf-8-sig" if offset == 0 else "utf-8")
        except UnicodeDecodeError as exc:
            errors.append(Skipped(path, number, f"not valid UTF-8 at byte {offset + exc.start}; the line is skipped"))
        else:
            yield Line(number, offset, len(raw), text)
        offset += len(raw)


def read_records(path: str, stream: BinaryIO, fmt: str, text_column: str, id_column: str,
                 errors: list[Skipped], kind: str | None = None) -> Iterator[Record]:
    """Records of one input, streamed. Malformed ones are appended to ``errors`` (with their line) and
    skipped; the records around them are read as usual."""
    if fmt in ("csv", "tsv"):
        yield from _csv_records(path, stream, "\t" if fmt == "tsv" else ",", text_column, id_column, errors, kind)
    elif fmt == "jsonl":
        for line in decoded_lines(path, stream, errors):
            record = jsonl_record(path, line.number, line.text, text_column, id_column, errors, kind)
            if record:
                yield record
    elif fmt == "yaml":
        yield from _yaml_records(path, stream, text_column, id_column, errors, kind)
    else:
        for line in decoded_lines(path, stream, errors):
            text = line.text.strip()
            if text:
                yield Record(path, line.number, f"{Path(path).name}:{line.number}", text, kind)


def _yaml_records(path: str, stream: BinaryIO, text_column: str, id_column: str, errors: list[Skipped],
                  kind: str | None) -> Iterator[Record]:
    from classifier.errors import KnowledgeError
    from classifier.knowledge.yaml_reader import ALIASES_REFUSED, parse_yaml

    raw = stream.read()
    try:
        data = parse_yaml(raw.decode("utf-8-sig"), source=path, untrusted=True)
    except UnicodeDecodeError as exc:
        raise MalformedDocument(f"{path}: not valid UTF-8 (byte {exc.start})", code="invalid_utf8") from None
    except KnowledgeError as exc:
        raise MalformedDocument(str(exc), code="yaml_aliases" if ALIASES_REFUSED in str(exc) else "malformed_yaml") from None
    if not isinstance(data, list):
        raise MalformedDocument(f"{path}: a YAML input is a list of texts or profiles", code="malformed_yaml")
    for index, item in enumerate(data, 1):
        if isinstance(item, str):
            yield Record(path, index, f"{Path(path).name}:{index}", item, kind)
        else:
            record = from_mapping(path, index, item, text_column, id_column, errors, kind)
            if record:
                yield record


class _Tracked:
    """Lines handed to ``csv.reader`` one at a time, remembering the first line of the current record."""

    def __init__(self, lines: Iterator[Line]):
        self.lines = lines
        self.first: Line | None = None

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        if self.first is None:
            self.first = line
        return line.text


def _csv_records(path: str, stream: BinaryIO, delimiter: str, text_column: str, id_column: str,
                 errors: list[Skipped], kind: str | None) -> Iterator[Record]:
    """CSV records, resuming after a bad one. A quote left open swallows the rest of the file; the
    reader notices at the end, reports the line that record began on, and reads on from the next line."""
    csv.field_size_limit(MAX_RECORD_CHARS)
    header: list[str] | None = None
    first, offset = 1, 0
    while True:
        stream.seek(offset)
        tracked = _Tracked(decoded_lines(path, stream, errors, first, offset))
        reader = csv.reader(tracked, delimiter=delimiter, strict=True)
        try:
            while True:
                tracked.first = None
                try:
                    row = next(reader)
                except StopIteration:
                    return
                began = tracked.first
                if header is None:
                    header = [name.strip() for name in row]
                    if text_column not in header:
                        raise MissingColumn(f"{path}: no column {text_column!r} (columns: {', '.join(header)}); "
                                            f"name it with --text-column")
                    continue
                if not any(cell.strip() for cell in row):
                    continue
                values = dict(zip(header, row))
                text = (values.get(text_column) or "").strip()
                if not text:
                    errors.append(Skipped(path, began.number, f"empty {text_column!r}"))
                    continue
                record_id = (values.get(id_column) or f"{Path(path).name}:{began.number}").strip()
                yield Record(path, began.number, record_id, text, kind)
        except csv.Error as exc:
            began = tracked.first
            if began is None:
                return
            problem = str(exc)
            if "end of data" in problem or "EOF" in problem:
                problem = "a quote opened in this record is never closed (it ran to the end of the file)"
            errors.append(Skipped(path, began.number, f"malformed CSV at byte {began.offset}: {problem}; "
                                                      f"the record is skipped and reading goes on from the next line"))
            first, offset = began.number + 1, began.offset + began.size


def jsonl_record(path: str, line: int | None, text: str, text_column: str, id_column: str, errors: list[Skipped],
                 kind: str | None = None, default_id: str | None = None) -> Record | None:
    """The record on one JSONL line (None for a blank line). A malformed line is appended to ``errors``
    and gives None. Shared by the local audit and the Spark engine, so both read a line alike."""
    if not text.strip():
        return None
    if len(text) > MAX_RECORD_CHARS:
        errors.append(Skipped(path, line, f"line over {MAX_RECORD_CHARS:,} characters"))
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.append(Skipped(path, line, f"malformed JSON: {exc.msg}"))
        return None
    except RecursionError:
        errors.append(Skipped(path, line, "JSON nested too deeply"))
        return None
    return from_mapping(path, line, data, text_column, id_column, errors, kind, default_id)


def from_mapping(path: str, line: int | None, data: Any, text_column: str, id_column: str,
                 errors: list[Skipped], kind: str | None = None, default_id: str | None = None) -> Record | None:
    """A record from an object: a profile (it has ``description``) or a text; ``kind`` may be given per record.
    Without an id the record is named ``default_id``, else by its file and line."""
    if not isinstance(data, dict):
        errors.append(Skipped(path, line, "not an object"))
        return None
    record_id = str(data.get(id_column) or default_id or f"{Path(path).name}:{line}")
    record_kind = data.get("kind") if isinstance(data.get("kind"), str) else kind
    if "description" in data:
        profile = {k: v for k, v in data.items() if k not in (id_column, "kind")}
        return Record(path, line, record_id, profile, record_kind)
    text = data.get(text_column)
    if not isinstance(text, str) or not text.strip():
        errors.append(Skipped(path, line, f"no {text_column!r} and no profile 'description'"))
        return None
    return Record(path, line, record_id, text, record_kind)


def open_input(path: str) -> BinaryIO:
    """A seekable byte stream for a path, or for '-' (stdin, spooled, so a bad CSV record can be read past)."""
    if path == "-":
        spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
        shutil.copyfileobj(sys.stdin.buffer, spool)
        spool.seek(0)
        return spool
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise FileProblem(f"{path}: file not found", code="file_not_found") from None
    except OSError as exc:
        raise FileProblem(f"{path}: cannot read ({exc.strerror})", code="file_unreadable") from None


def sniff_format(path: str, stream: BinaryIO, explicit: str | None) -> str:
    """The input's format: as given, else by extension; stdin holding JSON objects is JSONL."""
    fmt = detect_format(path, explicit)
    if explicit is None and path == "-":
        head = stream.read(4096)
        stream.seek(0)
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            fmt = "jsonl"
    return fmt


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
    last: str = ""   # the last record accounted for (file:line): where a partial output stops

    def take(self, record: Record, digest: Digest | None, problem: str | None) -> bool:
        """Count one classified record; whether it is to be written (False: it was refused)."""
        if problem is not None:
            skip = Skipped(record.source, record.line, problem, at="classify")
            if self.strict:
                raise InputError(f"{skip.source}:{skip.line}: {skip.reason}")
        self.summary.read += 1
        self.last = f"{record.source}:{record.line}"
        if problem is not None:
            self.skipped.append(skip)
            self.summary.skipped += 1
            return False
        self.summary.add(digest)
        self.failed = self.failed or severity_at_least(digest, self.fail_on)
        return True

    def unreadable(self, skip: Skipped) -> None:
        """A record malformed before it could be classified (it was read, and is skipped)."""
        if self.strict:
            raise InputError(f"{skip.source}:{skip.line}: {skip.reason}")
        self.skipped.append(skip)
        self.summary.read += 1
        self.summary.skipped += 1
        self.last = f"{skip.source}:{skip.line}"


def severity_at_least(digest: Digest, threshold: str) -> bool:
    limit = SEVERITIES.index(threshold)
    return any(SEVERITIES.index(severity) <= limit for _, severity in digest.red_lines)


def classify_record(record: Record, as_of, classifier=None, time_limit: float | None = None
                    ) -> tuple[Record, Result | None, str | None]:
    """Classify one record (with ``classifier``, default the shipped knowledge's); an input problem or a
    record past its time budget becomes a reason, never an exception."""
    from classifier.pipeline import get_classifier

    try:
        result = (classifier or get_classifier()).classify(record.subject, as_of, verify_questions=False, kind=record.kind,
                                                           time_limit=time_limit)
        return record, result, None
    except TlcError as exc:
        return record, None, str(exc)


def result_data(result: Result) -> dict[str, Any]:
    """The tlc.result/1 JSON an audit writes for a record: the whole result but its trace."""
    data = result.to_dict()
    data.pop("trace", None)
    return data


def result_line(record: Record, result: Result) -> dict[str, Any]:
    return {"id": record.id, "source": record.source, "line": record.line, **result_data(result)}


def summary_row(record: Record, result: Result) -> dict[str, str]:
    worst = result.worst_severity() or ""
    return {"id": record.id, "status": result.status, "kind": result.input_kind.id if result.input_kind else "",
            "codes": " ".join(result.codes), "red_lines": " ".join(result.red_line_ids),
            "severity": worst, "claims": " ".join(f"{c.check}:{c.claimed}" for c in result.claims),
            "mentions": " ".join(sorted({m.code for m in result.mentions if m.code})),
            "source": record.source, "line": str(record.line)}


@dataclass
class ReadProgress:
    """How many records reading has yielded (it runs ahead of classifying by up to a chunk)."""

    count: int = 0


def iter_inputs(paths: Iterable[str], fmt: str | None, text_column: str, id_column: str,
                errors: list[Skipped], kind: str | None = None, progress: ReadProgress | None = None) -> Iterator[Record]:
    """Every record of ``paths`` in order; a malformed one is appended to ``errors``, stamped with how
    many records came before it (``Skipped.after``) so that a consumer can report it in its place."""
    progress = progress if progress is not None else ReadProgress()

    def stamp() -> None:
        for index, skip in enumerate(errors):
            if skip.after < 0:
                errors[index] = replace(skip, after=progress.count)

    for path in paths:
        stream = open_input(path)
        try:
            for record in read_records(path, stream, sniff_format(path, stream, fmt), text_column, id_column,
                                       errors, kind):
                stamp()
                progress.count += 1
                yield record
            stamp()
        finally:
            stream.close()
