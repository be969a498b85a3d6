"""A time budget for one classification, so no input can hold a caller (a worker, an HTTP request)
past it: the pipeline checks its deadline between stages and inside its long loops, and stops with
``TimeLimitExceeded`` — a clear error — instead of running on.

The budget comes from the caller (``classify(..., time_limit=...)``, ``--time-limit``), else from
``TLC_TIME_LIMIT`` (seconds), else ``DEFAULT_SECONDS``. ``0`` means no limit.
"""
from __future__ import annotations

import os
import time

from classifier.errors import InputError, TimeLimitExceeded

DEFAULT_SECONDS = 30.0
ENV = "TLC_TIME_LIMIT"


def budget_seconds(given: float | None = None) -> float | None:
    """The budget in seconds (None: unlimited), from the argument, the environment or the default."""
    if given is None:
        raw = os.environ.get(ENV)
        if raw is None:
            return DEFAULT_SECONDS
        try:
            given = float(raw)
        except ValueError:
            raise InputError(f"{ENV}={raw!r} is not a number of seconds", code="invalid_time_limit") from None
    if given != given or given < 0:  # NaN or negative
        raise InputError(f"time limit {given!r} is not a number of seconds >= 0", code="invalid_time_limit")
    return None if given == 0 else float(given)


class Deadline:
    """When the current classification must stop; ``check`` raises once that moment has passed."""

    __slots__ = ("at", "seconds")

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.at = time.monotonic() + seconds if seconds else None

    def check(self, where: str) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise TimeLimitExceeded(f"classification stopped after its time limit of {self.seconds:g} s ({where}); "
                                    f"shorten the text or raise the limit ({ENV}, --time-limit)")

    def left(self) -> float | None:
        """Seconds left (None: unlimited); never 0, which would read as 'no limit' to a callee."""
        return None if self.at is None else max(1e-6, self.at - time.monotonic())


NO_DEADLINE = Deadline(None)
