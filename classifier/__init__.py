"""tlc — which PRC telecom licences a service needs, and which red lines it crosses.

The pipeline, one module per stage: text -> signals -> facts -> forward chaining -> findings -> report.
The knowledge (catalogue, names, rules, requirements) is data in ``knowledge/``; this package interprets it.
"""
from __future__ import annotations

from classifier.knowledge.catalogue import Catalogue
from classifier.knowledge.loader import load_catalogue
from classifier.pipeline import classify
from classifier.errors import EngineError, InputError, KnowledgeError, TlcError, UnknownCodeError
from classifier.knowledge.files import KnowledgeBase
from classifier.knowledge.loader import load_knowledge
from classifier.findings.result import Result

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
