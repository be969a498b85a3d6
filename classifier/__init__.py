"""tlc — which PRC telecom licences a service needs, and which red lines it crosses.

The pipeline, one module per stage: text -> signals -> facts -> forward chaining -> findings -> report.
The knowledge (catalogue, names, rules, requirements) is data in ``knowledge/``; this package interprets it.
"""
from __future__ import annotations

from .catalogue import Catalogue, load_catalogue
from .classify import classify
from .errors import EngineError, InputError, KnowledgeError, TlcError, UnknownCodeError
from .knowledge_base import KnowledgeBase, load_knowledge
from .report import Result

__all__ = [
    "Catalogue",
    "EngineError",
    "InputError",
    "KnowledgeBase",
    "KnowledgeError",
    "Result",
    "TlcError",
    "UnknownCodeError",
    "classify",
    "load_catalogue",
    "load_knowledge",
]
__version__ = "0.1.0"
