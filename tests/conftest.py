"""Shared fixtures: the shipped knowledge base, and a writable copy for tests that break it on purpose."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from classifier.knowledge.loader import load_catalogue
from classifier.knowledge.loader import default_root, load_knowledge
from classifier.knowledge.loader import load_name_index


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="session")
def names():
    return load_name_index()


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge directory, named ``knowledge``."""
    target = tmp_path / "knowledge"
    shutil.copytree(default_root(), target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture(scope="session")
def wheelhouse() -> Path:
    """``make``'s wheelhouse beside this venv: the patched durable_rules wheel, its source release and
    wheels of the core dependencies. Without it (pytest run outside ``make``) the tests that need it
    skip, except in CI, where that is a failure."""
    path = Path(sys.prefix) / "wheelhouse"
    if not any(path.glob("durable_rules-*.whl")):
        if os.environ.get("CI"):
            pytest.fail(f"no wheelhouse at {path}: run the tests through `make test`")
        pytest.skip(f"no wheelhouse at {path} (made by `make`)")
    return path


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``tlc ARGS`` in-process through the real entry point; return (exit code, stdout, stderr)."""
    from classifier.surfaces.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 1), out.out, out.err


def pytest_terminal_summary(terminalreporter):
    """After the run: precision and recall of codes and red lines over the data-driven cases."""
    module = sys.modules.get("test_cases")
    line = module.case_summary() if module else None
    if line:
        terminalreporter.write_sep("-", "data-driven cases")
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def spark():
    """One local Spark session (local[2], as the machine has two cores) for every Spark test of the run.

    pyspark comes with the test extra and a Java runtime from .ci/run; without either the Spark tests
    skip, unless TLC_REQUIRE_SPARK is set (as in CI), where a missing one is a failure."""
    from classifier.errors import Unavailable
    from classifier.surfaces.spark.session import java_found, require_pyspark

    try:
        require_pyspark()
        if not java_found():
            raise Unavailable("no Java runtime", code="java_not_found")
    except Unavailable as exc:
        if os.environ.get("TLC_REQUIRE_SPARK"):
            raise RuntimeError(f"TLC_REQUIRE_SPARK is set but Spark cannot run: {exc}") from None
        pytest.skip(f"Spark cannot run here: {exc}")
    from classifier.surfaces.spark.session import spark_session

    with spark_session("local[2]", app_name="tlc tests") as session:
        session.conf.set("spark.sql.shuffle.partitions", "4")
        yield session


def sample_inputs(count: int, seed: int = 16) -> tuple[list[tuple[str, str]], list[dict]]:
    """Realistic audit inputs, the same on every run: ``count`` (id, text) rows for a CSV, from the texts
    of the data-driven cases and the dev corpus, alone or two joined; and JSONL objects: every case
    profile, corpus texts with their own ``kind``, and a few texts."""
    import random

    import yaml

    root = Path(__file__).parent
    texts, profiles, kinded = [], [], []
    for path in sorted((root / "cases").rglob("*.yaml")):
        for case in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases", []):
            if isinstance(case.get("text"), str):
                texts.append(case["text"])
            if isinstance(case.get("profile"), dict):
                profiles.append(case["profile"])
    for path in sorted((root / "corpus" / "dev").glob("*.yaml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("texts", []):
            texts.append(item["text"])
            kinded.append({"text": item["text"], "kind": item["kind"]})
    rng = random.Random(seed)
    rows = [(f"t{n}", text) for n, text in enumerate(texts[:count])]
    while len(rows) < count:
        rows.append((f"t{len(rows)}", rng.choice(texts) + rng.choice(["", "\n", "；", " "]) + rng.choice(texts)))
    objects = ([{"id": f"p{n}", **profile} for n, profile in enumerate(profiles)]
               + [{"id": f"k{n}", **item} for n, item in enumerate(kinded)])
    return rows, objects
