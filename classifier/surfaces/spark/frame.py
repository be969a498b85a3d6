"""Classify the records of a Spark DataFrame where they are, in the executors.

``classify_frame`` adds the typed result columns (``columns.COLUMNS``) to a DataFrame. The work runs in
``mapInArrow``: each Python worker builds the classifier once (``get_classifier`` is cached per process,
and Spark reuses its Python workers between tasks) and then classifies batch after batch of records,
handed over as Arrow record batches. Nothing is collected on the driver. ``mapInArrow`` rather than
``mapInPandas``: the columns a caller keeps pass through untouched as Arrow arrays, where a round trip
through pandas would turn an integer column with nulls into floats; and the worker never builds a
pandas frame it does not need.

durable_rules keeps the GIL, so one Python worker classifies on one core: Spark's one task per core
is exactly the parallelism the engine allows.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Protocol, Sequence

from classifier.errors import InputError, InvalidProfile, MissingColumn
from classifier.findings.result import SEVERITIES
from classifier.surfaces.audit.records import Record, Skipped, classify_record
from classifier.surfaces.spark import columns as result_columns

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

SOURCE = "dataframe"   # a Record's source when it comes from a caller's DataFrame
# Rows classified and handed back at a time. Spark hands over batches of up to 10,000 rows
# (spark.sql.execution.arrow.maxRecordsPerBatch); a result's JSON is about 12 KB, so whole batches
# would hold some 120 MB of results per worker, slices of 1,000 hold about 12 MB.
SLICE = 1000


@dataclass(frozen=True)
class Options:
    """How every record of one run is classified; resolved on the driver, so all executors agree."""

    as_of: str                  # the ISO day, resolved once (a run across midnight keeps one day)
    fail_on: str
    time_limit: float | None
    knowledge: str | None
    prefix: str
    record_columns: bool = False   # also emit the record's own ``id`` and ``source`` (for `tlc audit`)


class RecordBuilder(Protocol):
    """Turns one row (its ``columns``' values) into a Record, a Skipped (refused before classifying),
    or None (not a record at all, as a blank line is not)."""

    columns: tuple[str, ...]

    def __call__(self, row: Mapping[str, Any]) -> Record | Skipped | None: ...


@dataclass(frozen=True)
class ColumnRecords:
    """Records from a caller's columns: a text column, or a profile whose facts are columns (a null
    cell is a fact not stated); a kind for every record, or a column holding each record's kind."""

    text_column: str | None
    profile_columns: tuple[tuple[str, str], ...] = ()   # (fact, column)
    kind: str | None = None
    kind_column: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        named = ([self.text_column] if self.text_column else []) + [c for _, c in self.profile_columns]
        return tuple(dict.fromkeys(named + ([self.kind_column] if self.kind_column else [])))

    def __call__(self, row: Mapping[str, Any]) -> Record | Skipped:
        kind = (row[self.kind_column] if self.kind_column else None) or self.kind
        if not self.profile_columns:
            text = row[self.text_column]
            if text is None:
                return Skipped(SOURCE, None, f"{self.text_column!r} is null", at="classify")
            return Record(SOURCE, None, "", text, kind)
        profile = {fact: row[column] for fact, column in self.profile_columns if row[column] is not None}
        if self.text_column and row[self.text_column] is not None:
            profile["description"] = row[self.text_column]
        return Record(SOURCE, None, "", profile, kind)


def classify_batches(batches: Iterable, builder: RecordBuilder, options: Options) -> Iterator:
    """The executor side: each Arrow record batch comes back with the result columns appended (rows the
    builder says are no records left out), in slices of ``SLICE`` rows. The classifier is built once per
    Python worker process."""
    from classifier.pipeline import get_classifier

    classifier = get_classifier(options.knowledge)
    for batch in batches:
        for start in range(0, batch.num_rows, SLICE):
            yield _classified(batch.slice(start, SLICE), builder, options, classifier)


def _classified(batch, builder: RecordBuilder, options: Options, classifier):
    """One slice of a batch with its result columns."""
    import pyarrow as pa

    values = {name: batch.column(name).to_pylist() for name in builder.columns}
    kept: list[int] = []
    rows: list[dict[str, Any]] = []
    records: list[Record | Skipped] = []
    for index in range(batch.num_rows):
        made = builder({name: column[index] for name, column in values.items()})
        if made is None:
            continue
        kept.append(index)
        records.append(made)
        rows.append(_values(made, classifier, options))
    if len(kept) < batch.num_rows:
        batch = batch.take(pa.array(kept, type=pa.int64()))
    arrays = list(batch.columns) + result_columns.arrow_arrays(rows)
    names = list(batch.schema.names) + [options.prefix + name for name in result_columns.NAMES]
    if options.record_columns:
        arrays += [pa.array([r.id for r in records], pa.string()), pa.array([r.source for r in records], pa.string())]
        names += ["id", "source"]
    return pa.RecordBatch.from_arrays(arrays, names=names)


def _values(made: Record | Skipped, classifier, options: Options) -> dict[str, Any]:
    if isinstance(made, Skipped):
        return result_columns.refused_values(made.reason)
    _, result, problem = classify_record(made, options.as_of, classifier, time_limit=options.time_limit)
    if problem is not None:
        return result_columns.refused_values(problem)
    return result_columns.result_values(result, options.fail_on)


