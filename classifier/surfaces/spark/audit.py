"""`tlc audit --engine spark`: the batch audit for registries too big for one machine.

Records are read through Spark (``inputs``), classified in the executors (``frame.classify_with``, the
same code and the same answers as ``tlc audit``), kept (memory, then disk) while the summary is counted
with Spark aggregations, and written as Parquet and/or JSONL datasets (directories of part files, in
input order). The HTML report is the local audit's own, written on the driver: its totals and charts
come from the aggregations, its table from at most ``report_rows`` records (all of them when they fit,
else the worst first), which the driver classifies again to render them.

Outputs are never left half-written: in local mode each is written beside its target and moved into
place when complete; on a cluster an existing output is refused rather than overwritten. With
``strict``, a refused record stops the run before any output is written.
"""
from __future__ import annotations

import os
import shutil
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from classifier.errors import FileProblem, InputError
from classifier.findings.result import SEVERITIES
from classifier.surfaces.audit.records import Skipped, Summary, classify_record
from classifier.surfaces.audit.run import AuditOutputs, audit_context, check_outputs
from classifier.surfaces.spark.frame import Options, classify_with, resolve_options
from classifier.surfaces.spark.inputs import AuditRecords, is_uri, read_inputs
from classifier.surfaces.spark.session import default_master, require_pyspark, spark_session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

SAID_SKIPPED = 100   # skipped records printed one by one on stderr; the rest are counted
# Rows per block of kept results. Spark's default, 10,000, makes blocks of some 120 MB (a result's JSON
# is about 12 KB), which a 1 GB heap could not read back; 1,000 rows make 12 MB.
CACHE_BATCH = "spark.sql.inMemoryColumnarStorage.batchSize"
OUTPUT_KINDS = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class Output:
    """One output asked for: where it goes (a local path or a URI) and what it is, by its extension."""

    target: str
    kind: str   # parquet | jsonl | html


def plan_outputs(files, outputs) -> list[Output]:
    """The outputs by extension; refused: another type, an HTML report anywhere but a local path, an
    output that is also an input."""
    planned = []
    for target in map(str, outputs):
        kind = OUTPUT_KINDS.get(Path(target.rstrip("/")).suffix.lower())
        if kind is None:
            raise FileProblem(f"{target}: --engine spark writes .parquet, .jsonl or .html", code="invalid_output")
        if kind == "html" and is_uri(target):
            raise FileProblem(f"{target}: the HTML report is written on the driver; give a local path",
                              code="invalid_output")
        planned.append(Output(target, kind))
    check_outputs([f for f in files if not is_uri(f)], [o.target for o in planned if not is_uri(o.target)])
    return planned


def run_spark_audit(files, *, fmt, text_column, id_column, outputs, master, workers, fail_on, strict, as_of,
                    catalogue, kind=None, time_limit=None, knowledge=None, report_rows: int = 1000,
                    lang: str = "both") -> tuple[Summary, bool]:
    """Audit ``files`` on Spark; the summary and whether a red line reached ``fail_on`` (as ``run_audit``)."""
    require_pyspark()
    planned = plan_outputs(files, outputs)
    options = resolve_options(as_of=as_of, fail_on=fail_on, time_limit=time_limit, knowledge=knowledge, prefix="tlc_",
                              kind=kind, record_columns=True)
    builder = AuditRecords(text_column, id_column, kind)
    with spark_session(default_master(master, workers)) as spark:
        local = spark.sparkContext.master.startswith("local")
        normal = read_inputs(spark, list(files), fmt, text_column, id_column, local)
        results = classify_with(_spread(normal), builder, options).sortWithinPartitions("order")
        with _session_conf(spark, {CACHE_BATCH: "1000"}):
            context = audit_context(files, options.as_of, fail_on, lang, catalogue)
            return _audit(results, planned, catalogue, builder, options, fail_on, strict, report_rows, local, context)


