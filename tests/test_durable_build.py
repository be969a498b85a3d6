"""durable_rules as ``make`` builds it (third_party/durable-rules): the installed engine is the wheel built
from the current patch, it loads and forward-chains, and the build tells a release that needs the patch
from one that does not. Offline: the source release comes from the wheelhouse."""
from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "third_party" / "durable-rules" / "build_wheel.py"


@pytest.fixture(scope="module")
def build_wheel():
    spec = importlib.util.spec_from_file_location("build_wheel", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sdist(wheelhouse: Path) -> Path:
    found = sorted(wheelhouse.glob("durable_rules-*.tar.gz"))
    assert found, f"no durable_rules source release in {wheelhouse}"
    return found[-1]


def _release(source: Path, version: str, into: Path) -> Path:
    """Pack SOURCE as a source release of VERSION (a stand-in for a future durable_rules release)."""
    setup_py = source / "setup.py"
    setup_py.write_text(re.sub(r"version\s*=\s*'[^']+'", f"version = '{version}'", setup_py.read_text()))
    archive = into / f"durable_rules-{version}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source, arcname=f"durable_rules-{version}")
    return archive


def test_the_requirement_is_read_from_setup_cfg(build_wheel):
    assert build_wheel.requirement().replace(" ", "").startswith("durable-rules>=2.0.28")


def test_installed_engine_is_the_wheel_built_from_the_current_patch(build_wheel, wheelhouse, sdist, tmp_path):
    installed = importlib.metadata.version("durable_rules")
    source = build_wheel.unpack(sdist, tmp_path)
    if build_wheel.patch_needed(source):
        assert installed == f"{build_wheel.sdist_version(sdist)}+tlc.{build_wheel.patch_digest()}", (
            "the installed durable_rules is not the wheel built from the current patch: run `make`")
    else:
        assert installed == build_wheel.sdist_version(sdist)
    wheels = list(wheelhouse.glob(f"durable_rules-{installed}-{build_wheel.interpreter_tag()}-*.whl"))
    assert wheels, f"no wheel of durable_rules {installed} for this Python in {wheelhouse}"


CHAIN = """
import durable_rules_engine, sys
from durable.lang import ruleset, when_all, m, assert_fact
fired = []
with ruleset('chain'):
    @when_all(m.kind == 'order')
    def order(c):
        fired.append('order'); c.assert_fact({'kind': 'paid', 'order': c.m.order})
    @when_all(m.kind == 'paid')
    def paid(c):
        fired.append('paid'); c.assert_fact({'kind': 'shipped', 'order': c.m.order})
    @when_all(m.kind == 'shipped')
    def shipped(c):
        fired.append('shipped')
assert_fact('chain', {'kind': 'order', 'order': 1})
print(durable_rules_engine.__file__)
print(' '.join(fired))
"""


def test_engine_loads_and_forward_chains():
    # a fresh process: durable_rules registers rulesets for the life of the process
    done = subprocess.run([sys.executable, "-c", CHAIN], capture_output=True, text=True, timeout=60, cwd="/")
    assert done.returncode == 0, done.stderr
    location, fired = done.stdout.splitlines()
    assert Path(location).is_relative_to(Path(sys.prefix)), f"durable_rules_engine loaded from {location}"
    assert fired == "order paid shipped"


def test_patch_applies_to_the_release_and_removes_every_old_call(build_wheel, sdist, tmp_path):
    source = build_wheel.unpack(sdist, tmp_path)
    rules_c = source / "src" / "rulespy" / "rules.c"
    assert build_wheel.patch_needed(source)
    assert rules_c.read_text().count("PyEval_CallObject(") == 5
    build_wheel.apply_patch(source)
    assert not build_wheel.patch_needed(source)
    assert "PyEval_CallObject" not in rules_c.read_text()
    assert rules_c.read_text().count("PyObject_CallObject(callback, arglist)") == 5


def test_a_release_with_the_fix_is_built_as_it_is(build_wheel, sdist, tmp_path):
    source = build_wheel.unpack(sdist, tmp_path / "src")
    build_wheel.apply_patch(source)  # what a fixed upstream release would hold
    release = _release(source, "2.0.99", tmp_path)
    said = []
    wheel = build_wheel.build(release, tmp_path / "wheels", say=said.append)
    assert wheel.name.startswith(f"durable_rules-2.0.99-{build_wheel.interpreter_tag()}-")
    assert any("building the release as it is" in line and "can be dropped" in line for line in said), said


def test_a_release_the_patch_no_longer_fits_stops_the_build(build_wheel, sdist, tmp_path):
    source = build_wheel.unpack(sdist, tmp_path / "src")
    rules_c = source / "src" / "rulespy" / "rules.c"
    # the old call is still there, but its surroundings changed
    rules_c.write_text(rules_c.read_text().replace("    Py_DECREF(arglist);\n", "    Py_XDECREF(arglist);\n"))
    release = _release(source, "2.0.98", tmp_path)
    with pytest.raises(build_wheel.BuildError, match="does not apply"):
        build_wheel.build(release, tmp_path / "wheels", say=lambda message: None)
    assert not list((tmp_path / "wheels").glob("*.whl"))
