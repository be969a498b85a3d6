"""Typed errors at the package boundary.

Every failure a user can cause (bad input, a broken knowledge file, an unknown code) is one of these,
so the CLI can print one clear line and exit 2, and an embedding program can catch them by type.
Anything else that escapes is a defect in the tool itself.
"""
from __future__ import annotations


class TlcError(Exception):
    """Base of every error the tool reports to its user. ``code`` is a stable machine-readable name
    (given beside the message over HTTP); the CLI exits with ``exit_code``."""

    exit_code = 2
    code = "error"

    def __init__(self, message: str = "", *, code: str | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code


class KnowledgeError(TlcError):
    """A knowledge file is missing, malformed, or inconsistent with the rest of the knowledge base."""

    code = "knowledge_invalid"

    def __init__(self, message: str, *, file: str | None = None, entry: str | None = None):
        self.file = file
        self.entry = entry
        where = ": ".join(part for part in (file, entry) if part)
        super().__init__(f"{where}: {message}" if where else message)


class InputError(TlcError):
    """The text or profile given to the tool cannot be classified as it stands."""

    code = "invalid_input"


class InvalidText(InputError):
    """A text that cannot be read: empty, too long, binary, invalid characters (empty_text, text_too_long,
    binary_text, invalid_characters, invalid_utf8, not_a_string)."""

    code = "invalid_text"


class InvalidProfile(InputError):
    """A profile whose facts are unknown, of the wrong type, or out of range (invalid_profile, unknown_fact,
    unknown_province, unknown_code)."""

    code = "invalid_profile"


class InvalidAnswer(InputError):
    """An answer to a follow-up question that cannot be read (invalid_answer, invalid_answers, unknown_fact)."""

    code = "invalid_answer"


class InvalidDate(InputError):
    """A date that is not a date, or one outside the catalogue's era (invalid_date, date_out_of_range)."""

    code = "invalid_date"


class UnknownKind(InputError):
    """A kind of document the knowledge base does not declare."""

    code = "unknown_kind"


class MalformedDocument(InputError):
    """A JSON, JSONL, YAML or CSV input that cannot be parsed safely (malformed_json, malformed_yaml,
    yaml_aliases, nesting_too_deep, invalid_utf8, malformed_csv, field_too_large)."""

    code = "malformed_document"


class FileProblem(InputError):
    """A file that cannot be read or written as asked (file_not_found, file_unreadable, invalid_output,
    output_is_input, unknown_format)."""

    code = "file_problem"


class MissingColumn(InputError):
    """A column (or JSON key) the caller named is not in the input or does not hold text, or a result
    column would overwrite one that is (missing_column, invalid_column_type, column_clash)."""

    code = "missing_column"


class Unavailable(TlcError):
    """A part of tlc this installation cannot run: an optional extra that is not installed
    (MissingExtraError, missing_extra), a runtime it needs that is not found (java_not_found), or no browser to print
    a PDF (PdfUnavailable)."""

    code = "unavailable"


class TimeLimitExceeded(TlcError):
    """A classification that did not finish within its time budget (``TLC_TIME_LIMIT`` seconds)."""

    code = "time_limit"


class UnknownCodeError(TlcError):
    """A catalogue code (or name) that the knowledge base does not know."""

    def __init__(self, code: str, candidates: tuple[str, ...] = ()):
        self.unknown = code
        self.candidates = candidates
        hint = f"; did you mean {', '.join(candidates)}?" if candidates else ""
        super().__init__(f"unknown catalogue code {code!r}{hint}", code="unknown_code")


class EngineError(TlcError):
    """The rule engine failed while chaining (an action raised, or a durable_rules limit was hit)."""

    code = "engine_error"


class MissingExtraError(Unavailable):
    """A surface needs packages of an extra that is not installed (the core install leaves them out)."""

    code = "missing_extra"

    def __init__(self, what: str, extra: str, missing: str):
        self.what = what
        self.extra = extra
        self.missing = missing
        super().__init__(f"{what} needs the [{extra}] extra ({missing} is not installed): "
                         f"pip install 'tlc-classifier[{extra}]'")


class PdfUnavailable(Unavailable):
    """A PDF was asked for but cannot be made here: no Chromium to print it (pdf_unavailable), or the
    browser did not produce one (pdf_failed)."""

    code = "pdf_unavailable"
