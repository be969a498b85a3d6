"""Read the knowledge directory into one immutable ``KnowledgeBase``.

Reading validates each file against its pydantic model (``schema.py``), entry by entry, so one bad
entry is reported by name while the good ones still load. Checks across files are ``integrity.py``'s;
``loader.py`` puts the two together.
"""
from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from classifier.knowledge import schema
from classifier.errors import KnowledgeError
from classifier.knowledge.vocabulary import Vocabulary
from classifier.knowledge.yaml_reader import read_yaml

ModelT = TypeVar("ModelT", bound=BaseModel)

KNOWLEDGE_ENV = "TLC_KNOWLEDGE"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, located by file and entry."""

    file: str
    entry: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}" if self.entry else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything under ``knowledge/``, parsed and checked."""

    root: Path
    info: schema.CatalogueInfo
    sources: dict[str, schema.Source]
    entries: dict[str, schema.CatalogueEntry]
    entry_files: dict[str, str]
    suffixes: tuple[schema.Suffix, ...]
    names: tuple[schema.Name, ...]
    relations: tuple[schema.Relation, ...]
    lexicon: schema.LexiconFile = field(default_factory=schema.LexiconFile)
    facts: dict[str, schema.FactSpec] = field(default_factory=dict)
    activities: dict[str, schema.ActivitySpec] = field(default_factory=dict)
    rules: dict[str, tuple[schema.Rule, ...]] = field(default_factory=dict)
    rule_files: dict[str, str] = field(default_factory=dict)
    red_lines: dict[str, schema.RedLine] = field(default_factory=dict)
    foreign: schema.ForeignInvestmentFile | None = None
    provinces: schema.ProvincesFile | None = None
    requirements: dict[str, tuple] = field(default_factory=dict)
    claims: schema.ClaimsFile | None = None
    requirement_files: dict[str, str] = field(default_factory=dict)
    documents: schema.DocumentsFile | None = None

    @functools.cached_property
    def vocabulary(self) -> Vocabulary:
        """The declared facts and activities, with the typing of their values."""
        return Vocabulary(self.facts, self.activities)

    @functools.cached_property
    def version(self) -> str:
        """The knowledge version: a digest of every knowledge file, so a report says which knowledge
        answered it and the same files give the same version on any machine."""
        return knowledge_digest(self.root)

    def counts(self) -> dict[str, int]:
        items = sum(len(e.licence_items) + len(e.subkinds) for e in self.entries.values())
        return {
            "codes": len(self.entries),
            "items": items,
            "names": len(self.names),
            "relations": len(self.relations),
            "sources": len(self.sources),
            "signals": len(self.lexicon.signals),
            "facts": len(self.facts),
            "rules": sum(len(r) for r in self.rules.values()),
            "red lines": len(self.red_lines),
            "requirements": sum(len(v) for v in self.requirements.values()),
        }


