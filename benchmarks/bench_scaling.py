"""Time per character across text lengths (1k to 1M): classification must stay linear in the text.

    python benchmarks/bench_scaling.py                    # 1k .. 1M characters, five kinds of text
    python benchmarks/bench_scaling.py --max 64000        # a quicker run
    PYTHONPATH=../baseline python benchmarks/bench_scaling.py --max 40000   # another checkout, for comparison

For each kind of text and length it prints the seconds of one classification (no time limit, no
question checks, then with the default question checks up to --questions-max) and microseconds
per character; the last line per kind is the ratio of the worst to the best time per character, which
stays near 1 when the cost is linear. The traditional-Chinese texts are the ones whose conversion
changes lengths (網際網路 -> 互联网), the case that was quadratic.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_classify import make_text  # noqa: E402

TRADITIONAL = [
    "我們在台灣提供網際網路接入服務，並經營資料中心與雲端主機。", "本公司提供內容傳遞網路加速，覆蓋全國各省市。",
    "用戶可透過行動網路連線到我們的虛擬私人網路。", "網際網路資料中心業務包括主機代管與機櫃出租。",
    "我們的軟體即服務平台支援線上支付與即時通訊。",
]
ENGLISH = [
    "We operate a content delivery network with edge nodes across mainland China. ",
    "Our cloud hosting service offers virtual machines and object storage to enterprises. ",
    "Customers connect offices through our SD-WAN with dedicated lines. ",
    "The platform lets merchants open online stores and take payments. ",
]
LENGTHS = (1_000, 4_000, 16_000, 64_000, 256_000, 1_000_000)


def _from(pool: list[str], rng: random.Random, length: int) -> str:
    parts, size = [], 0
    while size < length:
        parts.append(rng.choice(pool))
        size += len(parts[-1])
    return "".join(parts)[:length]


def _unbroken(rng: random.Random, length: int) -> str:
    """Traditional text with no punctuation or space at all: the longest possible segments."""
    return "".join(s.rstrip("。，") for s in _from(TRADITIONAL, rng, length * 2).split("，"))[:length].replace("。", "")


def _random_unicode(rng: random.Random, length: int) -> str:
    """Printable characters from all over the BMP (no surrogates): what a fuzzer sends."""
    chars = []
    while len(chars) < length:
        code = rng.randrange(0x20, 0xFFFF)
        if not 0xD800 <= code <= 0xDFFF and chr(code).isprintable():
            chars.append(chr(code))
    return "".join(chars)


KINDS = {
    "simplified": lambda rng, n: make_text(rng, n),
    "traditional": lambda rng, n: _from(TRADITIONAL, rng, n),
    "english": lambda rng, n: _from(ENGLISH, rng, n),
    "unbroken traditional": _unbroken,
    "random unicode": _random_unicode,
}


def _seconds(run, text: str) -> float:
    began = time.perf_counter()
    run(text)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max", type=int, default=1_000_000, help="longest text (characters)")
    parser.add_argument("--questions-max", type=int, default=64_000,
                        help="longest text also timed with the default question checks")
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=list(KINDS))
    args = parser.parse_args()
    from classifier import classify

    try:
        plain = lambda text: classify(text, verify_questions=False, time_limit=0)  # noqa: E731
        plain("预热 warm-up")
    except TypeError:   # an older checkout without time limits
        plain = lambda text: classify(text, verify_questions=False)  # noqa: E731
    rng = random.Random(2026)
    worst_overall = 0.0
    for kind in args.kinds:
        print(kind)
        print(f"  {'chars':>9} {'s':>8} {'us/char':>8} {'s, with questions':>18}")
        per_char = []
        for length in (n for n in LENGTHS if n <= args.max):
            text = KINDS[kind](rng, length)
            took = _seconds(plain, text)
            per_char.append(took / length * 1e6)
            questions = f"{_seconds(classify, text):18.3f}" if length <= args.questions_max else f"{'-':>18}"
            print(f"  {length:>9,} {took:>8.3f} {per_char[-1]:>8.2f} {questions}")
        ratio = max(per_char) / min(per_char)
        worst_overall = max(worst_overall, max(per_char))
        print(f"  worst/best time per character: {ratio:.2f}")
    print(f"worst time per character over all kinds and lengths: {worst_overall:.2f} us")


if __name__ == "__main__":
    main()
