"""The interview loop and `tlc interview`, driven by scripted answers."""
from __future__ import annotations

import io
import sys

from classifier import classify
from classifier.knowledge.loader import load_catalogue
from classifier.surfaces.interview import run_interview
from classifier.findings.result import Question

from conftest import run_cli


def _scripted(answers):
    asked = []

    def ask(prompt, choices):
        asked.append(prompt)
        return answers.pop(0) if answers else None

    return ask, asked


def test_each_question_is_asked_once_and_answers_settle_the_result():
    ask, asked = _scripted(["北京,上海", "false", "0.3", "杭州"])
    result = run_interview(lambda a: classify("为企业客户提供SD-WAN组网服务", as_of="2025-06-01", answers=a or None),
                           load_catalogue(), "en", ask)
    assert len(asked) == len(set(asked))
    assert [(b.code, b.authority) for b in result.businesses] == [("B13", "MIIT")]
    assert not result.red_lines


def test_bad_answers_are_reported_and_asked_again():
    told = []
    ask, asked = _scripted(["火星", "火星", "火星"])
    run_interview(lambda a: classify("为企业客户提供SD-WAN组网服务", answers=a or None), load_catalogue(), "zh", ask,
                  tell=told.append)
    assert len(told) == 3 and "unknown province" in told[0]


def test_tlc_interview_works_when_piped(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("北京,上海,广东\nfalse\n0\n\n\n"))
    code, out, err = run_cli(capsys, "interview", "为企业客户提供SD-WAN组网服务", "--lang", "en")
    assert code == 0
    assert "Which provinces" in err and "B13" in out and "[MIIT]" in out
