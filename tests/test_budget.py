"""The time budget: no classification runs past it, on any surface, and a bad budget is an input error."""
from __future__ import annotations

import pytest

from classifier import classify
from classifier.budget import DEFAULT_SECONDS, Deadline, budget_seconds
from classifier.errors import InputError, TimeLimitExceeded
from tests.conftest import run_cli

TEXT = "我们提供CDN加速服务和云主机服务，覆盖全国。" * 20
TINY = 1e-9   # spent before the first check


def test_the_budget_comes_from_the_caller_then_the_environment_then_the_default(monkeypatch):
    monkeypatch.delenv("TLC_TIME_LIMIT", raising=False)
    assert budget_seconds() == DEFAULT_SECONDS
    monkeypatch.setenv("TLC_TIME_LIMIT", "2.5")
    assert budget_seconds() == 2.5 and budget_seconds(7) == 7.0
    assert budget_seconds(0) is None   # 0: no limit


@pytest.mark.parametrize("raw", ["soon", "-1", "nan"])
def test_a_budget_that_is_not_seconds_is_an_input_error(monkeypatch, raw):
    monkeypatch.setenv("TLC_TIME_LIMIT", raw)
    with pytest.raises(InputError) as raised:
        budget_seconds()
    assert raised.value.code == "invalid_time_limit"


def test_a_deadline_raises_once_passed_and_never_reports_zero_left():
    deadline = Deadline(TINY)
    with pytest.raises(TimeLimitExceeded, match="time limit"):
        deadline.check("testing")
    assert deadline.left() > 0
    Deadline(None).check("never")   # no limit: never raises


def test_classify_stops_at_its_budget_and_says_so():
    with pytest.raises(TimeLimitExceeded) as raised:
        classify(TEXT, time_limit=TINY)
    assert raised.value.code == "time_limit" and "--time-limit" in str(raised.value)
    assert classify(TEXT, time_limit=0).codes   # and without a limit the same text is classified


def test_the_cli_reports_a_spent_budget_as_one_line(capsys):
    code, out, err = run_cli(capsys, "classify", "--time-limit", str(TINY), TEXT)
    assert code == 2 and out == "" and err.startswith("tlc: error: classification stopped")


def test_an_audit_record_past_its_budget_is_skipped_not_fatal(capsys, tmp_path):
    source = tmp_path / "in.txt"
    source.write_text(f"{TEXT}\n{TEXT}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "audit", str(source), "--time-limit", str(TINY))
    assert code == 0 and "read 2, classified 0, skipped 2" in err and "time limit" in err


def test_http_answers_503_with_retry_after(monkeypatch):
    from fastapi.testclient import TestClient

    from classifier.surfaces.http import create_app

    monkeypatch.setenv("TLC_TIME_LIMIT", str(TINY))
    client = TestClient(create_app())
    response = client.post("/v1/classify", json={"text": TEXT})
    assert response.status_code == 503 and response.json()["code"] == "time_limit"
    assert response.headers["retry-after"] == "1"
    audit = client.post("/v1/audit", json={"records": [{"text": TEXT}, {"text": TEXT}]})
    assert audit.status_code == 503 and audit.json()["code"] == "time_limit"
