from pathlib import Path

import pytest

from classifier.errors import KnowledgeError
from classifier.knowledge.yaml_reader import parse_yaml, read_yaml


def test_duplicate_keys_are_refused_with_their_line():
    with pytest.raises(KnowledgeError, match=r"duplicate key 'code' \(line 2\)"):
        parse_yaml("code: B11\ncode: B14\n", source="x.yaml")


def test_malformed_yaml_names_file_and_line():
    with pytest.raises(KnowledgeError) as info:
        parse_yaml("entries:\n  - code: [B11\n", source="bad.yaml")
    assert str(info.value).startswith("bad.yaml: malformed YAML (line")


def test_missing_file(tmp_path: Path):
    with pytest.raises(KnowledgeError, match="file not found"):
        read_yaml(tmp_path / "nope.yaml")


def test_binary_file(tmp_path: Path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(KnowledgeError, match="not UTF-8"):
        read_yaml(path)


def test_dates_load_as_dates():
    import datetime as dt

    assert parse_yaml("valid_from: 2016-03-01") == {"valid_from": dt.date(2016, 3, 1)}
