"""Stage 4: what people and programs use: the CLI, the HTTP API, batch audits, reports and drawings."""