def classify_with(frame: "DataFrame", builder: RecordBuilder, options: Options) -> "DataFrame":
    """``frame`` with the result columns added by ``builder``'s records (lazy: nothing runs yet)."""
    present = set(frame.columns)
    missing = [c for c in builder.columns if c not in present]
    if missing:
        raise MissingColumn(f"no column {', '.join(map(repr, missing))} (columns: {', '.join(frame.columns)})")
    added = [options.prefix + name for name in result_columns.NAMES] + (["id", "source"] if options.record_columns else [])
    clash = [c for c in added if c in present]
    if clash:
        raise MissingColumn(f"the result columns {', '.join(clash)} would overwrite the input's; pass another prefix",
                            code="column_clash")
    extra = result_columns.ddl(options.prefix) + (", id string, source string" if options.record_columns else "")
    from pyspark.sql.types import StructType

    added_schema = frame.sparkSession.createDataFrame([], extra).schema
    schema = StructType(frame.schema.fields + added_schema.fields)
    return frame.mapInArrow(functools.partial(classify_batches, builder=builder, options=options), schema)


def resolve_options(*, as_of, fail_on: str, time_limit: float | None, knowledge, prefix: str, kind: str | None,
                    record_columns: bool = False) -> Options:
    """Check a run's options on the driver, before any job starts: the day (resolved once), the fail-on
    severity, the kind; a wrong one is one clear InputError instead of a refusal on every record."""
    from classifier.pipeline import get_classifier

    if fail_on not in SEVERITIES:
        raise InputError(f"fail_on: {fail_on!r} is not a severity ({', '.join(SEVERITIES)})", code="invalid_arguments")
    classifier = get_classifier(knowledge)
    day = classifier.answer_date(as_of)
    if kind is not None:
        classifier.kinds.stated(kind)
    return Options(day.isoformat(), fail_on, time_limit, str(knowledge) if knowledge is not None else None, prefix,
                   record_columns)


def classify_frame(frame: "DataFrame", text_column: str | None = None, *,
                   profile_columns: Mapping[str, str] | Sequence[str] | None = None, kind: str | None = None,
                   kind_column: str | None = None, as_of=None, fail_on: str = "basic_licence_required",
                   time_limit: float | None = None, knowledge=None, prefix: str = "tlc_") -> "DataFrame":
    """``frame`` with the typed result columns of each record's classification added (``tlc_status``,
    ``tlc_codes``, ``tlc_authority``, ``tlc_red_lines``, ``tlc_severity``, ``tlc_fails``, ``tlc_claims``,
    ``tlc_mentions``, ``tlc_result`` — the full tlc.result/1 JSON — and ``tlc_error``).

    Each row is a text (``text_column``) or a profile: ``profile_columns`` maps profile facts to columns
    (``{"coverage": "provinces"}``; a list names columns called as the facts), and ``text_column``, if
    given, is its description. ``kind`` states what kind of text every row is; ``kind_column`` holds a
    kind per row (a null there falls back to ``kind``). ``as_of`` (default today, resolved once on the
    driver), ``fail_on`` (the severity ``tlc_fails`` marks) and ``time_limit`` (seconds per record) are
    the options of ``tlc audit``. A record that cannot be classified keeps its row, with the reason in
    ``tlc_error`` and every other result column null: rows in, rows out.

    Lazy, as Spark is: the records are classified when an action runs, in the executors, one classifier
    per Python worker. Wrong arguments (a missing column, an unknown fact or kind, a bad date) are
    refused here, before any job.
    """
    if text_column is None and not profile_columns:
        raise InputError("name the text column, or the profile columns", code="invalid_arguments")
    pairs = _profile_pairs(profile_columns)
    options = resolve_options(as_of=as_of, fail_on=fail_on, time_limit=time_limit, knowledge=knowledge, prefix=prefix,
                              kind=kind)
    _check_facts(pairs, knowledge, described=text_column is not None)
    return classify_with(frame, ColumnRecords(text_column, pairs, kind, kind_column), options)


def _profile_pairs(profile_columns: Mapping[str, str] | Sequence[str] | None) -> tuple[tuple[str, str], ...]:
    if not profile_columns:
        return ()
    if isinstance(profile_columns, Mapping):
        return tuple(profile_columns.items())
    if isinstance(profile_columns, str):
        return ((profile_columns, profile_columns),)
    return tuple((name, name) for name in profile_columns)


def _check_facts(pairs: tuple[tuple[str, str], ...], knowledge, described: bool) -> None:
    """Every fact a profile column names is one the vocabulary knows, and the profile has a description."""
    from classifier.pipeline import get_classifier

    known = {"description", *get_classifier(knowledge).vocabulary.profile_fields()}
    unknown = [fact for fact, _ in pairs if fact not in known]
    if unknown:
        raise InvalidProfile(f"unknown profile fact {', '.join(map(repr, unknown))} (facts: {', '.join(sorted(known))})",
                             code="unknown_fact")
    if pairs and not described and "description" not in {fact for fact, _ in pairs}:
        raise InvalidProfile("a profile needs its description: name the text column, or map 'description' to a column",
                             code="invalid_profile")
