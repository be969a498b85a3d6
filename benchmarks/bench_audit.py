"""Audit throughput: N generated descriptions through `tlc audit`, with 1 and 2 workers.

    python benchmarks/bench_audit.py --n 100000
Prints records per second and the peak RSS of the audit process and of its largest worker.
"""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_classify import make_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "descriptions.txt"
        with source.open("w", encoding="utf-8") as handle:
            for _ in range(args.n):
                handle.write(make_text(rng, rng.choice([80, 200, 300, 600])) + "\n")
        print(f"{args.n:,} generated descriptions (80-600 chars)")
        for workers in args.workers:
            out = Path(tmp) / f"out{workers}.csv"
            began = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "classifier", "audit", str(source), "-o", str(out),
                                  "--workers", str(workers), "--fail-on", "review"], capture_output=True, text=True)
            took = time.perf_counter() - began
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"workers={workers}: {took:7.1f} s, {args.n / took:7.0f} records/s, exit {run.returncode}, "
                  f"peak child RSS {peak:.0f} MB; {run.stderr.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
