"""Every case of tests/cases/*.yaml as its own test; the summary line reports precision and recall.

A case with ``known_gap`` is an expected failure (strict): when the engine starts getting it right,
the test fails until the marker is removed, so a gap cannot be fixed silently or hide a regression.
"""
from __future__ import annotations

import pytest

from pathlib import Path

from case_runner import CASES_DIR, Outcome, check, classify_case, load_cases, summary

# The development cases, plus the first held-out set once it had been measured (docs/quality.md).
CASES = (load_cases(CASES_DIR) + load_cases(Path(__file__).parent / "heldout") + load_cases(Path(__file__).parent / "heldout2")
         + load_cases(Path(__file__).parent / "heldout3"))
TOTALS = Outcome()
FAILED: list[str] = []


def _params():
    for case in CASES:
        marks = []
        if case.data.get("known_gap"):
            marks.append(pytest.mark.xfail(reason=case.data["known_gap"], strict=True))
        yield pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_case(case):
    result = classify_case(case)
    outcome = check(case, result)
    TOTALS.merge(outcome)
    if outcome.failures:
        FAILED.append(case.id)
    assert not outcome.failures, "\n".join([f"{case.id}: {case.data.get('reason', '')}", *outcome.failures])


def test_corpus_is_large_and_covers_every_value_added_code(catalogue):
    assert len(CASES) >= 200
    expected = set()
    for case in CASES:
        e = case.data.get("expect", {})
        expected |= set(e.get("codes") or []) | set(e.get("codes_include") or [])
    value_added = {c for c in catalogue.codes() if catalogue.entry(c).kind == "value_added"
                   and catalogue.is_leaf(c)}
    assert value_added - {"B26-1"} <= expected | {"B24"} and "B26-1" in expected


def case_summary() -> str | None:
    """Precision and recall over the cases run in this session (None if none ran)."""
    ran = TOTALS.codes.tp + TOTALS.codes.fp + TOTALS.codes.fn + TOTALS.red_lines.tp + TOTALS.red_lines.fn
    return summary(TOTALS, FAILED, len(CASES)) if ran else None


def test_every_rule_is_exercised_by_some_case():
    # As `opa test --coverage`: a rule no case makes fire is knowledge nobody has checked
    # (`tlc validate --cases tests/cases ...` lists them).
    from classifier.pipeline import get_classifier
    from classifier.surfaces.coverage import rule_coverage, unexercised

    here = Path(__file__).parent
    classifier = get_classifier()
    _, fired = rule_coverage(classifier, [here / "cases", here / "heldout", here / "heldout2", here / "heldout3"])
    assert unexercised(classifier, fired) == []
