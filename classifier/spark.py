"""``classifier.spark``: the Spark surface under its short name (``from classifier.spark import
classify_frame``). It lives in ``classifier.surfaces.spark``; the ``spark`` extra installs pyspark."""
from __future__ import annotations

from classifier.surfaces.spark import COLUMNS, classify_frame

__all__ = ["COLUMNS", "classify_frame"]
