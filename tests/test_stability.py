"""Many varied classifications in one process must neither crash nor stall.

durable_rules is C: a memory error kills the process, so the run happens in a subprocess and a
crash shows up as its exit status. (A trick that paired the ctx fact with a never-matching pattern
passed every other test and crashed here within ~5,000 runs.)
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent("""
    import random, sys
    sys.path.insert(0, {bench!r})
    from bench_classify import make_text
    from classifier import classify
    rng = random.Random(2026)
    classify("warm-up 预热 SD-WAN")
    for n, size in ((2500, 50), (2500, 300), (40, 20000)):
        for _ in range(n):
            classify(make_text(rng, size), verify_questions=False)
    print("survived")
""")


def test_thousands_of_classifications_in_one_process():
    bench = str(Path(__file__).resolve().parent.parent / "benchmarks")
    run = subprocess.run([sys.executable, "-c", SCRIPT.format(bench=bench)], capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, f"exit {run.returncode}: {run.stderr[-500:]}"
    assert run.stdout.strip().endswith("survived")
