"""The project's wheel: what it carries (the knowledge base, templates, py.typed, the licence, honest
metadata), and that it installs alone into a fresh venv outside the checkout, with no network, and
classifies there. Slow (one venv, about 20 s); the wheels come from ``make``'s wheelhouse."""
from __future__ import annotations

import email
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OPTIONAL = ("fastapi", "starlette", "uvicorn", "matplotlib", "numpy", "pydot", "tqdm", "pytest", "httpx")
SKIP_COPY = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
                                   "out", "tests", "benchmarks")


def _offline_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    env.pop("TLC_KNOWLEDGE", None)
    return env


def _run(cmd, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=_offline_env(), capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built from a copy of the checkout (a stale build/ here cannot leak into it)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=SKIP_COPY)
    done = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir",
                 work / "dist", source], cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = (work / "dist").glob("tlc_classifier-*.whl")
    return built


def test_the_wheel_carries_the_knowledge_base_templates_and_type_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    knowledge = {f"classifier/knowledge/data/{p.relative_to(ROOT / 'knowledge').as_posix()}"
                 for p in (ROOT / "knowledge").rglob("*.yaml")}
    assert knowledge and knowledge <= names, sorted(knowledge - names)[:5]
    templates = {f"classifier/surfaces/templates/{p.name}" for p in (ROOT / "classifier/surfaces/templates").iterdir()
                 if p.is_file()}
    assert templates <= names
    assert "classifier/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "third_party/"))]


def test_the_wheel_metadata_is_honest(wheel):
    archive = zipfile.ZipFile(wheel)
    (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    metadata = email.message_from_bytes(archive.read(metadata_name))
    licence = [n for n in archive.namelist() if n.endswith("/LICENSE") and ".dist-info/" in n]
    assert licence and archive.read(licence[0]) == (ROOT / "LICENSE").read_bytes()
    assert metadata["License"] == "Apache-2.0"
    assert b"Apache License" in archive.read(licence[0]) and b"Version 2.0, January 2004" in archive.read(licence[0])
    assert metadata["Requires-Python"] == ">=3.10"
    versions = {c.rsplit(":: ", 1)[1] for c in metadata.get_all("Classifier") if c.startswith("Programming Language :: Python :: 3.")}
    assert versions == {"3.10", "3.11", "3.12", "3.13", "3.14"}
    assert {u.split(",")[0] for u in metadata.get_all("Project-URL")} >= {"Homepage", "Source", "Issues"}
    core = [r for r in metadata.get_all("Requires-Dist") if "extra ==" not in r]
    assert not [r for r in core if r.split("<")[0].split(">")[0].split("=")[0].strip().lower() in OPTIONAL], core
    assert set(metadata.get_all("Provides-Extra")) >= {"server", "graph", "progress", "all", "test"}


def test_the_wheel_installs_alone_in_a_fresh_venv_and_classifies(wheel, wheelhouse, tmp_path):
    venv = tmp_path / "venv"
    done = _run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    python, tlc = venv / "bin" / "python", venv / "bin" / "tlc"
    done = _run([python, "-m", "pip", "install", "--quiet", "--no-index", "--find-links", wheelhouse, wheel],
                cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr

    done = _run([tlc, "classify", "为企业客户提供SD-WAN组网服务，覆盖北京、上海", "--json"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [b["code"] for b in result["businesses"]] == ["B13"]

    probe = ("import classifier, importlib.util, json, sys; "
             "print(json.dumps({'file': classifier.__file__, "
             "'missing': [m for m in sys.argv[1:] if importlib.util.find_spec(m) is None]}))")
    done = _run([python, "-c", probe, *OPTIONAL], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert Path(found["file"]).is_relative_to(venv), found["file"]  # the installed copy, not the checkout
    assert found["missing"] == list(OPTIONAL), "the core install holds an optional package"

    done = _run([tlc, "validate"], cwd=tmp_path)
    assert done.returncode == 0 and "knowledge base OK" in done.stdout, done.stderr
    for args, extra in ((["serve"], "server"), (["catalogue", "graph"], "graph")):
        done = _run([tlc, *args], cwd=tmp_path)
        assert done.returncode == 2, (args, done.stderr)
        assert f"pip install 'tlc-classifier[{extra}]'" in done.stderr and "Traceback" not in done.stderr
