"""Load the checked knowledge base, and what is built from it, once per process.

``inspect_knowledge`` reads every file (``files.py``) and checks the whole (``integrity.py``), returning
every problem found, for ``tlc validate``; ``load_knowledge`` refuses to return a knowledge base that
has any, so the engine never answers from a broken one. Each product is cached per directory.
"""
from __future__ import annotations

import functools
from pathlib import Path

from classifier.errors import KnowledgeError
from classifier.knowledge.catalogue import Catalogue
from classifier.knowledge.files import KnowledgeBase, Problem, default_root, read_knowledge
from classifier.knowledge.integrity import check
from classifier.knowledge.names import NameIndex


def knowledge_root(root: Path | str | None = None) -> Path:
    """The knowledge directory ``root`` names (default: ``default_root()``), absolute and resolved, so that
    one directory named two ways (relative, absolute, the default) is read and built from only once."""
    return _resolved(Path(root) if root is not None else default_root())


@functools.lru_cache(maxsize=64)
def _resolved(path: Path) -> Path:
    return path.resolve()


def inspect_knowledge(root: Path | None = None) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Read and check the knowledge base; return it (if readable at all) and every problem found."""
    root = Path(root) if root is not None else default_root()
    kb, problems = read_knowledge(root)
    if kb is not None:
        problems = problems + check(kb)
    return kb, problems


@functools.lru_cache(maxsize=8)
def _load_cached(root: Path) -> KnowledgeBase:
    kb, problems = inspect_knowledge(root)
    if problems or kb is None:
        more = f" (and {len(problems) - 1} more; run `tlc validate`)" if len(problems) > 1 else ""
        raise KnowledgeError(f"knowledge base is invalid: {problems[0]}{more}")
    return kb


def load_knowledge(root: Path | None = None) -> KnowledgeBase:
    """The checked knowledge base at ``root`` (default: the shipped one), read once per process."""
    return _load_cached(knowledge_root(root))


@functools.lru_cache(maxsize=8)
def _catalogue(root: Path) -> Catalogue:
    return Catalogue(load_knowledge(root))


def load_catalogue(root: Path | None = None) -> Catalogue:
    """The catalogue of the knowledge base at ``root`` (default: shipped), built once per process."""
    return _catalogue(knowledge_root(root))


@functools.lru_cache(maxsize=8)
def _name_index(root: Path) -> NameIndex:
    return NameIndex(load_knowledge(root))


def load_name_index(root: Path | None = None) -> NameIndex:
    """The name index of the knowledge base at ``root`` (default: shipped), built once per process."""
    return _name_index(knowledge_root(root))
