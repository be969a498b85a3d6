"""Sources as a reader sees them: title, issuing body, date and a link where one exists.

The knowledge keeps more about each source (where a copy was read, notes for maintainers); none of that
is shown. Lists are put in reading order: the law and official texts first, then what can be opened.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from classifier.knowledge.schema import Source

KIND_ORDER = ("primary", "secondary", "guide")
KIND_LABEL = {"primary": ("官方文本", "official text"), "secondary": ("二手资料", "secondary source"),
              "guide": ("咨询指南（仅作实务参考）", "consultancy guide (practice only)")}


@dataclass(frozen=True)
class ReadableSource:
    id: str
    title: str
    kind: str
    issuer: str | None = None
    date: str | None = None
    url: str | None = None

    @property
    def kind_zh(self) -> str:
        return KIND_LABEL[self.kind][0]

    @property
    def kind_en(self) -> str:
        return KIND_LABEL[self.kind][1]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "kind": self.kind, "issuer": self.issuer, "date": self.date,
                "url": self.url}


def readable(source: Source) -> ReadableSource:
    """What a reader is shown of ``source``: never its ``ref`` (a copy's location) or maintainers' notes."""
    return ReadableSource(source.id, source.title, source.kind, source.issuer, source.date, source.url)


def reading_order(ids: Iterable[str], sources: Mapping[str, Source]) -> list[str]:
    """``ids`` once each, known ones only: official texts first, then those with a link, else as cited."""
    known = [i for i in dict.fromkeys(ids) if i in sources]
    return sorted(known, key=lambda i: (KIND_ORDER.index(sources[i].kind), sources[i].url is None))
