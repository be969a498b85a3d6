"""`tlc audit --engine spark`: the same answers, counts, exit code and HTML summary as `tlc audit` on the
same input (a few thousand records, CSV and JSONL), Parquet and JSONL outputs, and one-line errors."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from conftest import run_cli, sample_inputs

DAY = "2025-06-01"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A CSV (with a BOM, quotes and line breaks inside texts, a row with no text) and a JSONL (profiles,
    texts with their own kind, a blank line, malformed lines)."""
    folder = tmp_path_factory.mktemp("inputs")
    rows, objects = sample_inputs(2400)
    table = folder / "records.csv"
    with table.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "note"])
        writer.writerows((record_id, text, 'a "quoted" note') for record_id, text in rows)
        writer.writerow(["empty", "", "no text"])
    lines = folder / "records.jsonl"
    with lines.open("w", encoding="utf-8") as handle:
        for number, item in enumerate(objects):
            handle.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")
            if number == 3:
                handle.write("\n{not json\n[1, 2]\n")
    return table, lines


@pytest.fixture(scope="module")
def local_run(inputs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("local")
    return _audit(folder, inputs, [], ["local.jsonl", "local.html"])


@pytest.fixture(scope="module")
def spark_run(spark, inputs, tmp_path_factory):
    folder = tmp_path_factory.mktemp("spark")
    return _audit(folder, inputs, ["--engine", "spark", "--report-rows", "5000"],
                  ["spark.jsonl", "spark.parquet", "spark.html"])


def _audit(folder: Path, inputs, engine: list[str], outputs: list[str]) -> dict:
    from classifier.surfaces.cli import main

    table, lines = inputs
    args = ["audit", str(table), str(lines), "--as-of", DAY, "--fail-on", "review", *engine]
    for name in outputs:
        args += ["-o", str(folder / name)]
    code, err = _run(main, args)
    return {"code": code, "err": err, "folder": folder}


def _run(main, args) -> tuple[int, str]:
    """Run the CLI in-process, capturing stderr (module fixtures cannot use capsys)."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit_info:
        main(args)
    return exit_info.value.code, err.getvalue()


def _local_results(folder: Path) -> dict[str, dict]:
    found = {}
    for line in (folder / "local.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        found[data.pop("id")] = data
        data.pop("source"), data.pop("line")
    return found


def _spark_results(folder: Path) -> dict[str, dict]:
    found = {}
    parts = sorted((folder / "spark.jsonl").glob("part-*"))
    for part in parts:
        for line in part.read_text(encoding="utf-8").splitlines():
            data = json.loads(line)
            found[data.pop("id")] = data
            data.pop("source")
    return found


def test_every_record_answers_as_the_local_audit(local_run, spark_run):
    local, spark = _local_results(local_run["folder"]), _spark_results(spark_run["folder"])
    assert len(local) > 2500 and local.keys() == spark.keys()
    different = [record_id for record_id in local if local[record_id] != spark[record_id]]
    assert not different, f"{len(different)} records answered differently, e.g. {different[:5]}"


def test_same_counts_and_exit_code(local_run, spark_run):
    summary = re.compile(r"read \d+, classified \d+, skipped \d+; \d+ with red lines")
    assert summary.findall(spark_run["err"]) == summary.findall(local_run["err"]) != []
    assert spark_run["code"] == local_run["code"] == 1
    assert spark_run["err"].count("tlc: skipped") == local_run["err"].count("tlc: skipped") >= 3
    assert "records.csv (empty): empty 'text'" in spark_run["err"]


def test_the_html_summary_is_the_local_one(local_run, spark_run):
    local = (local_run["folder"] / "local.html").read_text(encoding="utf-8")
    spark = (spark_run["folder"] / "spark.html").read_text(encoding="utf-8")

    def part(page: str, start: str, end: str) -> str:
        return page[page.index(start):page.index(end, page.index(start))]

    assert part(spark, '<section class="summary', "</section>") == part(local, '<section class="summary', "</section>")
    assert part(spark, '<div class="chart">', "</div>\n") == part(local, '<div class="chart">', "</div>\n")
    assert part(spark, '<select id="f-code">', "</select>") == part(local, '<select id="f-code">', "</select>")
    assert spark.count('<tr id="row-') == local.count('<tr id="row-') > 2500
    assert 'id="shown-note"' not in spark
    assert re.findall(r"Skipped records \((\d+)\)", spark) == re.findall(r"Skipped records \((\d+)\)", local)


def test_parquet_holds_typed_columns_in_input_order(local_run, spark_run):
    import pyarrow.parquet as pq

    parts = sorted((spark_run["folder"] / "spark.parquet").glob("part-*.parquet"))
    rows = [row for part in parts for row in pq.read_table(part).to_pylist()]
    assert list(rows[0])[:2] == ["id", "source"] and "tlc_result" in rows[0]
    local = _local_results(local_run["folder"])
    refused = [row for row in rows if row["tlc_error"] is not None]
    assert len(rows) == len(local) + len(refused) and len(refused) == spark_run["err"].count("tlc: skipped")
    assert [row["id"] for row in rows[:3]] == ["t0", "t1", "t2"] and rows[0]["source"].endswith("records.csv")
    for row in rows:
        if row["tlc_error"] is None:
            expected = local[row["id"]]
            assert row["tlc_codes"] == [b["code"] for b in expected["businesses"]]
            assert [r["id"] for r in row["tlc_red_lines"]] == [r["id"] for r in expected["red_lines"]]
            assert json.loads(row["tlc_result"]) == expected


def test_a_capped_report_shows_the_worst_first(spark, inputs, tmp_path):
    table, _ = inputs
    code, err = _run(_main(), ["audit", "--engine", "spark", str(table), "--as-of", DAY, "--report-rows", "20",
                               "-o", str(tmp_path / "r.html")])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count('<tr id="row-') == 20 and 'id="shown-note"' in page
    severities = re.findall(r'data-severity="(\w+)"', page)
    assert severities[0] == "prohibited" and severities == sorted(severities, key=_severity_rank)


def _severity_rank(severity: str) -> int:
    from classifier.findings.result import SEVERITIES

    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _main():
    from classifier.surfaces.cli import main

    return main


def test_outputs_replace_old_ones_only_when_complete(spark, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "提供CDN加速服务"}\n{bad\n', encoding="utf-8")
    out = tmp_path / "out.parquet"
    out.mkdir()
    (out / "old").write_text("old", encoding="utf-8")
    code, _ = _run(_main(), ["audit", "--engine", "spark", str(source), "-o", str(out), "--strict"])
    assert code == 2 and (out / "old").exists()   # the run failed: the old output is as it was
    code, _ = _run(_main(), ["audit", "--engine", "spark", str(source), "-o", str(out), "--as-of", DAY])
    assert code == 0 and not (out / "old").exists() and list(out.glob("part-*.parquet"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]   # no temporary left behind


def test_strict_stops_before_writing(spark, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "提供CDN加速服务"}\n{bad\n', encoding="utf-8")
    code, err = _run(_main(), ["audit", "--engine", "spark", str(source), "--strict", "-o", str(tmp_path / "o.jsonl")])
    assert code == 2 and "malformed JSON" in err and not (tmp_path / "o.jsonl").exists()


@pytest.mark.parametrize("args, message", [
    (["{csv}", "--text-column", "nope"], "no column 'nope'"),
    (["{dir}/missing.csv"], "missing.csv: file not found"),
    (["{dir}/records.xml"], "cannot tell its format"),
    (["{csv}", "--format", "yaml"], "reads csv, tsv, jsonl, parquet"),
    (["{csv}", "-o", "{dir}/out.csv"], "writes .parquet, .jsonl or .html"),
    (["{jsonl}", "-o", "{jsonl}"], "is also an input"),
    (["-"], "not stdin"),
    (["{csv}", "--as-of", "2001-01-01"], "before the catalogue came into force"),
])
def test_bad_input_is_one_line_and_exit_2(spark, inputs, tmp_path, args, message):
    table, lines = inputs
    (tmp_path / "records.xml").write_text("<x/>", encoding="utf-8")
    filled = [a.replace("{csv}", str(table)).replace("{jsonl}", str(lines)).replace("{dir}", str(tmp_path))
              for a in args]
    code, err = _run(_main(), ["audit", "--engine", "spark", *filled])
    assert code == 2 and message in err, err
    assert len([line for line in err.splitlines() if line.startswith("tlc:")]) == 1 and "Traceback" not in err


def test_parquet_needs_the_spark_engine(capsys, tmp_path):
    code, _, err = run_cli(capsys, "audit", str(tmp_path / "x.parquet"))
    assert code == 2 and "Parquet is read with --engine spark" in err
    code, _, err = run_cli(capsys, "audit", str(tmp_path / "x.txt"), "--master", "local[2]")
    assert code == 2 and "--master goes with --engine spark" in err


def test_parquet_input_answers_as_the_local_audit(spark, local_run, tmp_path):
    local = _local_results(local_run["folder"])
    chosen = [(int(record_id[1:]), data["input"]["text"]) for record_id, data in local.items()
              if record_id.startswith("t")][:200]
    spark.createDataFrame(chosen, "id long, scope string").write.parquet(str(tmp_path / "registry.parquet"))
    code, err = _run(_main(), ["audit", "--engine", "spark", str(tmp_path / "registry.parquet"), "--text-column",
                               "scope", "--as-of", DAY, "--fail-on", "review", "-o", str(tmp_path / "spark.jsonl")])
    assert "read 200, classified 200, skipped 0" in err
    answers = _spark_results(tmp_path)
    assert answers == {str(number): local[f"t{number}"] for number, _ in chosen}   # an integer id, as text


def test_an_empty_input_is_a_clean_run(spark, tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    code, err = _run(_main(), ["audit", "--engine", "spark", str(tmp_path / "empty.jsonl"), "-o",
                               str(tmp_path / "e.parquet"), "-o", str(tmp_path / "e.html")])
    assert code == 0 and "read 0, classified 0, skipped 0; 0 with red lines" in err
    assert '<b id="read">0</b>' in (tmp_path / "e.html").read_text(encoding="utf-8")


def test_outputs_are_planned_by_extension(tmp_path):
    from classifier.errors import FileProblem
    from classifier.surfaces.spark.audit import Output, plan_outputs

    assert plan_outputs(["in.csv"], ["a.parquet", "s3a://b/r.jsonl", "r.html"]) == [
        Output("a.parquet", "parquet"), Output("s3a://b/r.jsonl", "jsonl"), Output("r.html", "html")]
    for wrong in (["a.csv"], ["hdfs://nn/r.html"]):
        with pytest.raises(FileProblem) as caught:
            plan_outputs(["in.csv"], wrong)
        assert caught.value.code == "invalid_output"


def test_a_complete_output_replaces_the_old_one(tmp_path):
    from classifier.surfaces.spark.audit import _swap

    new, target = tmp_path / ".new", tmp_path / "out.parquet"
    for old_is_a_file in (True, False):
        new.mkdir()
        (new / "part-0").write_text("new", encoding="utf-8")
        if old_is_a_file:
            target.write_text("old", encoding="utf-8")
        _swap(new, target)
        assert (target / "part-0").read_text(encoding="utf-8") == "new" and not new.exists()
        assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]
