"""Score tlc on the real-text corpus (tests/corpus/), per kind of text, beside two yardsticks.

The corpus holds public texts written by others, labelled by the labelling guide
(docs/labelling-guide.md; format in tests/corpus/COLLECTING.md). It is split once into a
development part (tests/corpus/dev/, run in the test suite) and a blind part (tests/corpus/blind/, run
on demand and never tuned against).

A text is answered *right* when its codes, its red line and its authority are right:
- codes: every labelled code is found, and nothing is found beyond the labelled codes and the
  defensible ``may_codes``;
- red line: some red line is reported exactly when the label says ``red_line: true`` (``unknown``
  accepts either);
- authority: each labelled authority is the one reported for that code.

Code precision and recall count codes over all texts (a found code is correct when labelled or
defensible; recall is over labelled codes); red-line precision and recall count texts (a text with a
red line reported, against a text labelled ``true``; ``unknown`` texts are left out).

The yardsticks answer the same texts: "nothing" reports nothing at all; "keywords" reports the codes
and red lines of every keyword of tests/corpus/keyword_yardstick.yaml found anywhere in the text.

    python tests/corpus_runner.py                  # the development part, table per kind
    python tests/corpus_runner.py --part blind     # the blind part (on demand; record the figure)
    python tests/corpus_runner.py --part dev -v    # ... and every text answered wrong, with why
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import yaml

CORPUS_DIR = Path(__file__).parent / "corpus"
PARTS = ("dev", "blind")
AS_OF = dt.date(2026, 12, 1)   # the date the corpus was collected and labelled
KINDS = ("product_page", "vendor_page", "business_scope", "licence_record", "footer", "enforcement", "news",
         "legal_article", "question", "job_post", "tender", "readme", "review")
LANGS = ("zh", "zh-Hant", "en")
REQUIRED = ("id", "kind", "lang", "source", "text", "codes", "red_line", "note")
OPTIONAL = ("may_codes", "red_lines", "authority", "mentions")
AUTHORITIES = ("MIIT", "provincial")


@dataclass(frozen=True)
class Text:
    """One labelled corpus text."""

    id: str
    kind: str
    lang: str
    source: str
    text: str
    codes: frozenset[str]
    may_codes: frozenset[str]
    red_line: bool | None          # None: the text cannot tell
    red_lines: frozenset[str]
    authority: dict[str, str]
    mentions: frozenset[str]
    note: str
    part: str


@dataclass(frozen=True)
class Answer:
    """What a classifier (tlc or a yardstick) says of one text."""

    codes: frozenset[str] = frozenset()
    red_lines: frozenset[str] = frozenset()
    authority: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    codes_right: bool
    red_line_right: bool
    authority_right: bool
    code_tp: int
    code_fp: int
    code_fn: int

    @property
    def right(self) -> bool:
        return self.codes_right and self.red_line_right and self.authority_right


class CorpusError(ValueError):
    """A corpus file that does not follow tests/corpus/COLLECTING.md."""


def _labels(raw: dict, where: str, known_codes: set[str] | None, known_red_lines: set[str] | None) -> Text:
    missing = [k for k in REQUIRED if k not in raw]
    unknown = set(raw) - set(REQUIRED) - set(OPTIONAL)
    if missing or unknown:
        raise CorpusError(f"{where}: missing {missing} / unknown keys {sorted(unknown)}")
    if raw["kind"] not in KINDS:
        raise CorpusError(f"{where}: kind {raw['kind']!r} is not one of {', '.join(KINDS)}")
    if raw["lang"] not in LANGS:
        raise CorpusError(f"{where}: lang {raw['lang']!r} is not one of {', '.join(LANGS)}")
    if not isinstance(raw["text"], str) or not raw["text"].strip() or not str(raw["source"]).strip():
        raise CorpusError(f"{where}: empty text or source")
    red_line = raw["red_line"]
    if red_line == "unknown":
        red_line = None
    elif not isinstance(red_line, bool):
        raise CorpusError(f"{where}: red_line must be true, false or unknown")
    codes = frozenset(raw.get("codes") or ())
    may = frozenset(raw.get("may_codes") or ())
    reds = frozenset(raw.get("red_lines") or ())
    authority = dict(raw.get("authority") or {})
    mentions = frozenset(raw.get("mentions") or ())
    if known_codes is not None:
        bad = (codes | may | set(authority) | mentions) - known_codes
        if bad:
            raise CorpusError(f"{where}: unknown codes {sorted(bad)}")
    if known_red_lines is not None and reds - known_red_lines:
        raise CorpusError(f"{where}: unknown red lines {sorted(reds - known_red_lines)}")
    if reds and red_line is not True:
        raise CorpusError(f"{where}: red_lines are listed but red_line is not true")
    if set(authority) - codes or set(authority.values()) - set(AUTHORITIES):
        raise CorpusError(f"{where}: authority is given for labelled codes only, as MIIT or provincial")
    return Text(str(raw["id"]), raw["kind"], raw["lang"], str(raw["source"]), raw["text"], codes, may, red_line,
                reds, authority, mentions, str(raw["note"]), raw.get("part", ""))


def load(parts: Iterable[str] = PARTS, *, directory: Path = CORPUS_DIR, check_codes: bool = True) -> list[Text]:
    """Every text of the given parts, validated; ids are unique across the whole corpus."""
    known_codes = known_red_lines = None
    if check_codes:
        from classifier.knowledge.loader import load_knowledge

        kb = load_knowledge()
        known_codes, known_red_lines = set(kb.entries), set(kb.red_lines)
    texts: list[Text] = []
    seen: dict[str, str] = {}
    for part in parts:
        for path in sorted((directory / part).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if not isinstance(data, dict) or not isinstance(data.get("texts"), list):
                raise CorpusError(f"{path}: expected a mapping with a list under `texts`")
            for index, raw in enumerate(data["texts"]):
                where = f"{path.relative_to(directory)}#{index + 1}"
                if not isinstance(raw, dict):
                    raise CorpusError(f"{where}: not a mapping")
                text = _labels(raw, where, known_codes, known_red_lines)
                if text.id in seen:
                    raise CorpusError(f"{where}: duplicate id {text.id} (also in {seen[text.id]})")
                seen[text.id] = where
                texts.append(Text(**{**text.__dict__, "part": part}))
    return texts


# -- the classifiers ----------------------------------------------------------------------------------
def tlc_answer(text: Text) -> Answer:
    from classifier import classify

    result = classify(text.text, as_of=AS_OF, verify_questions=False)
    return Answer(frozenset(result.codes), frozenset(result.red_line_ids),
                  {b.code: b.authority for b in result.businesses})


def nothing_answer(text: Text) -> Answer:
    return Answer()


def keyword_answerer(path: Path = CORPUS_DIR / "keyword_yardstick.yaml") -> Callable[[Text], Answer]:
    from classifier.normalise import to_simplified

    table = yaml.safe_load(path.read_text(encoding="utf-8"))["keywords"]

    def answer(text: Text) -> Answer:
        haystack = text.text.casefold() + "\n" + to_simplified(text.text).casefold()
        codes: set[str] = set()
        reds: set[str] = set()
        for row in table:
            if any(term.casefold() in haystack for term in row["terms"]):
                codes |= set(row.get("codes") or ())
                reds |= set(row.get("red_lines") or ())
        return Answer(frozenset(codes), frozenset(reds), {c: "MIIT" for c in codes if c.startswith("A")})

    return answer


# -- judging ------------------------------------------------------------------------------------------
def judge(text: Text, answer: Answer) -> Verdict:
    allowed = text.codes | text.may_codes
    got = answer.codes
    codes_right = text.codes <= got <= allowed
    if text.red_line is None:
        red_right = True
    else:
        red_right = bool(answer.red_lines) == text.red_line
    authority_right = all(answer.authority.get(code) == want for code, want in text.authority.items())
    return Verdict(codes_right, red_right, authority_right,
                   code_tp=len(got & allowed), code_fp=len(got - allowed), code_fn=len(text.codes - got))


@dataclass
class Tally:
    """Counts over a group of texts for one classifier."""

    n: int = 0
    right: int = 0
    code_tp: int = 0
    code_fp: int = 0
    code_fn: int = 0
    code_labelled: int = 0
    red_tp: int = 0
    red_fp: int = 0
    red_fn: int = 0

    def add(self, text: Text, answer: Answer, verdict: Verdict) -> None:
        self.n += 1
        self.right += verdict.right
        self.code_tp += verdict.code_tp
        self.code_fp += verdict.code_fp
        self.code_fn += verdict.code_fn
        self.code_labelled += len(text.codes)
        if text.red_line is not None:
            reported = bool(answer.red_lines)
            self.red_tp += reported and text.red_line
            self.red_fp += reported and not text.red_line
            self.red_fn += (not reported) and text.red_line

    @property
    def accuracy(self) -> float:
        return self.right / self.n if self.n else float("nan")

    @staticmethod
    def _ratio(num: int, den: int) -> float | None:
        return num / den if den else None

    @property
    def code_precision(self) -> float | None:
        return self._ratio(self.code_tp, self.code_tp + self.code_fp)

    @property
    def code_recall(self) -> float | None:
        return self._ratio(self.code_labelled - self.code_fn, self.code_labelled)

    @property
    def red_precision(self) -> float | None:
        return self._ratio(self.red_tp, self.red_tp + self.red_fp)

    @property
    def red_recall(self) -> float | None:
        return self._ratio(self.red_tp, self.red_tp + self.red_fn)

    def as_dict(self) -> dict:
        return {"n": self.n, "right": self.right, "accuracy": self.accuracy,
                "code_precision": self.code_precision, "code_recall": self.code_recall,
                "red_precision": self.red_precision, "red_recall": self.red_recall}


CLASSIFIERS = ("tlc", "nothing", "keywords")


@dataclass
class Report:
    """Per kind (and overall) tallies of tlc and the yardsticks, and tlc's wrong answers."""

    tallies: dict[str, dict[str, Tally]]
    wrong: list[tuple[Text, Answer, Verdict]]

    def table(self) -> str:
        def f(value: float | None) -> str:
            return "–" if value is None else f"{value:.2f}"

        lines = ["| kind | texts | tlc right | nothing right | keywords right | tlc codes P / R | tlc red lines P / R |",
                 "|---|---|---|---|---|---|---|"]
        order = [k for k in KINDS if k in self.tallies] + ["all"]
        for kind in order:
            t, n0, kw = (self.tallies[kind][c] for c in CLASSIFIERS)
            name = f"**{kind}**" if kind == "all" else kind
            lines.append(f"| {name} | {t.n} | {t.right} ({f(t.accuracy)}) | {n0.right} ({f(n0.accuracy)}) | "
                         f"{kw.right} ({f(kw.accuracy)}) | {f(t.code_precision)} / {f(t.code_recall)} | "
                         f"{f(t.red_precision)} / {f(t.red_recall)} |")
        return "\n".join(lines)

    def yardsticks(self) -> str:
        lines = ["| classifier | right | codes P / R | red lines P / R |", "|---|---|---|---|"]
        for name in CLASSIFIERS:
            t = self.tallies["all"][name]

            def f(value):
                return "–" if value is None else f"{value:.3f}"

            lines.append(f"| {name} | {t.right}/{t.n} ({t.accuracy:.3f}) | {f(t.code_precision)} / {f(t.code_recall)} | "
                         f"{f(t.red_precision)} / {f(t.red_recall)} |")
        return "\n".join(lines)


