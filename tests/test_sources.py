"""Sources as readers see them: no maintainers' locations, the law first, then what can be opened."""
from __future__ import annotations

from classifier.findings.sources import readable, reading_order
from classifier.knowledge.schema import Source


def _source(source_id, kind, url=None, ref=None):
    return Source(id=source_id, title=f"title {source_id}", kind=kind, url=url, ref=ref, note="for maintainers")


def test_readable_never_carries_ref_or_note():
    shown = readable(_source("P1", "primary", ref="LawRefBook/Laws 行政法规/电信条例.md")).to_dict()
    assert shown == {"id": "P1", "title": "title P1", "kind": "primary", "issuer": None, "date": None, "url": None}


def test_reading_order_puts_official_texts_then_links_first_and_keeps_citation_order():
    sources = {s.id: s for s in (_source("S-A", "secondary"), _source("S-B", "secondary", url="https://b.example"),
                                 _source("G-1", "guide", url="https://g.example"), _source("P-1", "primary"),
                                 _source("S-C", "secondary", url="https://c.example"))}
    order = reading_order(["S-A", "G-1", "S-B", "NOPE", "P-1", "S-C", "S-A"], sources)
    assert order == ["P-1", "S-B", "S-C", "S-A", "G-1"]


def test_shipped_catalogue_notice_is_an_official_linked_source(kb):
    notice = readable(kb.sources["P-CAT2015"])
    assert notice.kind == "primary" and notice.url.startswith("https://www.miit.gov.cn/") and notice.date == "2015-12-28"
    assert kb.info.sources[0] == "P-CAT2015"
