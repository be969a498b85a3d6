"""The typed result columns a Spark DataFrame gains: their names, Spark and Arrow types, and their
values for one classified (or refused) record.

Plain Python and pyarrow, no Spark: the values are computed inside the executors' Python workers and
handed to Spark as Arrow arrays, and they are tested without a Spark session.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from classifier.findings.result import Result
from classifier.surfaces.audit.records import Digest, result_data, severity_at_least


@dataclass(frozen=True)
class Column:
    """One result column: its name after the prefix, its Spark SQL type, what it holds."""

    name: str
    ddl: str
    doc: str


COLUMNS: tuple[Column, ...] = (
    Column("status", "string", "findings, clear or unrecognised (could not tell); null when refused"),
    Column("kind", "string", "the kind of text it was read as (product_page, business_scope ...)"),
    Column("codes", "array<string>", "the catalogue codes of the businesses it operates"),
    Column("authority", "map<string,string>", "who grants each code: MIIT or provincial"),
    Column("red_lines", "array<struct<id:string,severity:string>>", "red lines crossed"),
    Column("severity", "string", "the worst red line's severity; null when none"),
    Column("fails", "boolean", "a red line at or above fail_on (what makes `tlc audit` exit 1)"),
    Column("claims", "array<struct<check:string,claimed:string,actual:string>>",
           "licence claims in the text that do not hold"),
    Column("mentions", "array<string>", "codes the text only mentions (sorted)"),
    Column("result", "string", "the full tlc.result/1 JSON (without the rule trace)"),
    Column("error", "string", "why the record was refused (then every other column is null)"),
)
NAMES = tuple(c.name for c in COLUMNS)


def result_values(result: Result, fail_on: str) -> dict[str, Any]:
    """The columns' values for one classified record."""
    return {
        "status": result.status,
        "kind": result.input_kind.id if result.input_kind else None,
        "codes": list(result.codes),
        "authority": [(b.code, b.authority) for b in result.businesses],
        "red_lines": [{"id": r.id, "severity": r.severity} for r in result.red_lines],
        "severity": result.worst_severity(),
        "fails": severity_at_least(Digest.of(result), fail_on),
        "claims": [{"check": c.check, "claimed": c.claimed, "actual": c.actual} for c in result.claims],
        "mentions": sorted({m.code for m in result.mentions if m.code}),
        "result": json.dumps(result_data(result), ensure_ascii=False),
        "error": None,
    }


def refused_values(reason: str) -> dict[str, Any]:
    """The columns' values for a record that could not be classified: only ``error`` is set."""
    return {**dict.fromkeys(NAMES), "error": reason}


def ddl(prefix: str) -> str:
    """The result columns as a Spark DDL schema fragment, ``prefix`` before each name."""
    return ", ".join(f"`{prefix}{c.name}` {c.ddl}" for c in COLUMNS)


def arrow_types() -> dict[str, Any]:
    """The Arrow type of each column, the same types as ``Column.ddl`` (Spark checks they agree)."""
    import pyarrow as pa

    strings = pa.list_(pa.string())
    return {
        "status": pa.string(), "kind": pa.string(), "codes": strings,
        "authority": pa.map_(pa.string(), pa.string()),
        "red_lines": pa.list_(pa.struct([("id", pa.string()), ("severity", pa.string())])),
        "severity": pa.string(), "fails": pa.bool_(),
        "claims": pa.list_(pa.struct([("check", pa.string()), ("claimed", pa.string()), ("actual", pa.string())])),
        "mentions": strings, "result": pa.string(), "error": pa.string(),
    }


def arrow_arrays(rows: list[dict[str, Any]]) -> list:
    """One Arrow array per result column, in column order, from the rows' values."""
    import pyarrow as pa

    types = arrow_types()
    return [pa.array([row[c.name] for row in rows], type=types[c.name]) for c in COLUMNS]
