"""`tlc catalogue ...` as a user runs it: answers on stdout, one-line errors on stderr, exit codes."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pydot

from conftest import run_cli


def test_show_is_bilingual_with_sources_and_relations(capsys):
    code, out, err = run_cli(capsys, "catalogue", "show", "B13")
    assert code == 0, err
    assert out.startswith("B13  国内互联网虚拟专用网业务")
    assert "Definition" in out and "定义" in out
    assert "A14-4" in out  # escalates to international data communication
    assert "Sources:" in out


def test_show_json(capsys):
    code, out, _ = run_cli(capsys, "catalogue", "show", "B11", "--json")
    data = json.loads(out)
    assert code == 0 and data["code"] == "B11" and data["path"] == ["B", "B1"]
    assert {i["id"] for i in data["licence_items"]} >= {"B11.ircs", "B11.no-ircs"}
    assert all("title" in s for s in data["sources"])


def test_show_unknown_code_is_one_line_exit_2(capsys):
    code, out, err = run_cli(capsys, "catalogue", "show", "B99")
    assert code == 2 and out == ""
    assert err.startswith("tlc: error: unknown catalogue code 'B99'") and err.count("\n") == 1


def test_lookup_2003_wording(capsys):
    code, out, _ = run_cli(capsys, "catalogue", "lookup", "因特网接入服务业务")
    assert code == 0 and out.startswith("B14")


def test_lookup_unknown_lists_candidates_and_exits_1(capsys):
    code, out, _ = run_cli(capsys, "catalogue", "lookup", "互联网接入业务许可")
    assert code == 1
    assert "nearest names" in out and "B14" in out


def test_lookup_empty_name_exit_2(capsys):
    code, out, err = run_cli(capsys, "catalogue", "lookup", "  ")
    assert code == 2 and err.startswith("tlc: error: empty name")


def test_lookup_json(capsys):
    code, out, _ = run_cli(capsys, "catalogue", "lookup", "CDN全网证", "--json")
    data = json.loads(out)
    assert data["found"] and data["matches"][0]["code"] == "B12" and data["coverage"] == "multi_province"


def test_tree_lists_every_code_once(capsys, catalogue):
    code, out, _ = run_cli(capsys, "catalogue", "tree")
    listed = [line.split()[0] for line in out.splitlines()]
    assert code == 0 and sorted(listed) == sorted(catalogue.codes())
    assert out.splitlines()[0].startswith("A  ")


def test_graph_dot_parses_and_has_every_code(capsys, catalogue):
    code, out, _ = run_cli(capsys, "catalogue", "graph", "--format", "dot")
    assert code == 0
    (graph,) = pydot.graph_from_dot_data(out)
    nodes = {n.get_name().strip('"') for n in graph.get_nodes()} - {"node"}
    assert nodes == set(catalogue.codes())
    assert any((e.get("label") or "").strip('"') == "escalates_to" for e in graph.get_edges())


def test_graph_svg_is_xml_with_every_code(capsys, tmp_path, catalogue):
    target = tmp_path / "g.svg"
    code, _, err = run_cli(capsys, "catalogue", "graph", "--format", "svg", "-o", str(target))
    assert code == 0, err
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    texts = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    for code_ in catalogue.codes():
        assert f"{code_} " in texts


def test_unknown_command_is_usage_error(capsys):
    code, _, err = run_cli(capsys, "catalogue", "frobnicate")
    assert code == 2 and "No such command" in err
