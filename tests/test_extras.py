"""The lean core: ``classify`` loads no optional package, and each surface that needs an extra says which
one to install when it is missing (one line, exit 2, no traceback)."""
from __future__ import annotations

import configparser
import re
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.errors import MissingExtraError
from classifier.surfaces.extras import EXTRAS, NOT_IN_ALL
from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
OPTIONAL = ("fastapi", "starlette", "uvicorn", "matplotlib", "numpy", "pydot", "tqdm")


def _extras_in_setup_cfg() -> dict[str, set[str]]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    return {extra: {re.split(r"[\s<>=!~\[;]", line.strip(), maxsplit=1)[0].lower()
                    for line in value.splitlines() if line.strip()}
            for extra, value in parser["options.extras_require"].items()}


def test_extras_named_by_the_surfaces_are_those_setup_cfg_declares():
    declared = _extras_in_setup_cfg()
    for extra, modules in EXTRAS.items():
        assert declared[extra] == set(modules), extra
    assert declared["all"] == set().union(*(set(m) for extra, m in EXTRAS.items() if extra not in NOT_IN_ALL))


def test_core_requirements_hold_no_optional_package():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg", encoding="utf-8")
    core = parser["options"]["install_requires"].lower()
    for name in OPTIONAL:
        assert not re.search(rf"^\s*{name}\b", core, re.MULTILINE), name


LOADED = """
import sys
import classifier
classifier.classify('为企业客户提供SD-WAN组网服务，覆盖北京、上海')
from classifier.surfaces.cli import main
try:
    main(['classify', '为企业客户提供SD-WAN组网服务', '--json'])
except SystemExit:
    pass
print('LOADED', ' '.join(sorted({name.split('.')[0] for name in sys.modules} & set(sys.argv[1:]))))
"""


def test_import_classify_and_the_cli_load_no_optional_package():
    done = subprocess.run([sys.executable, "-c", LOADED, *OPTIONAL], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "LOADED ", done.stdout.splitlines()[-1]


@pytest.mark.parametrize("args, extra, missing", [
    (["serve"], "server", "fastapi"),
    (["serve"], "server", "uvicorn"),
    (["catalogue", "graph"], "graph", "pydot"),
    (["catalogue", "graph", "--format", "svg"], "graph", "matplotlib"),
])
def test_a_surface_without_its_extra_names_it(capsys, monkeypatch, args, extra, missing):
    monkeypatch.setitem(sys.modules, missing, None)  # as if not installed
    code, out, err = run_cli(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"[{extra}] extra ({missing} is not installed)" in err
    assert f"pip install 'tlc-classifier[{extra}]'" in err


def test_the_http_module_without_the_server_extra_raises_one_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "fastapi", None)
    monkeypatch.delitem(sys.modules, "classifier.surfaces.http", raising=False)
    with pytest.raises(MissingExtraError, match=r"\[server\] extra"):
        import classifier.surfaces.http  # noqa: F401


def test_an_audit_without_the_progress_extra_runs_without_a_bar(capsys, monkeypatch):
    from classifier.surfaces.audit import run

    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert run._progress() is None
    err = capsys.readouterr().err
    assert "a progress bar needs the [progress] extra" in err and "auditing without one" in err


def test_a_broken_package_is_not_reported_as_a_missing_extra(monkeypatch):
    from classifier.surfaces.extras import require

    monkeypatch.setitem(sys.modules, "starlette", None)  # fastapi is there, one of its own needs is not
    for name in [n for n in sys.modules if n == "fastapi" or n.startswith("fastapi.")]:
        monkeypatch.delitem(sys.modules, name)
    with pytest.raises(ModuleNotFoundError):
        require("server", "the HTTP API", "fastapi")