def evaluate(texts: list[Text], answer: Callable[[Text], Answer] = tlc_answer) -> Report:
    answerers = {"tlc": answer, "nothing": nothing_answer, "keywords": keyword_answerer()}
    tallies: dict[str, dict[str, Tally]] = {}
    wrong = []
    for text in texts:
        for name, answerer in answerers.items():
            got = answerer(text)
            verdict = judge(text, got)
            for group in (text.kind, "all"):
                tallies.setdefault(group, {c: Tally() for c in CLASSIFIERS})[name].add(text, got, verdict)
            if name == "tlc" and not verdict.right:
                wrong.append((text, got, verdict))
    return Report(tallies, wrong)


def _why(text: Text, answer: Answer, verdict: Verdict) -> str:
    parts = []
    if not verdict.codes_right:
        parts.append(f"codes {sorted(answer.codes)} (label {sorted(text.codes)}"
                     + (f", may {sorted(text.may_codes)}" if text.may_codes else "") + ")")
    if not verdict.red_line_right:
        parts.append(f"red lines {sorted(answer.red_lines)} (label {text.red_line})")
    if not verdict.authority_right:
        parts.append(f"authority {answer.authority} (label {text.authority})")
    return "; ".join(parts)


FLOOR_FILE = CORPUS_DIR / "dev_floor.yaml"


