"""A dialogue that asks, one at a time, the questions whose answers would change the result.

Each answer re-runs the engine (docassemble's way: ask for what is still undefined, then re-evaluate),
so a question never repeats once answered and questions that stop mattering disappear. The asking
itself is a callback, so the same loop serves a terminal, piped input or a test.
"""
from __future__ import annotations

from typing import Any, Callable

from classifier.knowledge.catalogue import Catalogue
from classifier.findings.result import Question, Result

MAX_ROUNDS = 20

Ask = Callable[[str, "tuple[str, ...] | None"], "str | None"]


def _prompt(question: Question, lang: str) -> str:
    if lang == "zh":
        return question.question_zh
    if lang == "en":
        return question.question_en
    return f"{question.question_zh}\n{question.question_en}"


def run_interview(classify_with: Callable[[dict], Result], catalogue: Catalogue, lang: str, ask: Ask,
                  tell: Callable[[str], None] = lambda message: None, attempts: int = 3) -> Result:
    """Ask until no question is left (or the user skips them); return the final result.

    An empty answer (or end of input) skips a question; an answer the profile refuses is reported
    through ``tell`` and asked again, at most ``attempts`` times.
    """
    from classifier.errors import InputError

    answers: dict[str, Any] = {}
    skipped: set[str] = set()
    tries: dict[str, int] = {}
    result = classify_with(answers)
    for _ in range(MAX_ROUNDS):
        pending = [q for q in result.questions if q.fact not in answers and q.fact not in skipped]
        if not pending:
            break
        question = pending[0]
        raw = ask(_prompt(question, lang), question.options or None)
        if raw is None:
            skipped.add(question.fact)
            continue
        try:
            answers[question.fact] = raw  # read by the library's one answer parser (text/answers.py)
            result = classify_with(answers)
        except (InputError, ValueError) as exc:
            answers.pop(question.fact, None)
            tries[question.fact] = tries.get(question.fact, 0) + 1
            tell(f"  ! {exc}")
            if tries[question.fact] >= attempts:
                skipped.add(question.fact)
    return result