def knowledge_digest(root: Path) -> str:
    """``kb-`` and 12 hex digits of the SHA-256 of the YAML files under ``root`` (relative path and
    bytes, in path order): it changes with any edit to the knowledge and with nothing else."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(root).rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return "kb-" + digest.hexdigest()[:12]


def default_root() -> Path:
    """The knowledge directory: ``$TLC_KNOWLEDGE`` if set, else the one shipped with the package.

    An installed wheel carries it as ``classifier/knowledge/data`` (setup.cfg maps it there); a source
    checkout or an editable install reads ``knowledge/`` at the top of the checkout.
    """
    override = os.environ.get(KNOWLEDGE_ENV)
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    installed = here / "data"
    return installed if installed.is_dir() else here.parent.parent / "knowledge"


def _rel(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _entry_label(data: Any, index: int, key: str) -> str:
    if isinstance(data, dict) and isinstance(data.get(key), str):
        return data[key]
    return f"#{index + 1}"


def _format_validation(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(part) for part in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        out.append(f"{loc}: {msg}" if loc else msg)
    return out


class _Reader:
    """Reads files of the knowledge directory, validating each list entry on its own.

    Validating entry by entry lets one bad entry be reported by name while the good ones still load,
    so a single run of ``tlc validate`` lists every problem.
    """

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def problem(self, path: Path, entry: str | None, message: str) -> None:
        self.problems.append(Problem(_rel(self.root, path), entry, message))

    def document(self, path: Path) -> Any:
        try:
            return read_yaml(path)
        except KnowledgeError as exc:
            message = str(exc).split(": ", 1)[1] if exc.file else str(exc)
            self.problem(path, None, message)
            return None

    def entries(
        self, path: Path, key: str, model: type[ModelT], label_key: str, data: Any = None, also: tuple[str, ...] = ()
    ) -> list[ModelT]:
        """Validate each item of the top-level list ``key`` of ``path`` (or of ``data`` read from it)."""
        data = self.document(path) if data is None else data
        if data is None:
            return []
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            self.problem(path, None, f"expected a mapping with a list under `{key}`")
            return []
        unknown = set(data) - {key, "suffixes", *also}
        if unknown:
            self.problem(path, None, f"unknown top-level keys: {', '.join(sorted(map(str, unknown)))}")
        out = []
        for index, raw in enumerate(data[key]):
            try:
                out.append(model.model_validate(raw))
            except ValidationError as exc:
                for line in _format_validation(exc):
                    self.problem(path, _entry_label(raw, index, label_key), line)
        return out

    def single(self, path: Path, model: type[ModelT]) -> ModelT | None:
        data = self.document(path)
        if data is None:
            return None
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for line in _format_validation(exc):
                self.problem(path, None, line)
            return None


def read_knowledge(root: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    if not root.is_dir():
        return None, [Problem(str(root), None, "knowledge directory not found")]
    reader = _Reader(root)

    sources: dict[str, schema.Source] = {}
    for source in reader.entries(root / "sources.yaml", "sources", schema.Source, "id"):
        if source.id in sources:
            reader.problem(root / "sources.yaml", source.id, "duplicate source id")
        sources[source.id] = source

    index = reader.single(root / "catalogue" / "index.yaml", schema.CatalogueIndexFile)

    entries: dict[str, schema.CatalogueEntry] = {}
    entry_files: dict[str, str] = {}
    catalogue_files = sorted(p for p in (root / "catalogue").glob("*.yaml") if p.name != "index.yaml")
    if not catalogue_files:
        reader.problem(root / "catalogue", None, "no catalogue files")
    for path in catalogue_files:
        for entry in reader.entries(path, "entries", schema.CatalogueEntry, "code"):
            if entry.code in entries:
                reader.problem(path, entry.code, f"duplicate code (also in {entry_files[entry.code]})")
                continue
            entries[entry.code] = entry
            entry_files[entry.code] = _rel(root, path)

    names_path = root / "names.yaml"
    names_doc = reader.document(names_path)
    names = reader.entries(names_path, "names", schema.Name, "name", data=names_doc) if names_doc else []
    suffixes: tuple[schema.Suffix, ...] = ()
    if isinstance(names_doc, dict):
        try:
            suffixes = schema.NamesFile.model_validate(
                {"suffixes": names_doc.get("suffixes") or [], "names": []}
            ).suffixes
        except ValidationError as exc:
            for line in _format_validation(exc):
                reader.problem(names_path, "suffixes", line)

    relations = reader.entries(root / "relations.yaml", "relations", schema.Relation, "from")

    lexicon, signal_files = _read_lexicon(reader, root)
    # The engine's files are optional for the catalogue alone; the engine refuses to run without them.
    facts, activities = {}, {}
    facts_path = root / "facts.yaml"
    facts_doc = reader.document(facts_path) if facts_path.exists() else None
    if facts_doc is not None:
        facts = _unique(reader, facts_path, "fact",
                        reader.entries(facts_path, "facts", schema.FactSpec, "name", data=facts_doc, also=("activities",)))
        if isinstance(facts_doc, dict) and facts_doc.get("activities") is not None:
            activities = _unique(reader, facts_path, "activity", reader.entries(
                facts_path, "activities", schema.ActivitySpec, "name", data=facts_doc, also=("facts",)))
    rules, rule_files = _read_rules(reader, root)
    _add_concept_rules(reader, root, lexicon, signal_files, rules, rule_files)
    red_lines: dict[str, schema.RedLine] = {}
    red_line_path = root / "red_lines.yaml"
    for red_line in reader.entries(red_line_path, "red_lines", schema.RedLine, "id") if red_line_path.exists() else ():
        if red_line.id in red_lines:
            reader.problem(root / "red_lines.yaml", red_line.id, "duplicate red line id")
        red_lines[red_line.id] = red_line
    foreign_path = root / "foreign_investment.yaml"
    foreign = reader.single(foreign_path, schema.ForeignInvestmentFile) if foreign_path.exists() else None
    provinces_path = root / "provinces.yaml"
    provinces = reader.single(provinces_path, schema.ProvincesFile) if provinces_path.exists() else None
    requirements, requirement_files = _read_requirements(reader, root)
    claims_path = root / "claims.yaml"
    claims = reader.single(claims_path, schema.ClaimsFile) if claims_path.exists() else None
    documents_path = root / "documents.yaml"
    documents = reader.single(documents_path, schema.DocumentsFile) if documents_path.exists() else None

    if index is None:
        return None, reader.problems
    kb = KnowledgeBase(
        root=root,
        info=index.catalogue,
        sources=sources,
        entries=entries,
        entry_files=entry_files,
        suffixes=tuple(suffixes),
        names=tuple(names),
        relations=tuple(relations),
        lexicon=lexicon,
        facts=facts,
        activities=activities,
        rules=rules,
        rule_files=rule_files,
        red_lines=red_lines,
        foreign=foreign,
        provinces=provinces,
        requirements=requirements,
        requirement_files=requirement_files,
        claims=claims,
        documents=documents,
    )
    return kb, reader.problems


def _unique(reader: _Reader, path: Path, what: str, entries: list) -> dict:
    """Entries by name; a name declared twice is a problem (the first declaration is kept)."""
    out: dict = {}
    for entry in entries:
        if entry.name in out:
            reader.problem(path, entry.name, f"{what} declared twice")
            continue
        out[entry.name] = entry
    return out


def _read_lexicon(reader: _Reader, root: Path) -> tuple[schema.LexiconFile, dict[str, Path]]:
    """Merge every ``lexicon/*.yaml`` into one lexicon (and say which file defines each signal);
    a signal id may be defined once only."""
    signals: list[schema.Signal] = []
    cues: list[schema.Cue] = []
    breaks: list[str] = []
    item_breaks: list[str] = []
    sentence_breaks: list[str] = []
    share_patterns: list[schema.SharePattern] = []
    location_patterns: list[schema.LocationPattern] = []
    seen: dict[str, str] = {}
    paths = sorted((root / "lexicon").glob("*.yaml"))
    for path in paths:
        part = reader.single(path, schema.LexiconFile)
        if part is None:
            continue
        for signal in part.signals:
            if signal.id in seen:
                reader.problem(path, signal.id, f"signal defined twice (also in {seen[signal.id]})")
                continue
            seen[signal.id] = path.name
            signals.append(signal)
        cues.extend(part.cues)
        breaks.extend(part.clause_breaks)
        item_breaks.extend(part.item_breaks)
        sentence_breaks.extend(part.sentence_breaks)
        share_patterns.extend(part.share_patterns)
        location_patterns.extend(part.location_patterns)
    lexicon = schema.LexiconFile(signals=tuple(signals), cues=tuple(cues), clause_breaks=tuple(breaks),
                                 item_breaks=tuple(item_breaks), sentence_breaks=tuple(sentence_breaks),
                                 share_patterns=tuple(share_patterns), location_patterns=tuple(location_patterns))
    return lexicon, {signal_id: root / "lexicon" / name for signal_id, name in seen.items()}


REQUIREMENT_LISTS = ("conditions", "materials", "steps", "obligations", "penalties")


def _register(reader: _Reader, root: Path, path: Path, files: dict[str, str], entry_id: str, what: str) -> bool:
    """Record where ``entry_id`` is defined; a second definition is a problem and is not used."""
    if entry_id in files:
        reader.problem(path, entry_id, f"duplicate {what} id (also in {files[entry_id]})")
        return False
    files[entry_id] = _rel(root, path)
    return True


def _read_requirements(reader: _Reader, root: Path) -> tuple[dict[str, tuple], dict[str, str]]:
    """Every ``requirements/*.yaml``, list by list; requirement ids are unique across files."""
    merged: dict[str, list] = {name: [] for name in REQUIREMENT_LISTS}
    files: dict[str, str] = {}
    for path in sorted((root / "requirements").glob("*.yaml")):
        part = reader.single(path, schema.RequirementsFile)
        if part is None:
            continue
        for name in REQUIREMENT_LISTS:
            for entry in getattr(part, name):
                if _register(reader, root, path, files, entry.id, "requirement"):
                    merged[name].append(entry)
    return {name: tuple(entries) for name, entries in merged.items()}, files


def _read_rules(reader: _Reader, root: Path) -> tuple[dict[str, tuple[schema.Rule, ...]], dict[str, str]]:
    """Rules by stage, from ``rules/*.yaml`` (each file declares its stage); ids are unique."""
    by_stage: dict[str, list[schema.Rule]] = {stage: [] for stage in schema.STAGES}
    files: dict[str, str] = {}
    paths = sorted((root / "rules").glob("*.yaml"))
    for path in paths:
        data = reader.document(path)
        if data is None:
            continue
        stage = data.get("stage") if isinstance(data, dict) else None
        if stage not in schema.STAGES:
            reader.problem(path, None, f"`stage` must be one of {', '.join(schema.STAGES)}")
            continue
        for rule in reader.entries(path, "rules", schema.Rule, "id", data={"rules": data.get("rules")}):
            if _register(reader, root, path, files, rule.id, "rule"):
                by_stage[stage].append(rule)
    return {stage: tuple(rules) for stage, rules in by_stage.items()}, files


def _add_concept_rules(reader: _Reader, root: Path, lexicon: schema.LexiconFile, signal_files: dict[str, Path],
                       rules: dict[str, tuple[schema.Rule, ...]], files: dict[str, str]) -> None:
    """Concepts that are a business (``business:`` in the lexicon) become rules of the businesses stage."""
    added = []
    for signal in lexicon.signals:
        if signal.business is None:
            continue
        if _register(reader, root, signal_files[signal.id], files, f"concept.{signal.id}", "rule"):
            added.append(signal.rule())
    # First in the stage, where the rules they replace stood: the first derivation of a business gives its evidence.
    rules["businesses"] = tuple(added) + rules.get("businesses", ())
