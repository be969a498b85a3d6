"""Fuzz the Python API with generated strings and count outcomes: every one must be a result or an
``InputError``; anything else escaping is a defect, and is printed with the string that caused it.

    python benchmarks/bench_fuzz.py --n 1000000 --workers 2

Strings mix what users and attackers send: random code points from the whole range (lone surrogates,
controls, private use, astral), CJK and Latin words, fragments of the lexicon's own terms, repeated
punctuation and very long runs. Each is classified as the audit does (no question checks) with the
default time budget; the slowest strings are reported with their length and time.
"""
from __future__ import annotations

import argparse
import collections
import multiprocessing
import random
import sys
import time

TERMS = ["CDN", "IDC", "ISP", "VPN", "SD-WAN", "云主机", "专线", "跨境", "翻墙", "加速器", "因特网接入", "呼叫中心",
         "在线数据处理", "增值电信", "经营许可证", "B11", "B25", "A14", "外资", "网際網路", "資料中心", "虛擬私人網路",
         "我们提供", "本公司", "经营范围：", "招聘", "招标", "判决", "？", "吗", "。", "，", "\n", " ", "©", "ICP备"]


def make_string(rng: random.Random) -> str:
    shape = rng.random()
    length = rng.choice([0, 1, 2, 5, 20, 80, 300, 1_000, 5_000])
    if shape < 0.25:     # any code point, surrogates and controls included
        return "".join(chr(rng.randrange(0, 0x110000)) for _ in range(length))
    if shape < 0.45:     # the basic plane, printable or not
        return "".join(chr(rng.randrange(0, 0x10000)) for _ in range(length))
    if shape < 0.80:     # words the lexicon knows, glued with noise
        parts = []
        while sum(map(len, parts)) < length:
            parts.append(rng.choice(TERMS) if rng.random() < 0.7 else chr(rng.randrange(0x20, 0x9FFF)))
        return "".join(parts)
    if shape < 0.90:     # one character repeated
        return rng.choice(["a", "。", "網", " ", "\x00", "\ud800", "\U0001F600", "ǅ"]) * length
    return "".join(rng.choice("[]{}\"',:;()<>\\/\t\r") for _ in range(length))   # syntax soup


def _run(args: tuple[int, int]) -> tuple[collections.Counter, list[tuple[str, str]], list[tuple[float, int]]]:
    from classifier import classify
    from classifier.errors import InputError, TlcError

    seed, count = args
    rng = random.Random(seed)
    outcomes: collections.Counter = collections.Counter()
    escaped: list[tuple[str, str]] = []
    slowest: list[tuple[float, int]] = []
    for _ in range(count):
        text = make_string(rng)
        began = time.perf_counter()
        try:
            outcomes[f"result: {classify(text, verify_questions=False).status}"] += 1
        except InputError as exc:
            outcomes[f"input error: {exc.code}"] += 1
        except TlcError as exc:
            outcomes[f"tlc error: {exc.code}"] += 1
        except Exception as exc:  # noqa: BLE001 - the point is to catch what escapes
            outcomes[f"ESCAPED: {type(exc).__name__}"] += 1
            if len(escaped) < 10:
                escaped.append((repr(text[:200]), f"{type(exc).__name__}: {exc}"))
        took = time.perf_counter() - began
        slowest = sorted([*slowest, (took, len(text))], reverse=True)[:5]
    return outcomes, escaped, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    batches = 50 * args.workers
    sizes = [args.n // batches + (1 if i < args.n % batches else 0) for i in range(batches)]
    began = time.perf_counter()
    outcomes: collections.Counter = collections.Counter()
    escaped, slowest = [], []
    with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
        for counts, bad, slow in pool.imap_unordered(_run, [(args.seed + i, n) for i, n in enumerate(sizes)]):
            outcomes.update(counts)
            escaped.extend(bad)
            slowest = sorted([*slowest, *slow], reverse=True)[:5]
    took = time.perf_counter() - began
    print(f"{args.n:,} fuzzed strings in {took:.0f} s ({args.workers} workers)")
    for outcome, count in sorted(outcomes.items(), key=lambda item: -item[1]):
        print(f"  {count:>9,}  {outcome}")
    print("slowest: " + ", ".join(f"{s:.3f} s ({n:,} chars)" for s, n in slowest))
    for text, error in escaped[:10]:
        print(f"escaped: {error}\n  from {text}")
    sys.exit(1 if escaped else 0)


if __name__ == "__main__":
    main()
