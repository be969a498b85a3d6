"""The Spark session of `tlc audit --engine spark`: which master, and one line when pyspark or Java is missing."""
from __future__ import annotations

import sys

import pytest

from classifier.surfaces.spark import session
from conftest import run_cli


@pytest.mark.parametrize("master, workers, submitted, expected", [
    ("yarn", None, False, "yarn"),
    ("local[4]", 2, True, "local[4]"),
    (None, 3, False, "local[3]"),
    (None, None, False, "local[*]"),
    (None, 2, True, None),      # spark-submit has said which master
])
def test_default_master(monkeypatch, master, workers, submitted, expected):
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    monkeypatch.delenv("SPARK_SUBMIT_OPTS", raising=False)
    if submitted:
        monkeypatch.setenv("PYSPARK_GATEWAY_PORT", "1")
    assert session.default_master(master, workers) == expected


def test_java_is_found_from_java_home(monkeypatch, tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "java").write_text("", encoding="utf-8")
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    assert session.java_found()
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "none"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert not session.java_found()


def test_without_pyspark_one_line_says_how_to_install(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    code, _, err = run_cli(capsys, "audit", "--engine", "spark", str(tmp_path / "x.csv"))
    assert code == 2 and "pip install 'tlc-classifier[spark]'" in err and len(err.strip().splitlines()) == 1


def test_without_java_one_line_says_so(monkeypatch, capsys, tmp_path):
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    monkeypatch.setattr(SparkSession, "getActiveSession", classmethod(lambda cls: None))
    monkeypatch.setattr(session, "java_found", lambda: False)
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    monkeypatch.delenv("SPARK_SUBMIT_OPTS", raising=False)
    (tmp_path / "x.csv").write_text("text\nIDC\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "audit", "--engine", "spark", str(tmp_path / "x.csv"))
    assert code == 2 and "needs a Java runtime" in err and len(err.strip().splitlines()) == 1
