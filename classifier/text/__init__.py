"""Stage 1: the input (text or profile) -> lexicon signals with their scopes -> the engine's starting facts."""
