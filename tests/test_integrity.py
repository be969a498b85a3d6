"""The validator: a clean knowledge base passes; each kind of damage is found and located."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from classifier.knowledge.loader import inspect_knowledge, load_knowledge
from classifier.errors import KnowledgeError

from conftest import run_cli


def test_shipped_knowledge_is_clean():
    kb, problems = inspect_knowledge()
    assert kb is not None
    assert [str(p) for p in problems] == []


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _entry(data, code):
    return next(e for e in data["entries"] if e["code"] == code)


def _messages(root: Path) -> list[str]:
    _, problems = inspect_knowledge(root)
    return [str(p) for p in problems]


def test_unknown_parent(knowledge_copy):
    _edit(knowledge_copy / "catalogue/value_added.yaml", lambda d: _entry(d, "B13").update(parent="B9"))
    assert any("B13: unknown parent 'B9'" in m for m in _messages(knowledge_copy))


def test_fact_without_a_source(knowledge_copy):
    _edit(knowledge_copy / "catalogue/value_added.yaml", lambda d: _entry(d, "B12").update(sources=[]))
    messages = _messages(knowledge_copy)
    assert any("value_added.yaml: B12: sources:" in m for m in messages), messages


def test_unknown_source_id(knowledge_copy):
    _edit(knowledge_copy / "catalogue/value_added.yaml", lambda d: _entry(d, "B12").update(sources=["NOPE"]))
    assert any("B12: cites unknown source 'NOPE'" in m for m in _messages(knowledge_copy))


def test_code_resting_on_guides_alone(knowledge_copy):
    _edit(knowledge_copy / "catalogue/value_added.yaml", lambda d: _entry(d, "B13").update(sources=["SEED-000"]))
    assert any("B13: a code may not rest on consultancy guides alone" in m for m in _messages(knowledge_copy))


def test_bad_date(knowledge_copy):
    _edit(knowledge_copy / "catalogue/value_added.yaml", lambda d: _entry(d, "B13").update(valid_from="2016-13-01"))
    assert any("B13: valid_from:" in m for m in _messages(knowledge_copy))


def test_valid_to_before_valid_from(knowledge_copy):
    import datetime as dt

    _edit(knowledge_copy / "catalogue/value_added.yaml",
          lambda d: _entry(d, "B13").update(valid_to=dt.date(2010, 1, 1)))
    assert any("valid_to must be after valid_from" in m for m in _messages(knowledge_copy))


def test_duplicate_code(knowledge_copy):
    def dup(data):
        data["entries"].append(dict(_entry(data, "B12")))

    _edit(knowledge_copy / "catalogue/value_added.yaml", dup)
    assert any("B12: duplicate code" in m for m in _messages(knowledge_copy))


def test_misspelt_field(knowledge_copy):
    _edit(knowledge_copy / "catalogue/value_added.yaml", lambda d: _entry(d, "B14").update(defintion_zh="x"))
    assert any("B14: defintion_zh: Extra inputs are not permitted" in m for m in _messages(knowledge_copy))


def test_parent_cycle(knowledge_copy):
    # B1 -> B11 -> B1: the prefix rule and the cycle check both fire.
    _edit(knowledge_copy / "catalogue/value_added.yaml", lambda d: _entry(d, "B1").update(parent="B11"))
    assert any("parent cycle" in m for m in _messages(knowledge_copy))


def test_name_mapping_to_two_codes(knowledge_copy):
    def clash(data):
        data["names"].append({"name": "I S P", "code": "B11", "form": "abbreviation", "sources": ["S-KR"]})

    _edit(knowledge_copy / "names.yaml", clash)
    assert any("I S P: name also maps to B14" in m for m in _messages(knowledge_copy))


def test_name_with_unknown_code(knowledge_copy):
    def bad(data):
        data["names"].append({"name": "带宽转售", "code": "A26-1", "form": "colloquial", "sources": ["S-KR"]})

    _edit(knowledge_copy / "names.yaml", bad)
    assert any("带宽转售: unknown code 'A26-1'" in m for m in _messages(knowledge_copy))


def test_relation_to_unknown_code_and_escalation_to_value_added(knowledge_copy):
    def bad(data):
        data["relations"].append({"type": "escalates_to", "from": "B13", "to": "B14", "when": "cross_border",
                                  "note_zh": "x", "note_en": "x", "sources": ["P1"]})
        data["relations"].append({"type": "confused_with", "from": "B13", "to": "A99",
                                  "note_zh": "x", "note_en": "x", "sources": ["P1"]})

    _edit(knowledge_copy / "relations.yaml", bad)
    messages = _messages(knowledge_copy)
    assert any("B13 escalates_to B14: escalates_to must lead to a basic service" in m for m in messages)
    assert any("unknown code 'A99'" in m for m in messages)


def test_malformed_yaml_file_is_reported_not_raised(knowledge_copy):
    (knowledge_copy / "relations.yaml").write_text("relations: [\n", encoding="utf-8")
    messages = _messages(knowledge_copy)
    assert any(m.startswith("knowledge/relations.yaml: malformed YAML") for m in messages)


def test_load_refuses_a_broken_knowledge_base(knowledge_copy):
    (knowledge_copy / "sources.yaml").unlink()
    with pytest.raises(KnowledgeError, match="knowledge base is invalid"):
        load_knowledge(knowledge_copy)


def test_validate_command_clean(capsys):
    code, out, err = run_cli(capsys, "validate")
    assert code == 0, err
    assert out.startswith("knowledge base OK:") and "codes" in out and out.count("\n") == 1


def test_validate_command_broken(capsys, knowledge_copy):
    _edit(knowledge_copy / "catalogue/value_added.yaml", lambda d: _entry(d, "B13").update(parent="B9"))
    code, out, err = run_cli(capsys, "--knowledge", str(knowledge_copy), "validate")
    assert code == 2
    assert "knowledge/catalogue/value_added.yaml: B13: unknown parent 'B9'" in err
    assert "Traceback" not in err


def test_missing_knowledge_directory(capsys, tmp_path):
    code, _, err = run_cli(capsys, "--knowledge", str(tmp_path / "none"), "catalogue", "show", "B13")
    assert code == 2
    assert err.startswith("tlc: error: knowledge base is invalid") and "not found" in err


def test_escalation_condition_must_be_an_activity_the_rules_conclude(knowledge_copy):
    def bad(data):
        data["relations"].append({"type": "escalates_to", "from": "B12", "to": "A14-1", "when": "teleportation",
                                  "note_zh": "x", "note_en": "x", "sources": ["P1"]})

    _edit(knowledge_copy / "relations.yaml", bad)
    assert any("`when: teleportation` is no activity any rule concludes" in m for m in _messages(knowledge_copy))


def _source(data, source_id):
    return next(s for s in data["sources"] if s["id"] == source_id)


def test_a_source_link_must_be_a_complete_address(knowledge_copy):
    """A template placeholder or a bare path can never reach a reader as a link."""
    _edit(knowledge_copy / "sources.yaml", lambda d: _source(d, "P1").update(url="https://example.org/a/{{href}}"))
    _edit(knowledge_copy / "sources.yaml", lambda d: _source(d, "P2").update(url="LawRefBook/Laws/电信条例.md"))
    messages = _messages(knowledge_copy)
    assert any("P1: url:" in m and "not a complete http(s) address" in m for m in messages), messages
    assert any("P2: url:" in m for m in messages), messages


def test_a_source_date_is_a_year_month_or_day(knowledge_copy):
    _edit(knowledge_copy / "sources.yaml", lambda d: _source(d, "P1").update(date="2016年"))
    assert any("P1: date:" in m for m in _messages(knowledge_copy))


def test_a_red_line_has_a_title_in_both_languages(knowledge_copy):
    _edit(knowledge_copy / "red_lines.yaml",
          lambda d: next(r for r in d["red_lines"] if r["id"] == "bandwidth_resale").pop("title_en"))
    assert any("bandwidth_resale: title_en:" in m for m in _messages(knowledge_copy))


def test_shipped_sources_show_readers_no_internal_location():
    """What a reader is shown of a source (title, issuer, date, url) never names a repository file."""
    kb = load_knowledge()
    for source in kb.sources.values():
        shown = " ".join(filter(None, (source.title, source.issuer, source.date, source.url)))
        for internal in ("LawRefBook", ".md", ".txt", "../", "GitHub file", "{{"):
            assert internal not in shown, (source.id, internal)


def test_knowledge_version_follows_the_files(knowledge_copy):
    from classifier.knowledge.files import knowledge_digest

    before = knowledge_digest(knowledge_copy)
    assert before == knowledge_digest(knowledge_copy) and before.startswith("kb-") and len(before) == 15
    _edit(knowledge_copy / "sources.yaml", lambda d: _source(d, "P1").update(title="《电信条例》"))
    assert knowledge_digest(knowledge_copy) != before
