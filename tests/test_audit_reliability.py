"""An audit never loses a record silently and never destroys a file it did not create.

Every failure mode ends in one of two ways: each record read is in the outputs or reported as skipped
(rows in = rows out), or the outputs say they are partial, with the count and the last record read.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import run_cli

CDN = "我们提供CDN加速服务"


def _mixed_csv(path):
    """Three good rows, a GBK row, a good row, a row whose quote never closes, a good row."""
    data = "id,text\n1,我们提供CDN加速服务\n2,我们提供IDC服务\n3,我们提供云主机服务\n".encode()
    data += "4,我们提供IDC服务\n".encode("gbk")
    data += '5,我们提供CDN加速服务\n6,"我们提供CDN\n7,我们提供IDC服务\n'.encode()
    path.write_bytes(data)


def test_a_bad_row_is_reported_by_line_and_byte_and_no_other_row_is_lost(capsys, tmp_path):
    source, out_csv, out_jsonl = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "out.jsonl"
    _mixed_csv(source)
    code, _, err = run_cli(capsys, "audit", str(source), "-o", str(out_csv), "-o", str(out_jsonl))
    assert code == 0
    assert f"{source}:5: not valid UTF-8 at byte " in err
    assert f"{source}:7: malformed CSV at byte " in err and "never closed" in err
    assert "read 7, classified 5, skipped 2" in err
    with out_csv.open(encoding="utf-8") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == ["1", "2", "3", "5", "7"]
    assert [json.loads(line)["id"] for line in out_jsonl.read_text(encoding="utf-8").splitlines()] == \
        ["1", "2", "3", "5", "7"]


def test_strict_stops_at_the_bad_row_and_marks_the_outputs_partial(capsys, tmp_path):
    source, out_csv, out_jsonl = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "out.jsonl"
    _mixed_csv(source)
    code, _, err = run_cli(capsys, "audit", str(source), "--strict", "-o", str(out_csv), "-o", str(out_jsonl))
    assert code == 2 and "tlc: error:" in err and "not valid UTF-8" in err
    lines = [json.loads(line) for line in out_jsonl.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines[:-1]] == ["1", "2", "3"]
    assert lines[-1]["partial"] is True and lines[-1]["read"] == 3 and lines[-1]["last"] == f"{source}:4"
    with out_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == ["1", "2", "3", "#partial"] and rows[-1]["status"] == "partial"


def test_a_partial_html_report_names_the_stop_without_the_auditors_directories(capsys, tmp_path):
    source, out_html = tmp_path / "in.csv", tmp_path / "out.html"
    _mixed_csv(source)
    assert run_cli(capsys, "audit", str(source), "--strict", "-o", str(out_html))[0] == 2
    page = out_html.read_text(encoding="utf-8")
    banner = page[page.index('id="partial"'):].split("</div>")[0]
    assert "in.csv:4" in banner and "not valid UTF-8" in banner and str(tmp_path) not in page


def test_an_interrupted_run_leaves_outputs_marked_partial(capsys, tmp_path, monkeypatch):
    from classifier.surfaces.audit import run

    source, out_jsonl, out_html = tmp_path / "in.csv", tmp_path / "out.jsonl", tmp_path / "out.html"
    source.write_text("id,text\n" + "".join(f"{i},{CDN}\n" for i in range(1, 9)), encoding="utf-8")
    real = run.classify_record

    def interrupted(record, *args, **kwargs):
        if record.id == "4":
            raise KeyboardInterrupt
        return real(record, *args, **kwargs)

    monkeypatch.setattr(run, "classify_record", interrupted)
    code, _, err = run_cli(capsys, "audit", str(source), "-o", str(out_jsonl), "-o", str(out_html))
    assert code == 130
    lines = [json.loads(line) for line in out_jsonl.read_text(encoding="utf-8").splitlines()]
    assert [line.get("id") for line in lines[:-1]] == ["1", "2", "3"]
    assert lines[-1] == {"partial": True, "reason": "interrupted", "read": 3, "last": f"{source}:4"}
    page = out_html.read_text(encoding="utf-8")
    assert "partial" in page.lower() and f"last record read: {source.name}:4" in page and str(source) not in page
    assert not list(tmp_path.glob(".*.part")), "no temporary file is left behind"


def test_a_run_that_fails_before_reading_leaves_existing_outputs_untouched(capsys, tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("yesterday's results\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "audit", str(tmp_path / "missing.csv"), "-o", str(out))
    assert code == 2 and "missing.csv" in err
    assert out.read_text(encoding="utf-8") == "yesterday's results\n"
    assert not list(tmp_path.glob(".*.part"))


def test_outputs_appear_only_when_the_run_ends(capsys, tmp_path):
    source, out = tmp_path / "in.txt", tmp_path / "out.jsonl"
    source.write_text(f"{CDN}\n", encoding="utf-8")
    out.write_text("old\n", encoding="utf-8")
    code, _, _ = run_cli(capsys, "audit", str(source), "-o", str(out))
    assert code == 0
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["id"]


@pytest.mark.parametrize("fmt", [None, "jsonl"])
def test_jsonl_on_stdin_is_read_as_records(capsys, monkeypatch, tmp_path, fmt):
    body = "\n".join(json.dumps({"id": f"r{i}", "text": CDN}, ensure_ascii=False) for i in range(3)) + "\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(body.encode())))
    out = tmp_path / "out.jsonl"
    code, _, err = run_cli(capsys, "audit", "-", *(["--format", fmt] if fmt else []), "-o", str(out))
    assert code == 0, err
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["r0", "r1", "r2"]


def test_a_jsonl_line_nested_too_deep_is_skipped_with_its_line(capsys, tmp_path):
    source = tmp_path / "in.jsonl"
    deep = '{"id": "x", "text": ' + "[" * 50_000 + "]" * 50_000 + "}"
    source.write_text(f'{{"id": "a", "text": "{CDN}"}}\n{deep}\n{{"id": "b", "text": "{CDN}"}}\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "audit", str(source))
    assert code == 0 and f"{source}:2:" in err and "read 3, classified 2, skipped 1" in err


def test_a_csv_field_longer_than_the_csv_module_default_is_read(capsys, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(f'id,text\n1,"{CDN}{"。" * 200_000}"\n2,{CDN}\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "audit", str(source))
    assert code == 0 and "read 2, classified 2, skipped 0" in err


def test_outputs_get_the_permissions_a_file_written_in_place_would_have(capsys, tmp_path):
    import os
    import stat

    source, fresh, existing = tmp_path / "in.txt", tmp_path / "new.jsonl", tmp_path / "old.csv"
    source.write_text(f"{CDN}\n", encoding="utf-8")
    existing.write_text("old\n", encoding="utf-8")
    existing.chmod(0o640)
    umask = os.umask(0o022)
    try:
        code, _, _ = run_cli(capsys, "audit", str(source), "-o", str(fresh), "-o", str(existing))
    finally:
        os.umask(umask)
    assert code == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
