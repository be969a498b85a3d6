"""The real-text corpus (tests/corpus/): well formed, spread as docs/quality.md says, and the development
part answered at least as well as recorded (tests/corpus/dev_floor.yaml). The blind part is scored on
demand only: `python tests/corpus_runner.py --part blind`."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

import corpus_runner as cr

FLOORS = yaml.safe_load((cr.CORPUS_DIR / "dev_floor.yaml").read_text(encoding="utf-8"))["right"]


@pytest.fixture(scope="module")
def corpus():
    return cr.load(cr.PARTS)


def test_corpus_is_large_spread_and_multilingual(corpus):
    parts = Counter(t.part for t in corpus)
    kinds = Counter(t.kind for t in corpus)
    assert len(corpus) >= 400 and parts["blind"] >= 150
    assert set(kinds) == set(cr.KINDS)
    assert kinds["product_page"] + kinds["review"] >= 100
    assert sum(kinds[k] for k in ("news", "legal_article", "job_post", "tender", "readme", "vendor_page")) >= 100
    assert kinds["question"] >= 40
    assert sum(1 for t in corpus if t.red_line is not False) >= 80   # red line true, or the text cannot tell
    assert sum(1 for t in corpus if t.lang != "zh") * 3 >= len(corpus)


def test_every_text_is_cited_and_distinct(corpus):
    assert all(t.source.startswith(("http://", "https://", "github:")) for t in corpus)
    assert len({t.text for t in corpus}) == len(corpus)


def test_the_split_keeps_every_kind_on_both_sides(corpus):
    for kind in cr.KINDS:
        assert {t.part for t in corpus if t.kind == kind} == {"dev", "blind"}, kind


def test_a_malformed_label_is_refused(tmp_path):
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / "x.yaml").write_text(
        "texts:\n  - {id: x-1, kind: poem, lang: zh, source: 'https://e.cn', text: t, codes: [], red_line: false, note: n}\n",
        encoding="utf-8")
    with pytest.raises(cr.CorpusError, match="kind"):
        cr.load(["dev"], directory=tmp_path)


def test_development_part_holds_its_recorded_figures(corpus):
    report = cr.evaluate([t for t in corpus if t.part == "dev"])
    below = {kind: (report.tallies[kind]["tlc"].right, floor) for kind, floor in FLOORS.items()
             if report.tallies[kind]["tlc"].right < floor}
    assert not below, f"kinds answered worse than recorded (right, floor): {below}"
