"""Spark engine throughput: the same N generated records through `tlc audit --engine spark --master
local[2]` (to Parquet, then to JSONL) and `tlc audit --workers 2` (to JSONL), every result written.

    python benchmarks/bench_spark.py --n 100000

A small Spark run first measures the fixed cost (JVM and session start, reading, Python workers building
their classifier), so that the per-record cost of the steady state can be told apart from it: that
cost, in core-seconds per record, is what a cluster estimate multiplies. The load average before and
after is printed: on a machine shared with other work the figures are lower than on an idle one.
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_classify import make_text  # noqa: E402

DAY = "2025-06-01"


def write_input(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for number in range(n):
            writer.writerow([f"r{number}", make_text(rng, rng.choice([80, 200, 300, 600]))])


KINDS = (("python worker", "pyspark.daemon"), ("python worker", "multiprocessing.spawn"), ("JVM", "java"))


def _descendants(root: int) -> dict[int, str]:
    """Every process below ``root`` with its command line, read from /proc."""
    parents, commands = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = {}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found[child] = commands.get(child, "")
                frontier.append(child)
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def timed_audit(source: Path, out: Path, engine: list[str]) -> tuple[float, str, dict[str, float]]:
    """Run one audit; its time, its summary line, and the peak RSS of its largest process of each kind
    (sampled every half second)."""
    began = time.perf_counter()
    run = subprocess.Popen([sys.executable, "-m", "classifier", "audit", str(source), "-o", str(out), "--as-of", DAY,
                            "--fail-on", "review", *engine], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks = {"driver": 0.0}
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.extend(run.stderr), daemon=True)
    reader.start()
    while run.poll() is None:
        peaks["driver"] = max(peaks["driver"], _rss_mb(run.pid))
        for pid, command in _descendants(run.pid).items():
            kind = next((name for name, mark in KINDS if mark in command), None)
            if kind:
                peaks[kind] = max(peaks.get(kind, 0.0), _rss_mb(pid))
        time.sleep(0.5)
    took = time.perf_counter() - began
    reader.join()
    if run.returncode not in (0, 1):
        raise SystemExit(f"audit failed ({run.returncode}): {''.join(stderr)}")
    return took, stderr[-1].strip(), peaks


def _peaks(peaks: dict[str, float]) -> str:
    return ", ".join(f"{kind} {mb:.0f} MB" for kind, mb in peaks.items())


def _size_mb(path: Path) -> float:
    files = [path] if path.is_file() else list(path.rglob("*"))
    return sum(f.stat().st_size for f in files if f.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--small", type=int, default=200, help="records of the run that measures the fixed cost")
    parser.add_argument("--cores", type=int, default=2, help="local[N] and --workers N")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    spark = ["--engine", "spark", "--master", f"local[{args.cores}]"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small, big = folder / "small.csv", folder / "big.csv"
        write_input(small, args.small)
        write_input(big, args.n)
        print(f"{args.n:,} generated descriptions (80-600 chars) as CSV")
        fixed, _, _ = timed_audit(small, folder / "small.jsonl", spark)
        print(f"spark local[{args.cores}], {args.small} records: {fixed:6.1f} s (the fixed cost)")
        took, line, peaks = timed_audit(big, folder / "spark.parquet", spark)
        steady = (took - fixed) / (args.n - args.small)
        print(f"spark local[{args.cores}] -> Parquet: {took:7.1f} s, {args.n / took:6.0f} records/s overall; "
              f"steady state {1 / steady:6.0f} records/s = {args.cores * steady * 1000:.2f} core-ms per record; {line}")
        print(f"  peak RSS: {_peaks(peaks)}; output {_size_mb(folder / 'spark.parquet'):.0f} MB")
        took, line, peaks = timed_audit(big, folder / "spark.jsonl", spark)
        print(f"spark local[{args.cores}] -> JSONL: {took:7.1f} s, {args.n / took:6.0f} records/s; "
              f"output {_size_mb(folder / 'spark.jsonl'):.0f} MB")
        took, line, peaks = timed_audit(big, folder / "local.jsonl", ["--workers", str(args.cores)])
        print(f"local --workers {args.cores} -> JSONL: {took:7.1f} s, {args.n / took:6.0f} records/s; {line}")
        print(f"  peak RSS: {_peaks(peaks)}; output {_size_mb(folder / 'local.jsonl'):.0f} MB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
