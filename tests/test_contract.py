"""The published schema validates every output: each case of tests/cases, full and brief, in every language."""
from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from classifier import classify
from classifier.findings.contract import Brief, Result, json_schema
from classifier.findings.views import LANGS, view
from tests.case_runner import load_cases
from tests.conftest import run_cli

RESULT = jsonschema.Draft202012Validator(json_schema(Result))
BRIEF = jsonschema.Draft202012Validator(json_schema(Brief))
CASES = load_cases()


def _errors(validator, data) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(data)]


@pytest.fixture(scope="module")
def outputs():
    """Every case classified with everything switched on (requirements, trace), once."""
    return [(case.id, classify(case.subject, as_of=case.data.get("as_of"), requirements=True)) for case in CASES]


def test_every_case_output_is_valid_under_the_published_schema(outputs):
    assert len(outputs) > 300
    problems = []
    for case_id, result in outputs:
        for lang in LANGS:
            problems += [f"{case_id} full/{lang} {e}" for e in _errors(RESULT, view(result, "full", lang, trace=True))]
            problems += [f"{case_id} brief/{lang} {e}" for e in _errors(BRIEF, view(result, "brief", lang))]
    assert not problems, "\n".join(problems[:20])


def test_the_schema_refuses_what_it_does_not_describe(outputs):
    """The check above can fail: an undeclared key, a wrong type or a missing key is an error."""
    _, result = next((i, r) for i, r in outputs if r.businesses and r.red_lines)
    data = view(result, "full", "both", trace=True)
    for mutate in (lambda d: d["businesses"][0].update(surprise=1), lambda d: d.update(status="fine"),
                   lambda d: d["red_lines"][0].pop("severity"), lambda d: d["businesses"][0]["evidence"][0].pop("start_utf16")):
        broken = copy.deepcopy(data)
        mutate(broken)
        assert _errors(RESULT, broken)


def test_lang_leaves_out_the_other_language(outputs):
    _, result = next((i, r) for i, r in outputs if r.businesses and r.red_lines and r.questions)
    for lang, gone, kept in (("zh", "_en", "_zh"), ("en", "_zh", "_en")):
        text = json.dumps(view(result, "full", lang))
        assert f'{gone}"' not in text and f'{kept}"' in text
    assert '_en"' in json.dumps(view(result)) and '_zh"' in json.dumps(view(result))


def test_brief_keeps_the_decision_and_one_citation_per_red_line(outputs):
    for _, result in outputs:
        data = view(result, "brief")
        assert [c["code"] for c in data["codes"]] == list(result.codes)
        assert [r["id"] for r in data["red_lines"]] == list(result.red_line_ids)
        assert [q["field"] for q in data["questions"]] == [q.field for q in result.questions]
        assert data["status"] == result.status
        for line, finding in zip(data["red_lines"], result.red_lines):
            assert line["citation"] == (finding.citations[0].to_dict() if finding.citations else None)


def test_evidence_offsets_count_code_points_and_utf16_units():
    text = "🚀🚀 我们提供CDN加速服务 😀 以及IDC托管"
    data = classify(text).to_dict()
    spans = [e for b in data["businesses"] for e in b["evidence"] if e["start"] is not None]
    assert spans
    utf16 = text.encode("utf-16-le")
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"]
        assert utf16[2 * span["start_utf16"]:2 * span["end_utf16"]].decode("utf-16-le") == span["text"]
        assert span["start_utf16"] > span["start"]


def test_tlc_schema_prints_the_published_schemas(capsys):
    code, out, _ = run_cli(capsys, "schema")
    assert code == 0 and json.loads(out) == json_schema(Result)
    code, out, _ = run_cli(capsys, "schema", "brief")
    assert code == 0 and json.loads(out)["properties"]["schema"]["const"] == "tlc.brief/1"
    code, out, _ = run_cli(capsys, "schema", "profile")
    profile = json.loads(out)
    assert profile["additionalProperties"] is False
    assert "multi_province" in profile["properties"]["coverage"]["description"]


def test_every_question_asked_can_be_answered_under_a_published_answers_key(outputs):
    from classifier.knowledge.loader import load_knowledge
    from classifier.text.profile import answers_schema, profile_schema

    vocabulary = load_knowledge().vocabulary
    keys, fields = set(answers_schema(vocabulary)["properties"]), set(profile_schema(vocabulary)["properties"])
    asked = {(q.fact, q.field) for _, result in outputs for q in result.questions}
    assert asked and all(fact in keys and field in keys and field in fields for fact, field in asked)
    assert all(answers_schema(vocabulary)["properties"][k]["description"] for k in keys)
