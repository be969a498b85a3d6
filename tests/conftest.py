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
