"""The fact vocabulary every stage speaks.

Signal ids the code itself produces (beside those the lexicon declares) live here, so that the
knowledge checks and the text stage agree on them without importing each other.
"""
from __future__ import annotations

LICENCE_NAME = "licence.name"   # a catalogue name found in the text; carries its code (and item)
PROVINCE = "geo.province"       # a mainland province (or one of its cities) found in the text
