"""Stage 0: the knowledge base — read, validated and typed; the catalogue as a graph; names; the vocabulary."""