def _audit(results: "DataFrame", planned: list[Output], catalogue, builder: AuditRecords, options: Options,
           fail_on: str, strict: bool, report_rows: int, local: bool, context) -> tuple[Summary, bool]:
    """Count, check, write and report, the results kept (memory, then disk) until the run is done."""
    results = results.persist()
    try:
        summary, failed = count(results, fail_on)
        skipped = first_skipped(results, report_rows)
        _say_skipped(skipped, summary.skipped)
        if strict and skipped:
            raise InputError(f"{skipped[0].where()}: {skipped[0].reason} (--strict; {summary.skipped} refused, "
                             f"nothing written)")
        for output in planned:
            if output.kind != "html":
                _write(results, output, local)
        html = [o for o in planned if o.kind == "html"]
        if html:
            _report(results, html[0].target, catalogue, summary, skipped, builder, options, report_rows, context)
    finally:
        results.unpersist()
    return summary, failed


@contextmanager
def _session_conf(spark, settings: dict[str, str]) -> Iterator[None]:
    """Session settings for one run, put back as they were after it (the session may be the caller's)."""
    before = {key: spark.conf.get(key, None) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            spark.conf.unset(key) if value is None else spark.conf.set(key, value)


def _spread(frame: "DataFrame") -> "DataFrame":
    """Enough partitions for every core (a single CSV read as one partition would classify on one), cut
    by ranges of input order so that the outputs keep it."""
    target = max(2, frame.sparkSession.sparkContext.defaultParallelism * 4)
    if frame.rdd.getNumPartitions() < target:
        return frame.repartitionByRange(target, "order")
    return frame


def count(results: "DataFrame", fail_on: str) -> tuple[Summary, bool]:
    """The audit's Summary by Spark aggregations (two small jobs; nothing but counts reaches the driver),
    and whether any record reaches ``fail_on``."""
    from pyspark.sql import functions as F

    totals = results.agg(F.count(F.lit(1)).alias("read"), F.count("tlc_error").alias("skipped"),
                         F.count(F.when(F.size("tlc_red_lines") > 0, 1)).alias("with_red_lines"),
                         F.count(F.when(F.size("tlc_codes") > 0, 1)).alias("with_licences"),
                         F.max("tlc_fails").alias("fails")).first()
    labels = F.concat(F.transform("tlc_codes", lambda c: F.concat(F.lit("codes\t"), c)),
                      F.transform("tlc_red_lines", lambda r: F.concat(F.lit("red_lines\t"), r["id"])),
                      F.transform("tlc_red_lines", lambda r: F.concat(F.lit("severities\t"), r["severity"])),
                      F.array(F.concat(F.lit("statuses\t"), F.col("tlc_status"))),
                      F.filter(F.array(F.concat(F.lit("worst\t"), F.col("tlc_severity"))), lambda x: x.isNotNull()))
    counted = (results.where(F.col("tlc_error").isNull()).select(F.explode(labels).alias("label"))
               .groupBy("label").count().collect())
    summary = Summary(read=totals["read"], classified=totals["read"] - totals["skipped"], skipped=totals["skipped"],
                      with_red_lines=totals["with_red_lines"], with_licences=totals["with_licences"])
    for row in sorted(counted, key=lambda r: r["label"]):
        table, key = row["label"].split("\t", 1)
        getattr(summary, table)[key] = row["count"]
    return summary, bool(totals["fails"])


def first_skipped(results: "DataFrame", limit: int) -> list[Skipped]:
    """The first ``limit`` refused records, in input order."""
    from pyspark.sql import functions as F

    rows = (results.where(F.col("tlc_error").isNotNull()).orderBy("order").limit(limit)
            .select("id", "source", "tlc_error").collect())
    return [Skipped(row["source"], None, row["tlc_error"], at="classify", id=row["id"]) for row in rows]


def _say_skipped(skipped: list[Skipped], total: int) -> None:
    for skip in skipped[:SAID_SKIPPED]:
        print(f"tlc: skipped {skip.where()}: {skip.reason}", file=sys.stderr)
    if total > SAID_SKIPPED:
        print(f"tlc: ... and {total - SAID_SKIPPED} more skipped (tlc_error in the Parquet output)", file=sys.stderr)


def jsonl_lines(results: "DataFrame") -> "DataFrame":
    """The local audit's JSONL lines: ``{"id", "source", ...tlc.result/1}`` per classified record."""
    from pyspark.sql import functions as F

    head = F.to_json(F.struct("id", "source"))
    return (results.where(F.col("tlc_error").isNull())
            .select(F.concat(F.regexp_replace(head, "}$", ""), F.lit(", "),
                             F.regexp_replace("tlc_result", "^\\{", "")).alias("value")))


def parquet_columns(results: "DataFrame") -> "DataFrame":
    """What the Parquet output holds per record: id, source and every result column."""
    return results.select("id", "source", *[c for c in results.columns if c.startswith("tlc_")])


def _write(results: "DataFrame", output: Output, local: bool) -> None:
    """Write one dataset. Locally: beside the target, then moved into place (an old one replaced only
    once the new one is complete). On a cluster: straight to the target, refusing to overwrite."""
    from pyspark.errors import AnalysisException

    frame = parquet_columns(results) if output.kind == "parquet" else jsonl_lines(results)

    def save(path: str, mode: str) -> None:
        writer = frame.write.mode(mode)
        writer.parquet(path) if output.kind == "parquet" else writer.text(path)

    if not local or is_uri(output.target):
        try:
            save(output.target, "errorifexists")
        except AnalysisException as exc:
            if "ALREADY_EXISTS" in str(exc) or "already exists" in str(exc):
                raise FileProblem(f"{output.target}: already exists; remove it or name another output",
                                  code="output_exists") from None
            raise
        return
    target = Path(output.target)
    parent = target.parent if str(target.parent) else Path(".")
    temporary = parent / f".{target.name}.{uuid.uuid4().hex[:8]}.part"
    try:
        save(str(temporary.resolve()), "errorifexists")
        _swap(temporary, target)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Put the complete ``new`` where ``target`` is, removing what was there only after."""
    old = None
    if target.exists() or target.is_symlink():
        old = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.old"
        os.rename(target, old)
    os.rename(new, target)
    if old is not None:
        shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()


def report_frame(results: "DataFrame", limit: int, classified: int) -> "DataFrame":
    """The records the HTML table shows: every classified one in input order when they fit in ``limit``,
    else the ``limit`` worst (by severity, then with claims, then input order)."""
    from pyspark.sql import functions as F

    done = results.where(F.col("tlc_error").isNull())
    if classified <= limit:
        return done.orderBy("order")
    rank = F.coalesce(F.array_position(F.array(*map(F.lit, SEVERITIES)), F.col("tlc_severity")), F.lit(len(SEVERITIES) + 1))
    return done.orderBy(rank, F.size("tlc_claims").desc(), "order").limit(limit)


def _report(results: "DataFrame", target: str, catalogue, summary: Summary, skipped: list[Skipped],
            builder: AuditRecords, options: Options, limit: int, context) -> None:
    """The local audit's HTML report: totals from the aggregations, rows rendered on the driver from at
    most ``limit`` records (classified again here: the result objects the rows need stay on the executors)."""
    from classifier.pipeline import get_classifier

    classifier = get_classifier(options.knowledge)
    rows = report_frame(results, limit, summary.classified).select(*builder.columns).collect()
    sink = AuditOutputs([target], catalogue, context)
    shown = 0
    try:
        for row in rows:
            record = builder(row.asDict())
            _, result, problem = classify_record(record, options.as_of, classifier, time_limit=options.time_limit)
            if problem is None:
                sink.write(record, result)
                shown += 1
        sink.finish(summary, skipped, shown=shown)
    except BaseException:
        sink.discard()
        raise
