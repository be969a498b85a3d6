"""Start-up builds nothing twice: one knowledge directory, however it is named, gives one knowledge base,
one catalogue and one classifier per process. (The time itself is measured by benchmarks/bench_startup.py.)"""
from __future__ import annotations

import os

from classifier.knowledge.loader import default_root, load_catalogue, load_knowledge, load_name_index
from classifier.pipeline import get_classifier


def test_one_directory_named_three_ways_is_built_once(monkeypatch):
    root = default_root().resolve()
    monkeypatch.chdir(root.parent)
    ways = (None, root, str(root), root.name, f"./{root.name}/")
    if os.environ.get("TLC_KNOWLEDGE"):
        ways = ways[1:]
    assert len({id(get_classifier(way)) for way in ways}) == 1
    assert len({id(load_catalogue(way)) for way in ways}) == 1
    assert len({id(load_knowledge(way)) for way in ways}) == 1
    assert len({id(load_name_index(way)) for way in ways}) == 1
    assert get_classifier(root.name).catalogue is load_catalogue(None)
