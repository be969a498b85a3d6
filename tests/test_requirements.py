"""Requirements as data: every entry well-formed and cited; selection by kind, code, coverage, date;
conditions judged for a company."""
from __future__ import annotations

import datetime as dt

import pytest

from classifier.knowledge.files import REQUIREMENT_LISTS
from classifier.knowledge.loader import load_knowledge
from classifier.findings.requirements import Company, applies, requirements_for

KB = load_knowledge()
ALL = [(name, entry) for name in REQUIREMENT_LISTS for entry in KB.requirements[name]]
TODAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize("name,entry", ALL, ids=lambda x: x if isinstance(x, str) else x.id)
def test_every_requirement_fact_is_cited_labelled_and_applies_somewhere(catalogue, name, entry):
    assert entry.sources and entry.label_zh and entry.label_en and entry.basis in ("statutory", "practice")
    assert entry.sources and all(s in KB.sources for s in entry.sources)
    # it selects at least one catalogue code on some date in its validity
    day = entry.valid_from or (entry.valid_to - dt.timedelta(days=1) if entry.valid_to else TODAY)
    codes = [c for c in catalogue.codes() if len(catalogue.ancestors(c)) >= 2 or c.startswith("X-")]
    assert any(applies(catalogue, entry, c, None, day) for c in codes), entry.id


def test_consultancy_practice_is_never_presented_as_law():
    for _, entry in ALL:
        if any(word in entry.label_zh for word in ("社保", "95接口", "日志留存")):
            if "3名" in entry.label_zh or "95" in entry.label_zh or entry.applies_to.codes == ("B13",):
                assert entry.basis == "practice", entry.id
        if set(entry.sources) <= {"SEED-000", "SEED-001", "SEED-003", "SEED-004"}:
            assert entry.basis == "practice", entry.id


def _ids(found, attr="conditions"):
    items = getattr(found, attr)
    return {(j.condition.id if attr == "conditions" else j.id) for j in items}


def test_capital_minimum_follows_coverage(catalogue):
    single = requirements_for(catalogue, "B13", coverage_scope="single_province", as_of=TODAY,
                              company=Company(registered_capital=5_000_000))
    multi = requirements_for(catalogue, "B13", coverage_scope="multi_province", as_of=TODAY,
                             company=Company(registered_capital=5_000_000))
    capital = lambda found: [j for j in found.conditions if j.condition.check and j.condition.check.fact == "registered_capital"]
    assert [j.status for j in capital(single)] == ["met"]
    assert [j.status for j in capital(multi)] == ["not_met"]
    unknown = requirements_for(catalogue, "B13", coverage_scope=None, as_of=TODAY)
    assert {j.status for j in capital(unknown)} == {"unknown"} and len(capital(unknown)) == 2


def test_basic_service_needs_state_control(catalogue):
    found = requirements_for(catalogue, "A14-4", coverage_scope="multi_province", as_of=TODAY,
                             company=Company(state_share=0.2, registered_capital=2e9))
    state = [j for j in found.conditions if j.condition.check and j.condition.check.fact == "state_share"]
    assert state and all(j.status == "not_met" for j in state)


def test_foreign_cap_condition_depends_on_zone_and_date(catalogue):
    company = Company(foreign_share=1.0, location="上海临港新片区")
    before = requirements_for(catalogue, "B11", coverage_scope="single_province", items=("B11.ircs",),
                              company=company, as_of=dt.date(2024, 10, 22))
    after = requirements_for(catalogue, "B11", coverage_scope="single_province", items=("B11.ircs",),
                             company=company, as_of=dt.date(2024, 10, 23))
    cap = lambda found: next(j.status for j in found.conditions if j.condition.check and j.condition.check.foreign_cap)
    assert (cap(before), cap(after)) == ("not_met", "met")


def test_steps_are_ordered_with_statutory_review_limits(catalogue):
    vats = requirements_for(catalogue, "B25", coverage_scope="multi_province", as_of=TODAY)
    orders = [s.order for s in vats.steps]
    assert orders == sorted(orders)
    review = [s for s in vats.steps if s.basis == "statutory" and s.duration == 60]
    assert review, "VATS review within 60 days (条例 art 14)"
    basic = requirements_for(catalogue, "A14-4", coverage_scope="multi_province", as_of=TODAY)
    assert any(s.duration == 180 and s.basis == "statutory" for s in basic.steps), "basic review 180 days (art 11)"


def test_obligations_after_grant(catalogue):
    found = requirements_for(catalogue, "B12", coverage_scope="multi_province", as_of=TODAY)
    text = " ".join(o.label_zh + (o.when_zh or "") for o in found.obligations)
    assert "年报" in text or "年度" in text
    assert "90" in text and "30" in text


def test_penalties_quote_article_69_correctly(catalogue):
    found = requirements_for(catalogue, "B13", coverage_scope="multi_province", as_of=TODAY)
    art69 = [p for p in found.penalties if p.article and "六十九" in p.article]
    assert art69 and "3" in art69[0].amount_zh and "5" in art69[0].amount_zh
    assert not any("1-3倍" in (p.amount_zh or "") or "1至3倍" in (p.amount_zh or "") for p in found.penalties)


def test_dated_entries_come_and_go(catalogue):
    # The FITE foreign-investor experience requirement was deleted by the 2022 revision (in force 2022-05-01).
    ids = lambda day: _ids(requirements_for(catalogue, "B13", coverage_scope="multi_province", as_of=day))
    assert "vats.fite.experience" in ids(dt.date(2021, 1, 1))
    assert "vats.fite.experience" not in ids(dt.date(2023, 1, 1))


def test_statutory_conditions_come_before_practice(catalogue):
    found = requirements_for(catalogue, "B13", coverage_scope="multi_province", as_of=TODAY)
    bases = [j.condition.basis for j in found.conditions]
    assert bases == sorted(bases, key=lambda b: b != "statutory") and "practice" in bases
