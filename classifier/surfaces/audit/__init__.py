"""Batch audits: read records, classify them (in worker processes), write JSONL, CSV and HTML."""
