"""``tlc serve`` as a process: it answers, and SIGTERM lets the request in flight finish, then exits 0."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, json.dumps(body, ensure_ascii=False).encode(),
                                     {"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_sigterm_finishes_the_request_in_flight_and_exits_0():
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "classifier", "serve", "--port", str(port), "--time-limit", "20"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        for _ in range(300):   # wait (up to 30 s) for it to listen
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server never answered /healthz")
        answers: list[tuple[int, dict]] = []
        text = "我們在台灣提供網際網路接入與雲端主機服務，覆蓋全國。" * 8_000   # long enough to be in flight
        flight = threading.Thread(target=lambda: answers.append(_post(f"{base}/v1/classify", {"text": text})))
        flight.start()
        time.sleep(0.3)
        server.send_signal(signal.SIGTERM)
        flight.join(60)
        assert server.wait(60) == 0
        assert answers and answers[0][0] in (200, 503), answers   # answered: a result, or its time limit
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
