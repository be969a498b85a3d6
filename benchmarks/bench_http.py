"""HTTP load on loopback: a bounded Python client against `tlc serve`.

    python benchmarks/bench_http.py --workers 2 --concurrency 8 --requests 4000
Prints throughput, p50/p99 latency, errors, and the server's RSS before and after; then, with clients
still sending, SIGTERM: how long the server takes to exit, its exit status, and what the requests in
flight got. Traffic goes to 127.0.0.1 only; the loop is bounded by --requests and stops by itself.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_classify import make_text  # noqa: E402


def rss_mb(pid: int) -> float:
    """RSS of a process and its children (uvicorn workers), from /proc."""
    total = 0
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--verify-questions", action="store_true", help="the default classify (slower)")
    args = parser.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "classifier", "serve", "--port", str(port), "--workers",
                               str(args.workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        time.sleep(1.0)
        before = rss_mb(server.pid)
        rng = random.Random(11)
        bodies = [json.dumps({"text": make_text(rng, 300), "verify_questions": args.verify_questions}).encode()
                  for _ in range(200)]
        per_client = args.requests // args.concurrency
        began = time.perf_counter()
        # one process per connection: a Python client's threads share one GIL and would measure the client
        with multiprocessing.get_context("spawn").Pool(args.concurrency) as pool:
            runs = pool.map(_client, [(port, bodies, k, per_client) for k in range(args.concurrency)])
        total = time.perf_counter() - began
        latencies = sorted(t for times, _ in runs for t in times)
        errors = [sum(failed for _, failed in runs)]
        after = rss_mb(server.pid)
        p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
        print(f"workers={args.workers} concurrency={args.concurrency} requests={len(latencies)} "
              f"verify_questions={args.verify_questions}")
        print(f"  {len(latencies) / total:.0f} req/s, p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, errors {errors[0]}")
        print(f"  server RSS before {before:.0f} MB, after {after:.0f} MB")
        shutdown(server, port, bodies, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _client(args: tuple) -> tuple[list[float], int]:
    """One keep-alive connection sending its share of the requests: each one's seconds, and the failures."""
    port, bodies, offset, count = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times, failed = [], 0
    for i in range(count):
        body = bodies[(offset * count + i) % len(bodies)]
        started = time.perf_counter()
        try:
            conn.request("POST", "/v1/classify", body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            failed += response.status != 200
        except (OSError, http.client.HTTPException):
            failed += 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        times.append(time.perf_counter() - started)
    return times, failed


def shutdown(server: subprocess.Popen, port: int, bodies: list[bytes], concurrency: int) -> None:
    """SIGTERM under load: seconds to exit, exit status, and how the requests sent around it ended."""
    outcomes: dict[str, int] = {}
    lock, stop = threading.Lock(), threading.Event()

    def client(offset: int) -> None:
        i = 0
        while not stop.is_set():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("POST", "/v1/classify", body=bodies[(offset + i) % len(bodies)],
                             headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                outcome = str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                outcome = "refused" if isinstance(exc, ConnectionRefusedError) else type(exc).__name__
            with lock:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            i += 1
            if outcome == "refused":
                return

    threads = [threading.Thread(target=client, args=(k,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    began = time.perf_counter()
    server.terminate()
    status = server.wait(timeout=120)
    took = time.perf_counter() - began
    stop.set()
    for t in threads:
        t.join()
    print(f"  SIGTERM under load: exited in {took:.2f} s with status {status}; requests: "
          + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))


if __name__ == "__main__":
    main()
