"""The package layout shows the pipeline: each stage imports only the stages before it, and no module
imports another that (directly or not) imports it back.

Layers, lowest first: foundations (errors, normalise, budget), knowledge, text, engine, findings, pipeline,
surfaces, and the package's own entry points (``classifier/__init__``, ``__main__``).
"""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "classifier"
LAYERS = {"errors": 0, "normalise": 0, "budget": 0, "knowledge": 1, "text": 2, "engine": 3, "findings": 4, "pipeline": 5,
          "surfaces": 6, "__init__": 7, "__main__": 7, "spark": 7}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS["__init__"] if len(parts) == 1 else LAYERS[parts[1]]


def import_graph() -> nx.DiGraph:
    """Every import of a ``classifier`` module by another, at any depth of the importing file."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            for target in targets:
                if target in modules and target != name and target.startswith("classifier"):
                    graph.add_edge(name, target)
                    break
    return graph


def test_every_module_belongs_to_a_layer():
    for module in import_graph():
        _layer(module)


def test_no_import_runs_back_up_the_pipeline():
    upward = [(a, b) for a, b in import_graph().edges if _layer(b) > _layer(a)]
    assert not upward, f"imports from a later stage: {upward}"


def test_no_import_cycle():
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, f"import cycles: {cycles}"


def test_durable_rules_stays_inside_the_engine():
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "durable" in source and "import" in source:
            uses = any(line.strip().startswith(("import durable", "from durable")) for line in source.splitlines())
            assert not uses or _module(path).startswith("classifier.engine"), path
