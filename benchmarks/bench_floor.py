"""The default call, the call without question checks, and the floor, measured side by side.

    python benchmarks/bench_floor.py            # the real-text corpus and 300 generated typical texts

The floor is the least any lexicon-based classifier must do: one Aho-Corasick pass (pyahocorasick) of
the project's own lexicon (every signal term, licence name, cue and place) over the text as given.
For each set of texts it prints p50 and p99 of the floor, of ``classify(verify_questions=False)`` (what
an audit runs) and of the default ``classify`` (which checks that every question asked would change
the answer), and the two ratios the speed targets are about: default / no-check, no-check / floor.
Each text is timed in turn by all three, so the figures share the machine's state.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import ahocorasick
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from bench_classify import make_text, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def floor_automaton():
    """One automaton of every term the lexicon matches on."""
    from classifier.knowledge.names import all_names
    from classifier.pipeline import get_classifier

    kb = get_classifier().kb
    terms = {t for signal in kb.lexicon.signals for t in signal.terms}
    terms |= {t for cue in kb.lexicon.cues for t in cue.terms}
    terms |= {target.name for target in all_names(kb)}
    if kb.provinces is not None:
        terms |= {n for p in kb.provinces.provinces for n in (p.name, *p.aliases, *p.cities)}
    automaton = ahocorasick.Automaton()
    for term in terms:
        if term:
            automaton.add_word(term.lower(), term)
    automaton.make_automaton()
    return automaton, len(terms)


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "corpus").glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts += [t["text"] for t in data.get("texts", ())]
    return texts


def measure(label: str, texts: list[str], automaton) -> None:
    from classifier import classify

    floor, plain, default = [], [], []
    for text in texts:
        lowered = text.lower()
        start = time.perf_counter()
        list(automaton.iter(lowered))
        floor.append(time.perf_counter() - start)
        start = time.perf_counter()
        classify(text, verify_questions=False)
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        classify(text)
        default.append(time.perf_counter() - start)
    p50 = {name: percentile(values, 0.5) * 1000 for name, values in
           (("floor", floor), ("plain", plain), ("default", default))}
    p99 = {name: percentile(values, 0.99) * 1000 for name, values in
           (("floor", floor), ("plain", plain), ("default", default))}
    print(f"{label} ({len(texts)} texts)")
    print(f"  {'':28} {'p50 ms':>8} {'p99 ms':>8}")
    for name, title in (("floor", "floor (one lexicon scan)"), ("plain", "classify, no question checks"),
                        ("default", "classify (default)")):
        print(f"  {title:28} {p50[name]:>8.3f} {p99[name]:>8.3f}")
    print(f"  default / no-check p50: {p50['default'] / p50['plain']:.2f}x (target at most 2x); "
          f"no-check / floor p50: {p50['plain'] / p50['floor']:.1f}x (target at most 10x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generated", type=int, default=300, help="generated typical texts (300 characters)")
    args = parser.parse_args()
    from classifier import classify

    classify("预热 warm-up CDN")
    automaton, size = floor_automaton()
    print(f"floor automaton: {size:,} lexicon terms")
    texts = corpus_texts()
    for text in texts[:20]:
        classify(text)
    measure("real-text corpus", texts, automaton)
    rng = random.Random(2026)
    measure("generated typical texts", [make_text(rng, 300) for _ in range(args.generated)], automaton)


if __name__ == "__main__":
    main()
