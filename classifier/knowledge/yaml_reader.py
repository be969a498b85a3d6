"""Read knowledge YAML strictly.

PyYAML silently keeps the last of two duplicate keys (``a: 1\na: 2`` loads as ``{'a': 2}``); in a legal
knowledge base that hides a conflicting edit, so duplicates are an error here (as OpenFisca does). The
libyaml-backed loader is used when present because it is an order of magnitude faster.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from classifier.errors import KnowledgeError

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that refuses duplicate mapping keys."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            line = key_node.start_mark.line + 1
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {line})", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

ALIASES_REFUSED = "aliases (*name) are not accepted in input documents"


class UntrustedLoader(yaml.SafeLoader):
    """For documents users send (profiles, audit inputs): strict like the knowledge loader, and refusing
    aliases, so a few hundred bytes cannot expand into gigabytes (a billion-laughs document). Pure
    Python, so that its composer can see each alias."""

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML's hook
        if self.check_event(yaml.events.AliasEvent):
            raise yaml.composer.ComposerError(None, None, ALIASES_REFUSED, self.peek_event().start_mark)
        return super().compose_node(parent, index)


UntrustedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, *, source: str = "<text>", untrusted: bool = False) -> Any:
    """Parse YAML text strictly; errors become KnowledgeError naming ``source`` and the line.

    ``untrusted`` (a document a user sent) also refuses aliases and documents nested too deeply.
    """
    try:
        return yaml.load(text, Loader=UntrustedLoader if untrusted else StrictLoader)  # noqa: S506 - safe loaders
    except RecursionError:
        raise KnowledgeError("nested too deeply", file=source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise KnowledgeError(f"malformed YAML{where}: {problem}", file=source) from None


def read_yaml(path: Path) -> Any:
    """Read one YAML file; a missing, unreadable or non-UTF-8 file is a KnowledgeError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError("file not found", file=str(path)) from None
    except UnicodeDecodeError:
        raise KnowledgeError("not UTF-8 text", file=str(path)) from None
    except OSError as exc:
        raise KnowledgeError(f"cannot read: {exc.strerror}", file=str(path)) from None
    return parse_yaml(text, source=str(path))
