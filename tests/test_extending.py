"""The worked examples of docs/extending.md, replayed: each touches only knowledge/ (plus its case),
validates, and changes the answer its case expects — so the documentation cannot drift from the code.

Each example is a set of ``<!-- replay: NAME add FILE KEY -->`` blocks (YAML list items appended to the
list ``KEY`` of ``FILE``) and one ``<!-- replay: NAME case -->`` block (a case in the tests/cases format).
"""
from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from case_runner import Case, check
from classifier.errors import TlcError
from classifier.knowledge.loader import default_root, inspect_knowledge
from classifier.pipeline import get_classifier

DOC = Path(__file__).resolve().parent.parent / "docs" / "extending.md"
BLOCK = re.compile(r"<!-- replay: (\S+) (add (\S+) (\S+)|case) -->\s*```yaml\n(.*?)```", re.S)


def examples() -> dict[str, dict]:
    found: dict[str, dict] = defaultdict(lambda: {"adds": [], "case": None})
    for name, what, file, key, body in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        data = yaml.safe_load(body)
        if what == "case":
            found[name]["case"] = data
        else:
            found[name]["adds"].append((file, key, data))
    return dict(found)


def test_the_guide_has_the_three_worked_examples():
    found = examples()
    assert set(found) == {"code", "profile", "redline"}
    for example in found.values():
        assert example["case"] is not None and example["adds"]
        assert all(file.startswith("knowledge/") for file, _, _ in example["adds"])


def _answer(case: Case, knowledge: Path | None) -> list[str]:
    try:
        result = get_classifier(knowledge).classify(case.subject, case.data.get("as_of"))
    except TlcError as exc:
        return [f"refused: {exc}"]
    return check(case, result).failures


@pytest.mark.parametrize("name", sorted(examples()))
def test_worked_example_replays(name, tmp_path):
    example = examples()[name]
    copy = tmp_path / "knowledge"
    shutil.copytree(default_root(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    for file, key, items in example["adds"]:
        path = copy / Path(file).relative_to("knowledge")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data[key] = list(data.get(key) or []) + list(items)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _, problems = inspect_knowledge(copy)
    assert not problems, [str(p) for p in problems]
    case = Case("extending", example["case"]["name"], example["case"])
    assert _answer(case, None), "the example's case already passes on the shipped knowledge"
    assert _answer(case, copy) == []
