"""The compiler turns YAML rules into durable_rules JSON and refuses rulesets near the engine's limits."""
from __future__ import annotations

import pytest

from classifier.errors import KnowledgeError
from classifier.engine.compiler import CTX_RULE, MAX_SIBLINGS, SENTINEL, compile_stage
from classifier.knowledge.schema import Rule


def rule(rule_id, when, then=({"activity": "x"},)):
    return Rule.model_validate({"id": rule_id, "description": "d", "when": when, "then": list(then),
                                "sources": ["P1"]})


def test_positive_atoms_become_patterns_and_negations_test_ctx():
    stage = compile_stage("activities", (rule("a.b", {"all": [{"signal": "svc.vpn"}],
                                                      "none": [{"fact": "customers", "value": "own_staff"}]}),))
    patterns = stage.definition["a.b"]["all"]
    assert patterns[0] == {"ctx": {"$and": [{"t": "ctx"},
                                            {"$iall": {"facts": {"$neq": {"$i": "customers=own_staff"}}}}]}}
    assert patterns[1] == {"a0": {"$and": [{"t": "signal"}, {"name": "svc.vpn"}, {"scope": "asserted"}]}}
    assert CTX_RULE in stage.definition


def test_any_groups_expand_into_alternatives():
    stage = compile_stage("facts", (rule("a.any", {"all": [{"any": [{"signal": "svc.vpn"}, {"signal": "svc.cdn"}]}]}),))
    assert {"a.any", "a.any#1"} <= set(stage.definition)
    assert stage.rules["a.any#1"].rule.id == "a.any"


def test_handles_only_facts_some_pattern_matches():
    stage = compile_stage("facts", (rule("a.b", {"all": [{"signal": "svc.vpn"}]}),))
    assert stage.handles({"t": "signal", "name": "svc.vpn", "scope": "asserted", "code": ""})
    assert not stage.handles({"t": "signal", "name": "svc.vpn", "scope": "negated", "code": ""})
    assert stage.handles({"t": "ctx", "facts": [SENTINEL]})


def test_dates_compile_to_ctx_tests():
    import datetime as dt

    r = Rule.model_validate({"id": "a.d", "description": "d", "when": {"all": [{"signal": "svc.vpn"}]},
                             "then": [{"activity": "x"}], "sources": ["P1"], "valid_from": dt.date(2019, 6, 6)})
    ctx = compile_stage("facts", (r,)).definition["a.d"]["all"][0]["ctx"]
    assert {"$gte": {"as_of": 20190606}} in ctx["$and"]


def test_refuses_more_tests_under_one_node_than_durable_rules_survives():
    # durable_rules hangs once 512 alpha tests share a parent; the compiler must refuse well before.
    rules = tuple(rule(f"a.r{i}", {"all": [{"signal": f"svc.s{i}"}]}) for i in range(MAX_SIBLINGS + 1))
    with pytest.raises(KnowledgeError, match="share one node"):
        compile_stage("facts", rules)


def test_fresh_definition_is_a_copy():
    stage = compile_stage("facts", (rule("a.b", {"all": [{"signal": "svc.vpn"}]}),))
    copy = stage.fresh_definition()
    del copy["a.b"]["run"]
    assert "run" in stage.definition["a.b"]
