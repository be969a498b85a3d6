"""How big an answer is for an agent: full tlc.result/1 against brief tlc.brief/1, per language.

    python benchmarks/bench_brief.py

Sizes are of the compact JSON an agent reads (UTF-8, no indentation). Tokens are estimated without a
tokenizer: one token per non-ASCII character (a CJK character is about one token in the common
tokenizers) plus one per four ASCII characters; the estimate is rough, the characters and bytes are exact.
Three sets of texts: the 30 chatbot questions of tests/agent_session.py, 300 generated 300-character
descriptions (bench_classify's pool, seeded) and the texts of the data-driven cases (tests/cases).
"""
from __future__ import annotations

import json
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]


def tokens(text: str) -> int:
    wide = sum(1 for ch in text if ord(ch) > 127)
    return wide + (len(text) - wide + 3) // 4


def compact(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def measure(name: str, texts: list[str]) -> list[str]:
    from classifier import classify
    from classifier.findings.views import view

    shapes = {"full": [], "full + requirements": [], "brief (both)": [], "brief (zh)": [], "brief (en)": []}
    citation_share = []
    for text in texts:
        result = classify(text, as_of="2025-06-01")
        full = compact(view(result))
        shapes["full"].append(full)
        shapes["full + requirements"].append(compact(view(classify(text, as_of="2025-06-01", requirements=True))))
        for lang in ("both", "zh", "en"):
            shapes[f"brief ({lang})"].append(compact(view(result, "brief", lang)))
        data = view(result)
        cited = sum(len(compact(c)) for part in ("businesses", "red_lines") for item in data[part] for c in item["citations"])
        citation_share.append(cited / len(full))
    rows = [f"### {name} ({len(texts)} texts)", "", "| answer | tokens p50 | p90 | max | characters p50 | bytes p50 |",
            "|---|---|---|---|---|---|"]
    for shape, outputs in shapes.items():
        counted = sorted(tokens(o) for o in outputs)
        rows.append(f"| {shape} | {statistics.median(counted):.0f} | {counted[int(0.9 * (len(counted) - 1))]} | "
                    f"{counted[-1]} | {statistics.median(len(o) for o in outputs):.0f} | "
                    f"{statistics.median(len(o.encode()) for o in outputs):.0f} |")
    rows += ["", f"Citations are {statistics.median(citation_share):.0%} of a full answer (median).", ""]
    return rows


def main() -> None:
    from bench_classify import make_text
    from tests.agent_session import CHATS
    from tests.case_runner import load_cases

    rng = random.Random(13)
    generated = [make_text(rng, 300) for _ in range(300)]
    cases = [c.data["text"] for c in load_cases() if "text" in c.data]
    for name, texts in (("chatbot questions", [c.question for c in CHATS]), ("typical 300-character texts", generated),
                        ("case texts", cases)):
        print("\n".join(measure(name, texts)))


if __name__ == "__main__":
    main()
