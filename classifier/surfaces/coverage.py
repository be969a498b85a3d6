"""Which rules the cases exercise (as ``opa test --coverage`` says which policies no test reaches).

A case file is a YAML file of ``cases:`` (each with ``text`` or ``profile`` and optionally ``as_of``) or of
corpus ``texts:`` (each with ``text``). Every case is classified; a rule counts as exercised when it
fires for some case. A rule no case exercises is knowledge nobody has checked.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from classifier.errors import FileProblem
from classifier.knowledge.yaml_reader import read_yaml


def case_subjects(paths: Iterable[Path]) -> Iterator[tuple[object, str | None]]:
    """(text or profile, as_of) of every case in the given files or directories of YAML files."""
    for path in paths:
        files = sorted(Path(path).rglob("*.yaml")) if Path(path).is_dir() else [Path(path)]
        if not files:
            raise FileProblem(f"{path}: no case files", code="file_not_found")
        for file in files:
            data = read_yaml(file)
            entries = (data.get("cases") or data.get("texts") or []) if isinstance(data, dict) else []
            for entry in entries:
                if isinstance(entry, dict) and ("text" in entry or "profile" in entry):
                    as_of = entry.get("as_of")
                    yield entry.get("profile") or entry["text"], str(as_of) if as_of else None


def rule_coverage(classifier, paths: Iterable[Path]) -> tuple[int, Counter]:
    """How many cases were run, and how often each rule (by id) fired."""
    fired: Counter = Counter()
    count = 0
    for subject, as_of in case_subjects(paths):
        count += 1
        result = classifier.classify(subject, as_of, verify_questions=False)
        fired.update({entry.rule.split("#")[0] for entry in result.trace})
    return count, fired


def unexercised(classifier, fired: Counter) -> list[str]:
    """Rules of the knowledge base that fired for no case, in file order."""
    return [rule.id for rules in classifier.kb.rules.values() for rule in rules if rule.id not in fired]
