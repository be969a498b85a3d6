"""Stage 2: forward chaining in durable_rules. The only package that imports durable_rules."""
