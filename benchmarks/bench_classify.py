"""Measure classify(): start-up, latency (p50/p99) and throughput by text size, memory over many calls.

    python benchmarks/bench_classify.py                 # quick run
    python benchmarks/bench_classify.py --memory 100000 # memory flatness over 100,000 classifications

Texts are generated from a fixed pool of realistic sentences (seeded), so runs are comparable.
"""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time

SENTENCES = [
    "为企业客户提供SD-WAN组网服务，覆盖北京、上海、广州。", "我们在杭州自建数据中心，提供服务器托管和机柜租用。",
    "平台支持第三方商家入驻，用户在线下单并支付。", "提供云服务器、对象存储和弹性计算等云计算服务。",
    "面向全国企业提供视频会议和电话会议服务。", "CDN加速服务，全国2000多个边缘节点。", "企业邮箱托管，支持自定义域名。",
    "跨境段由中国联通提供并登记，我司仅负责境内组网。", "呼叫中心外包，服务国内消费者。", "不提供任何跨境专线或国际加速。",
    "We run a content delivery network with edge nodes in Beijing and Shanghai.", "用户付费订阅行业资讯和研究报告。",
    "经营范围：技术开发、技术咨询；第二类增值电信业务中的因特网接入服务业务。", "域名解析服务，智能DNS，面向企业客户。",
]


def make_text(rng: random.Random, length: int) -> str:
    parts, size = [], 0
    while size < length:
        sentence = rng.choice(SENTENCES)
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)[:length]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def startup() -> float:
    """Seconds from a fresh interpreter to the first classification answered."""
    code = "import classifier; classifier.classify('为企业客户提供SD-WAN组网服务')"
    best = min(_timed([sys.executable, "-c", code]) for _ in range(3))
    return best


def _timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def latency(classify, texts: list[str]) -> tuple[float, float, float]:
    times = []
    began = time.perf_counter()
    for text in texts:
        start = time.perf_counter()
        classify(text)
        times.append(time.perf_counter() - start)
    total = time.perf_counter() - began
    return percentile(times, 0.5) * 1000, percentile(times, 0.99) * 1000, len(texts) / total


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="classifications per size (long: n/20)")
    parser.add_argument("--memory", type=int, default=20000, help="classifications for the memory check")
    args = parser.parse_args()
    from classifier import classify

    print(f"start-up (fresh process to first answer): {startup():.3f} s")
    classify("warm-up 预热 SD-WAN")
    rng = random.Random(2026)
    sizes = (("short", 50, args.n), ("typical", 300, args.n), ("long", 20_000, max(20, args.n // 20)))
    modes = (
        ("classification", lambda t: classify(t, verify_questions=False)),
        ("with verified questions (default)", classify),
    )
    for label, run in modes:
        print(label)
        print(f"  {'size':<8} {'chars':>6} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'per s':>8}")
        for name, length, n in sizes:
            count = n if label == "classification" else max(20, n // 5)
            texts = [make_text(rng, length) for _ in range(count)]
            p50, p99, rate = latency(run, texts)
            print(f"  {name:<8} {length:>6} {count:>6} {p50:>8.2f} {p99:>8.2f} {rate:>8.0f}")
    texts = [make_text(rng, 300) for _ in range(200)]
    checkpoints = sorted({args.memory // 10, args.memory // 2, args.memory})
    print(f"memory (max RSS) over {args.memory:,} typical classifications:")
    done = 0
    print(f"  {0:>8,}: {rss_mb():7.1f} MB")
    for mark in checkpoints:
        while done < mark:
            classify(texts[done % len(texts)], verify_questions=False)
            done += 1
        print(f"  {done:>8,}: {rss_mb():7.1f} MB")


if __name__ == "__main__":
    main()
