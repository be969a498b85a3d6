"""What a licence takes and obliges, for one company on one date.

The entries are data (``knowledge/requirements/*.yaml``); this module selects those that apply to a
code, coverage and date, and judges each condition that has a ``check`` against what the company
told us: ``met``, ``not_met`` or ``unknown`` (the fact is missing, or the condition has no check and
the applicant must confirm it). Foreign-ownership conditions reuse the cap table.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from classifier.knowledge.catalogue import Catalogue
from classifier.findings.foreign_investment import decide_cap, zones_of
from classifier.knowledge.schema import Prerequisite, Requirement

STATUSES = ("met", "not_met", "unknown")


@dataclass(frozen=True)
class Company:
    """The facts about the applicant that conditions are judged against (None: unknown)."""

    registered_capital: float | None = None
    state_share: float | None = None
    dishonest_listed: bool | None = None
    foreign_share: float | None = None
    location: str | None = None


@dataclass(frozen=True)
class Judged:
    condition: Prerequisite
    status: str
    detail_zh: str
    detail_en: str
    needs: str | None = None   # the fact that would settle an unknown


@dataclass(frozen=True)
class LicenceRequirements:
    code: str
    coverage_scope: str | None
    as_of: dt.date
    conditions: tuple[Judged, ...]
    materials: tuple[Requirement, ...]
    steps: tuple[Requirement, ...]
    obligations: tuple[Requirement, ...]
    penalties: tuple[Requirement, ...]

    def unknown_facts(self) -> set[str]:
        return {j.needs for j in self.conditions if j.status == "unknown" and j.needs}

    def statuses(self) -> tuple[tuple[str, str], ...]:
        return tuple((j.condition.id, j.status) for j in self.conditions)

    def to_dict(self) -> dict[str, Any]:
        def entry(r: Requirement) -> dict[str, Any]:
            data = r.model_dump(mode="json", exclude_none=True, exclude={"applies_to", "check"})
            return data

        return {
            "code": self.code,
            "coverage_scope": self.coverage_scope,
            "as_of": self.as_of.isoformat(),
            "conditions": [dict(entry(j.condition), status=j.status, detail_zh=j.detail_zh, detail_en=j.detail_en,
                                needs=j.needs) for j in self.conditions],
            "materials": [entry(r) for r in self.materials],
            "steps": [entry(r) for r in self.steps],
            "obligations": [entry(r) for r in self.obligations],
            "penalties": [entry(r) for r in self.penalties],
        }


def _in_force(entry: Requirement, as_of: dt.date) -> bool:
    return (entry.valid_from is None or entry.valid_from <= as_of) and (entry.valid_to is None or as_of < entry.valid_to)


def applies(catalogue: Catalogue, entry: Requirement, code: str, coverage_scope: str | None, as_of: dt.date) -> bool:
    """Does ``entry`` apply to ``code`` at this coverage on this date? Unknown coverage keeps both."""
    if not _in_force(entry, as_of):
        return False
    target = catalogue.entry(code)
    selector = entry.applies_to
    kinds = {target.kind} | ({target.treated_as} if target.treated_as else set())
    if selector.kinds and not kinds.intersection(selector.kinds):
        return False
    if selector.codes and not {code, *catalogue.ancestors(code)}.intersection(selector.codes):
        return False
    if selector.coverage and coverage_scope and selector.coverage != coverage_scope:
        return False
    return True


def _money(value: float) -> str:
    return f"{value / 10000:g}万" if value < 1e8 else f"{value / 1e8:g}亿"


def judge(catalogue: Catalogue, condition: Prerequisite, code: str, items: tuple[str, ...], company: Company,
          as_of: dt.date, activities: frozenset[str] = frozenset()) -> Judged:
    check = condition.check
    if check is None:
        return Judged(condition, "unknown", "需申请人自行确认", "for the applicant to confirm")
    if check.foreign_cap:
        if company.foreign_share is None:
            return Judged(condition, "unknown", "外资比例未知", "foreign share unknown", "foreign_share")
        table = catalogue.kb.foreign
        decision = decide_cap(table, catalogue, code, items, zones_of(table, company.location, as_of), as_of,
                              activities) if table else None
        if decision is None:
            return Judged(condition, "unknown", "无适用的股比规定", "no cap found for this code")
        if decision.zone_dependent and company.location is None and company.foreign_share > decision.max_share:
            return Judged(condition, "unknown", "上限取决于注册地", "the cap depends on where the company is registered",
                          "location")
        ok = company.foreign_share <= decision.max_share + 1e-9
        caps = ", ".join(c.id for c in decision.caps)
        return Judged(condition, "met" if ok else "not_met",
                      f"外资{company.foreign_share:.0%}，上限{decision.max_share:.0%}（{caps}）",
                      f"foreign share {company.foreign_share:.0%}, cap {decision.max_share:.0%} ({caps})")
    value = getattr(company, check.fact)
    if value is None:
        return Judged(condition, "unknown", f"{check.fact} 未知", f"{check.fact} unknown", check.fact)
    if check.min is not None:
        ok = value >= check.min
        if check.fact == "registered_capital":
            zh, en = f"注册资本{_money(value)}，要求≥{_money(check.min)}", f"capital RMB {value:,.0f}, needs ≥ {check.min:,.0f}"
        else:
            zh, en = f"{value:.0%}，要求≥{check.min:.0%}", f"{value:.0%}, needs ≥ {check.min:.0%}"
        return Judged(condition, "met" if ok else "not_met", zh, en)
    ok = value == check.equals
    return Judged(condition, "met" if ok else "not_met", f"{check.fact}：{'是' if value else '否'}",
                  f"{check.fact}: {'yes' if value else 'no'}")


def requirements_for(catalogue: Catalogue, code: str, *, coverage_scope: str | None = None, items: tuple[str, ...] = (),
                     company: Company = Company(), as_of: dt.date | None = None,
                     activities: frozenset[str] = frozenset()) -> LicenceRequirements:
    """Everything a licence for ``code`` takes and obliges, judged for ``company`` on ``as_of``."""
    day = as_of or dt.date.today()
    entry = catalogue.entry(code)
    lists = catalogue.kb.requirements

    def select(name: str) -> list:
        return [r for r in lists.get(name, ()) if applies(catalogue, r, entry.code, coverage_scope, day)]

    # The law first, then what licensing offices ask for in practice (each group in file order).
    ordered = sorted(select("conditions"), key=lambda c: c.basis != "statutory")
    conditions = tuple(judge(catalogue, c, entry.code, items, company, day, activities) for c in ordered)
    steps = tuple(sorted(select("steps"), key=lambda s: (s.order, s.id)))
    return LicenceRequirements(entry.code, coverage_scope, day, conditions, tuple(select("materials")), steps,
                               tuple(select("obligations")), tuple(select("penalties")))
