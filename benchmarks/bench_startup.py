"""Measure start-up (a fresh process to its first answer) and what an install of tlc weighs.

    python benchmarks/bench_startup.py                      # this environment
    python benchmarks/bench_startup.py --python /tmp/core/bin/python   # another one (a core-only venv, say)
    python benchmarks/bench_startup.py --runs 20

Start-up: RUNS fresh interpreters each run ``import classifier`` and one ``classify``; the wall time of the
whole process (interpreter start included) is reported as best and median, with the split measured
inside the process (import, first classify) and the optional packages it loaded (there should be none).
Install size: the files of every distribution that ``tlc-classifier`` needs, read from the installed
metadata (RECORD), for the core and for the core with each extra; pip, setuptools and wheel excluded.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TEXT = "为企业客户提供SD-WAN组网服务，覆盖北京、上海"
OPTIONAL = ("fastapi", "starlette", "uvicorn", "matplotlib", "numpy", "pydot", "tqdm", "jinja2")
CHILD = """
import sys, time, json
began = time.perf_counter()
import classifier
imported = time.perf_counter()
classifier.classify(sys.argv[1])
answered = time.perf_counter()
print(json.dumps({"import": imported - began, "first_classify": answered - imported,
                  "optional_loaded": sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[2:]))}))
"""

SIZES = r"""
import json, re
from importlib import metadata

try:
    from packaging.markers import Marker
except ImportError:
    from pip._vendor.packaging.markers import Marker

SKIP = {"pip", "setuptools", "wheel"}


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


dists = {}
for dist in metadata.distributions():
    dists.setdefault(norm(dist.metadata["Name"]), dist)


def closure(name, extras):
    seen, missing, todo = set(), set(), [(norm(name), frozenset(extras))]
    while todo:
        name, extras = todo.pop()
        if name in SKIP or (name, extras) in seen:
            continue
        seen.add((name, extras))
        dist = dists.get(name)
        if dist is None:
            missing.add(name)
            continue
        for req in dist.requires or ():
            spec, _, marker = req.partition(";")
            if marker.strip() and not any(Marker(marker).evaluate({"extra": e}) for e in (extras or {""})):
                continue
            match = re.match(r"\s*([A-Za-z0-9._-]+)(\[([^\]]*)\])?", spec)
            wanted = frozenset(e.strip() for e in (match.group(3) or "").split(",") if e.strip())
            todo.append((norm(match.group(1)), wanted))
    return {name for name, _ in seen} - missing - SKIP, missing


def size(names):
    total = 0
    for name in names:
        for file in dists[name].files or ():
            try:
                total += file.locate().stat().st_size
            except OSError:
                pass
    return total


out = {}
for label, extras in (("core", ()), ("core + server", ("server",)), ("core + graph", ("graph",)),
                      ("core + progress", ("progress",)), ("core + all extras", ("all",))):
    names, missing = closure("tlc-classifier", extras)
    out[label] = {"bytes": size(names), "distributions": len(names), "missing": sorted(missing)}
print(json.dumps(out))
"""


def startup(python: str, runs: int) -> dict:
    walls, inner = [], []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run([python, "-c", CHILD, TEXT, *OPTIONAL], capture_output=True, text=True, check=True,
                              cwd="/")
        walls.append(time.perf_counter() - began)
        inner.append(json.loads(done.stdout))
    best = min(range(runs), key=walls.__getitem__)
    return {"best": walls[best], "median": statistics.median(walls), "split_of_best": inner[best],
            "optional_loaded": sorted({m for run in inner for m in run["optional_loaded"]})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default=sys.executable, help="interpreter of the environment to measure")
    parser.add_argument("--runs", type=int, default=10, help="fresh processes for the start-up figure")
    args = parser.parse_args()
    args.python = str(Path(args.python).absolute()) if os.sep in args.python else shutil.which(args.python)
    version = subprocess.run([args.python, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True,
                             text=True, check=True).stdout.strip()
    print(f"environment: {args.python} (CPython {version})")
    found = startup(args.python, args.runs)
    split = found["split_of_best"]
    print(f"start-up, fresh process to first answer, {args.runs} runs: best {found['best']:.3f} s, "
          f"median {found['median']:.3f} s")
    print(f"  inside the best run: import classifier {split['import']:.3f} s, first classify "
          f"{split['first_classify']:.3f} s")
    print(f"  optional packages loaded: {', '.join(found['optional_loaded']) or 'none'}")
    sizes = json.loads(subprocess.run([args.python, "-c", SIZES], capture_output=True, text=True, check=True).stdout)
    print("installed size (files of every distribution needed; pip, setuptools, wheel excluded):")
    for label, row in sizes.items():
        note = f" (not installed here: {', '.join(row['missing'])})" if row["missing"] else ""
        print(f"  {label:<18} {row['bytes'] / 1e6:7.1f} MB in {row['distributions']:>3} distributions{note}")


if __name__ == "__main__":
    main()