def raise_floors(report: Report) -> None:
    """Write each kind's count of right answers as its floor, keeping any floor the count is below."""
    data = yaml.safe_load(FLOOR_FILE.read_text(encoding="utf-8"))
    floors = data["right"]
    for kind in KINDS:
        now = report.tallies.get(kind, {}).get("tlc", Tally()).right
        if now < floors.get(kind, 0):
            print(f"floor kept for {kind}: {now} right, floor {floors[kind]}")
        floors[kind] = max(now, floors.get(kind, 0))
    head = "".join(line for line in FLOOR_FILE.read_text(encoding="utf-8").splitlines(keepends=True) if line.startswith("#"))
    data["as_measured"] = dt.date.today().isoformat()
    FLOOR_FILE.write_text(head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=(*PARTS, "all"), default="dev")
    parser.add_argument("--kind", choices=KINDS)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every text answered wrong")
    parser.add_argument("--json", metavar="FILE", help="also write the tallies as JSON")
    parser.add_argument("--raise-floors", action="store_true",
                        help="raise tests/corpus/dev_floor.yaml to the development part's figures (never lowers one)")
    args = parser.parse_args(argv)
    parts = PARTS if args.part == "all" else (args.part,)
    texts = [t for t in load(parts) if args.kind in (None, t.kind)]
    report = evaluate(texts)
    if args.verbose:
        for text, answer, verdict in report.wrong:
            print(f"WRONG {text.id} [{text.kind}] {_why(text, answer, verdict)}")
            print(f"      {text.text[:160].replace(chr(10), ' ')}")
    print(f"{args.part} part: {len(texts)} texts, languages {dict(Counter(t.lang for t in texts))}")
    print(report.table())
    print()
    print(report.yardsticks())
    if args.raise_floors:
        if args.part != "dev" or args.kind:
            parser.error("--raise-floors takes the whole development part")
        raise_floors(report)
    if args.json:
        Path(args.json).write_text(json.dumps(
            {kind: {name: t.as_dict() for name, t in by.items()} for kind, by in report.tallies.items()},
            indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
