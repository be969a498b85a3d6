"""What `tlc audit --engine spark` reads: CSV, TSV, JSONL or Parquet through Spark, as records that mean
what they mean to the local audit.

Every input is read into one frame of the same columns (``path``, ``format``, ``raw_id``, ``text``,
``line``, ``corrupt``, ``blank``, and ``order``, the record's place in the input) so that inputs of
several formats make one run. ``AuditRecords`` then turns a row into the same ``Record`` the local
reader makes: a JSONL line goes through the local audit's own ``jsonl_record``; a CSV or Parquet row
has its text stripped and an empty one skipped, as a CSV row is locally.

What Spark cannot tell is a line number: records are named by file and id, and a record without an id
is named ``<file>#<n>``, ``n`` increasing in input order (unique, but not a line number).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import unquote, urlparse

from classifier.errors import FileProblem, MissingColumn
from classifier.surfaces.audit.records import Record, Skipped, jsonl_record

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

FORMATS = ("csv", "tsv", "jsonl", "parquet")
EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
NORMAL = "path string, format string, raw_id string, text string, line string, corrupt string, blank boolean"
CORRUPT = "_corrupt_record"
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_uri(path: str) -> bool:
    """A location with a scheme (hdfs://, s3a://, file://), as opposed to a local path."""
    return bool(URI.match(path))


def input_format(path: str, explicit: str | None) -> str:
    """The format of one input: as given, else by extension (a directory named *.parquet is Parquet)."""
    if explicit:
        if explicit not in FORMATS:
            raise FileProblem(f"--engine spark reads {', '.join(FORMATS)}, not {explicit}", code="unknown_format")
        return explicit
    found = EXTENSIONS.get(Path(path.rstrip("/")).suffix.lower())
    if found is None:
        raise FileProblem(f"{path}: cannot tell its format from its name; give --format ({', '.join(FORMATS)})",
                          code="unknown_format")
    return found


def check_exists(path: str) -> None:
    """A local input that is not there is refused before Spark starts reading (globs are Spark's to expand)."""
    if path == "-":
        raise FileProblem("--engine spark reads files, not stdin", code="file_not_found")
    if not is_uri(path) and not any(ch in path for ch in "*?[{") and not Path(path).exists():
        raise FileProblem(f"{path}: file not found", code="file_not_found")


def source_name(path: str) -> str:
    """The input's name in results and messages: a local file as a path, anything else as its URI."""
    return unquote(urlparse(path).path) if path.startswith("file:") else path


@dataclass(frozen=True)
class AuditRecords:
    """Rows of the normalised input frame, as the local audit's records (None: a blank row, no record)."""

    text_column: str
    id_column: str
    kind: str | None = None
    columns: tuple[str, ...] = ("path", "format", "raw_id", "text", "line", "corrupt", "blank", "order")

    def __call__(self, row: Mapping[str, Any]) -> Record | Skipped | None:
        source = source_name(row["path"])
        default_id = f"{Path(source).name}#{row['order'] + 1}"
        if row["format"] == "jsonl":
            errors: list[Skipped] = []
            record = jsonl_record(source, None, row["line"], self.text_column, self.id_column, errors, self.kind,
                                  default_id)
            return record or (Skipped(source, None, errors[0].reason, id=default_id) if errors else None)
        record_id = (row["raw_id"] or "").strip() or default_id
        if row["corrupt"] is not None:
            return Skipped(source, None, "malformed CSV: the row does not match the header; it is skipped", id=record_id)
        if row["blank"]:
            return None
        text = (row["text"] or "").strip()
        if not text:
            return Skipped(source, None, f"empty {self.text_column!r}", id=record_id)
        return Record(source, None, record_id, text, self.kind)


def read_inputs(spark: "SparkSession", paths: list[str], fmt: str | None, text_column: str,
                id_column: str, local: bool = True) -> "DataFrame":
    """Every input as the normalised frame, in input order (``order``). ``local``: paths name files on this
    machine, checked before reading (on a cluster a plain path may name the cluster's file system)."""
    from pyspark.sql import functions as F

    by_format: dict[str, list[str]] = {}
    for path in paths:
        if local:
            check_exists(path)
        elif path == "-":
            raise FileProblem("--engine spark reads files, not stdin", code="file_not_found")
        by_format.setdefault(input_format(path, fmt), []).append(path)
    frames = []
    for found, group in by_format.items():
        if found == "jsonl":
            frames.append(_jsonl(spark, group))
        else:
            frames.append(_table(spark, group, found, text_column, id_column))
    frame = frames[0]
    for other in frames[1:]:
        frame = frame.unionByName(other)
    return frame.withColumn("order", F.monotonically_increasing_id())


def _jsonl(spark: "SparkSession", paths: list[str]) -> "DataFrame":
    """JSONL as lines of text: each is parsed in the executors by the local reader's own code, so a
    record means the same (a profile, a text, its own kind) and a malformed line the same skip. Spark's
    JSON reader is not used: it would unify every line's types (0.3 and "30%" become one string column)."""
    from pyspark.sql import functions as F

    lines = _read(lambda: spark.read.text(paths), paths)
    return lines.select(F.col("_metadata.file_path").alias("path"), F.lit("jsonl").alias("format"),
                        F.lit(None).cast("string").alias("raw_id"), F.lit(None).cast("string").alias("text"),
                        F.col("value").alias("line"), F.lit(None).cast("string").alias("corrupt"),
                        F.lit(False).alias("blank"))


def _table(spark: "SparkSession", paths: list[str], fmt: str, text_column: str, id_column: str) -> "DataFrame":
    """CSV, TSV or Parquet: the text and id columns by name (a missing text column is refused)."""
    from pyspark.sql import functions as F

    if fmt == "parquet":
        frame = _read(lambda: spark.read.parquet(*paths), paths)
        corrupt = F.lit(None).cast("string")
    else:
        frame = _csv(spark, paths, "\t" if fmt == "tsv" else ",")
        corrupt = F.col(CORRUPT)
    names = [c for c in frame.columns if c != CORRUPT]
    if text_column not in names:
        raise MissingColumn(f"{', '.join(paths)}: no column {text_column!r} (columns: {', '.join(names)}); "
                            f"name it with --text-column")
    if dict(frame.dtypes)[text_column] != "string":
        raise MissingColumn(f"column {text_column!r} holds {dict(frame.dtypes)[text_column]}, not text",
                            code="invalid_column_type")
    raw_id = F.col(id_column).cast("string") if id_column in names else F.lit(None).cast("string")
    cells = [F.coalesce(F.col(c).cast("string"), F.lit("")) for c in names]
    blank = F.trim(F.concat(*cells)) == "" if fmt != "parquet" else F.lit(False)
    return frame.select(F.col("_metadata.file_path").alias("path"), F.lit(fmt).alias("format"), raw_id.alias("raw_id"),
                        F.col(text_column).alias("text"), F.lit(None).cast("string").alias("line"),
                        corrupt.alias("corrupt"), blank.alias("blank"))


def _csv(spark: "SparkSession", paths: list[str], separator: str) -> "DataFrame":
    """CSV as the local reader takes it: a header row, RFC 4180 quotes ("" inside a quoted field), line
    breaks inside quotes; every column text. Header names are stripped (and a BOM dropped) as locally;
    a row that does not fit the header is kept aside in ``_corrupt_record``."""
    options = {"header": True, "sep": separator, "quote": '"', "escape": '"', "multiLine": True, "encoding": "UTF-8",
               "mode": "PERMISSIVE", "columnNameOfCorruptRecord": CORRUPT}
    header = _read(lambda: spark.read.options(**options).csv(paths), paths).columns
    names = [name.lstrip("\ufeff").strip() for name in header]
    schema = ", ".join(f"`{name.replace('`', '``')}` string" for name in names) + f", `{CORRUPT}` string"
    return _read(lambda: spark.read.options(**options).schema(schema).csv(paths), paths)


def _read(read, paths: list[str]):
    """Run a Spark read; a path Spark cannot find or open is a FileProblem, not a JVM traceback."""
    from pyspark.errors import AnalysisException

    try:
        return read()
    except AnalysisException as exc:
        message = str(exc).splitlines()[0]
        code = "file_not_found" if "PATH_NOT_FOUND" in message or "does not exist" in message else "file_unreadable"
        raise FileProblem(f"{', '.join(paths)}: cannot read ({message})", code=code) from None
