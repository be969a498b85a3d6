"""Typed errors at the package boundary.

Every failure a user can cause (bad input, a broken knowledge file, an unknown code) is one of these,
so the CLI can print one clear line and exit 2, and an embedding program can catch them by type.
Anything else that escapes is a defect in the tool itself.
"""
from __future__ import annotations


class TlcError(Exception):
    """Base of every error the tool reports to its user."""

    exit_code = 2


class KnowledgeError(TlcError):
    """A knowledge file is missing, malformed, or inconsistent with the rest of the knowledge base."""

    def __init__(self, message: str, *, file: str | None = None, entry: str | None = None):
        self.file = file
        self.entry = entry
        where = ": ".join(part for part in (file, entry) if part)
        super().__init__(f"{where}: {message}" if where else message)


class InputError(TlcError):
    """The text or profile given to the tool cannot be classified as it stands."""


class UnknownCodeError(TlcError):
    """A catalogue code (or name) that the knowledge base does not know."""

    def __init__(self, code: str, candidates: tuple[str, ...] = ()):
        self.code = code
        self.candidates = candidates
        hint = f"; did you mean {', '.join(candidates)}?" if candidates else ""
        super().__init__(f"unknown catalogue code {code!r}{hint}")


class EngineError(TlcError):
    """The rule engine failed while chaining (an action raised, or a durable_rules limit was hit)."""


class MissingExtraError(TlcError):
    """A surface needs packages of an extra that is not installed (the core install leaves them out)."""

    def __init__(self, what: str, extra: str, missing: str):
        self.what = what
        self.extra = extra
        self.missing = missing
        super().__init__(f"{what} needs the [{extra}] extra ({missing} is not installed): "
                         f"pip install 'tlc-classifier[{extra}]'")
