"""tlc on Apache Spark (the ``spark`` extra): classify a DataFrame's records in the executors
(``classify_frame``), and ``tlc audit --engine spark`` over CSV, JSONL or Parquet (``audit``).

pyspark is imported only when a function here is called, so the rest of tlc never needs it.
"""
from __future__ import annotations

from classifier.surfaces.spark.columns import COLUMNS
from classifier.surfaces.spark.frame import classify_frame

__all__ = ["COLUMNS", "classify_frame"]
