"""Load the data-driven cases of tests/cases/*.yaml, check one against the engine, score them all.

Used by test_cases.py (one pytest item per case) and runnable on its own for a report:
    python tests/case_runner.py                    # precision / recall of codes and red lines, failures
    python tests/case_runner.py tests/heldout -v   # the held-out set (never tuned against)
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from classifier.knowledge.yaml_reader import read_yaml

CASES_DIR = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "text", "profile", "as_of", "expect", "reason", "known_gap"}
EXPECT_KEYS = {"codes", "codes_include", "codes_exclude", "items_include", "red_lines", "red_lines_include",
               "red_lines_exclude", "authority", "questions_include", "questions_exclude", "red_line_codes",
               "cited_include", "cited_exclude", "answer_includes", "conditions_include", "conditions_exclude"}
FACT_OF_QUESTION = {"coverage": "coverage_scope"}


@dataclass
class Case:
    file: str
    name: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"

    @property
    def subject(self):
        return self.data["profile"] if "profile" in self.data else self.data["text"]


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    cases = []
    for path in sorted(directory.glob("*.yaml")):
        data = read_yaml(path)
        names = set()
        for raw in data["cases"]:
            unknown = set(raw) - CASE_KEYS
            unknown_expect = set(raw.get("expect", {})) - EXPECT_KEYS
            if unknown or unknown_expect or ("text" in raw) == ("profile" in raw) or raw["name"] in names:
                raise ValueError(f"{path.name}: case {raw.get('name')!r} is malformed")
            names.add(raw["name"])
            cases.append(Case(path.stem, raw["name"], raw))
    return cases


def classify_case(case: Case):
    """The engine's answer for a case (with each licence's requirements when the case checks conditions)."""
    from classifier import classify

    expect = case.data.get("expect", {})
    wants_requirements = "conditions_include" in expect or "conditions_exclude" in expect
    return classify(case.subject, as_of=case.data.get("as_of"), requirements=wants_requirements)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: set, got: set, *, exact: bool, exclude: set = frozenset()) -> None:
        self.tp += len(expected & got)
        self.fn += len(expected - got)
        self.fp += len((got - expected) if exact else (got & exclude))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Outcome:
    failures: list[str] = field(default_factory=list)
    codes: Score = field(default_factory=Score)
    red_lines: Score = field(default_factory=Score)

    def merge(self, other: "Outcome") -> None:
        """Add another case's counts to these totals."""
        for attr in ("codes", "red_lines"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            mine.tp, mine.fp, mine.fn = mine.tp + theirs.tp, mine.fp + theirs.fp, mine.fn + theirs.fn


def check(case: Case, result) -> Outcome:
    """Compare one result with the case's expectations; every mismatch is a line in ``failures``."""
    expect = case.data.get("expect", {})
    out = Outcome()
    codes = set(result.codes)
    items = {i for b in result.businesses for i, _, _ in b.items}
    reds = set(result.red_line_ids)
    questions = {q.fact for q in result.questions}
    authority = {b.code: b.authority for b in result.businesses}

    def compare(label, score, got, exact_key, include_key, exclude_key):
        if exact_key in expect:
            want = set(expect[exact_key] or [])
            score.add(want, got, exact=True)
            if want != got:
                out.failures.append(f"{label}: expected {sorted(want)}, got {sorted(got)}")
        include = set(expect.get(include_key) or [])
        exclude = set(expect.get(exclude_key) or [])
        if include or exclude:
            score.add(include, got, exact=False, exclude=exclude)
        if include - got:
            out.failures.append(f"{label}: missing {sorted(include - got)} (got {sorted(got)})")
        if exclude & got:
            out.failures.append(f"{label}: must not include {sorted(exclude & got)}")

    compare("codes", out.codes, codes, "codes", "codes_include", "codes_exclude")
    compare("red lines", out.red_lines, reds, "red_lines", "red_lines_include", "red_lines_exclude")
    for item in expect.get("items_include") or []:
        if item not in items:
            out.failures.append(f"items: missing {item} (got {sorted(items)})")
    for code, want in (expect.get("authority") or {}).items():
        if code not in authority:
            out.failures.append(f"authority: {code} not found")
        elif authority[code] != want:
            out.failures.append(f"authority of {code}: expected {want}, got {authority[code]}")
    for question in expect.get("questions_include") or []:
        if FACT_OF_QUESTION.get(question, question) not in questions:
            out.failures.append(f"questions: missing {question} (got {sorted(questions)})")
    for question in expect.get("questions_exclude") or []:
        if FACT_OF_QUESTION.get(question, question) in questions:
            out.failures.append(f"questions: must not ask {question}")
    red_line_codes = {r.id: set(r.codes) for r in result.red_lines}
    for red_id, want in (expect.get("red_line_codes") or {}).items():
        if red_id not in red_line_codes:
            out.failures.append(f"red line codes: {red_id} not found")
        elif red_line_codes[red_id] != set(want):
            out.failures.append(f"red line codes of {red_id}: expected {sorted(want)}, got {sorted(red_line_codes[red_id])}")
    cited = {b.code: {c.id for c in b.citations} for b in result.businesses}
    cited.update({r.id: {c.id for c in r.citations} for r in result.red_lines})
    for key, want in (expect.get("cited_include") or {}).items():
        if key not in cited:
            out.failures.append(f"citations: {key} not found")
        elif set(want) - cited[key]:
            out.failures.append(f"citations of {key}: missing {sorted(set(want) - cited[key])} (got {sorted(cited[key])})")
    for key, unwanted in (expect.get("cited_exclude") or {}).items():
        if set(unwanted) & cited.get(key, set()):
            out.failures.append(f"citations of {key}: must not cite {sorted(set(unwanted) & cited[key])}")
    if expect.get("answer_includes"):
        from classifier.findings.result import render_text

        answer = render_text(result, "both")
        for phrase in expect["answer_includes"]:
            if phrase not in answer:
                out.failures.append(f"answer: missing {phrase!r}")
    conditions = {r.code: {j.condition.id for j in r.conditions} for r in result.requirements}
    for code, want in (expect.get("conditions_include") or {}).items():
        if code not in conditions:
            out.failures.append(f"conditions: no requirements for {code}")
        elif set(want) - conditions[code]:
            out.failures.append(f"conditions of {code}: missing {sorted(set(want) - conditions[code])}")
    for code, unwanted in (expect.get("conditions_exclude") or {}).items():
        if set(unwanted) & conditions.get(code, set()):
            out.failures.append(f"conditions of {code}: must not include {sorted(set(unwanted) & conditions[code])}")
    return out


def run(cases: list[Case]):
    totals = Outcome()
    failed: list[tuple[Case, list[str]]] = []
    for case in cases:
        result = classify_case(case)
        outcome = check(case, result)
        totals.merge(outcome)
        if outcome.failures:
            failed.append((case, outcome.failures))
    return totals, failed


def summary(totals: Outcome, failed: list, count: int) -> str:
    return (f"cases: {count - len(failed)}/{count} pass; "
            f"codes precision {totals.codes.precision:.3f} recall {totals.codes.recall:.3f}; "
            f"red lines precision {totals.red_lines.precision:.3f} recall {totals.red_lines.recall:.3f}")


if __name__ == "__main__":
    directories = [Path(a) for a in sys.argv[1:] if not a.startswith("-")]
    all_cases = [c for d in (directories or [CASES_DIR]) for c in load_cases(d)]
    totals, failed = run(all_cases)
    verbose = "-v" in sys.argv
    for case, failures in failed:
        print(f"FAIL {case.id}")
        if verbose:
            print(f"     {case.data.get('text') or case.data.get('profile')}")
        for line in failures:
            print(f"     {line}")
    print(summary(totals, failed, len(all_cases)))
