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


class Served:
    """A `tlc serve --port 0` process: its URL (from the start-up line) and what it wrote to stderr."""

    def __init__(self, *args: str, env: dict | None = None):
        self.process = subprocess.Popen([sys.executable, "-m", "classifier", "serve", "--port", "0", *args],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
        self.started = self.process.stderr.readline()
        self.url = self.started.split("listening on ")[1].split()[0]

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=60)
        return err


def _request(url: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, dict, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, {"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), json.loads(exc.read())


def test_start_up_line_access_log_and_mcp_over_http():
    import anyio
    from mcp import Client

    served = Served()
    try:
        assert served.started.startswith("tlc ") and f"MCP {served.url}/mcp" in served.started
        status, _, body = _request(f"{served.url}/v1/classify", {"text": "提供CDN加速服务", "detail": "brief"})
        assert status == 200 and body["schema"] == "tlc.brief/1"

        async def agent():
            async with Client(f"{served.url}/mcp") as client:
                return await client.call_tool("classify", {"text": "面向个人用户的翻墙加速器"})

        answer = anyio.run(agent)
        assert not answer.is_error and answer.structured_content["red_lines"][0]["id"] == "consumer_circumvention"
    finally:
        log = served.stop()
    assert '"POST /v1/classify" 200' in log and '"POST /mcp" 200' in log


def test_an_api_key_guards_the_api_and_mcp_but_not_the_page_or_health():
    served = Served(env={"TLC_API_KEY": "s3cret"})
    try:
        assert "API key required" in served.started
        status, headers, body = _request(f"{served.url}/v1/classify", {"text": "CDN"})
        assert status == 401 and body["code"] == "unauthorized" and headers.get("www-authenticate") == "Bearer"
        assert _request(f"{served.url}/mcp", {"jsonrpc": "2.0", "id": 1, "method": "tools/list"})[0] == 401
        assert _request(f"{served.url}/v1/classify", {"text": "提供CDN加速服务"}, {"Authorization": "Bearer s3cret"})[0] == 200
        assert _request(f"{served.url}/v1/classify", {"text": "提供CDN加速服务"}, {"X-API-Key": "s3cret"})[0] == 200
        assert _request(f"{served.url}/v1/classify", {"text": "CDN"}, {"X-API-Key": "wrong"})[0] == 401
        assert _request(f"{served.url}/healthz")[0] == 200
        with urllib.request.urlopen(f"{served.url}/", timeout=30) as page:
            assert page.status == 200
    finally:
        served.stop()


def test_cors_lets_the_configured_origin_call_the_api():
    from fastapi.testclient import TestClient

    from classifier.surfaces.http import create_app

    os.environ["TLC_CORS_ORIGINS"] = "https://chat.example"
    try:
        client = TestClient(create_app(mcp=False))
    finally:
        del os.environ["TLC_CORS_ORIGINS"]
    preflight = client.options("/v1/classify", headers={"Origin": "https://chat.example",
                                                        "Access-Control-Request-Method": "POST",
                                                        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://chat.example"
    answer = client.post("/v1/classify", json={"text": "提供CDN加速服务"}, headers={"Origin": "https://chat.example"})
    assert answer.headers["access-control-allow-origin"] == "https://chat.example"
    other = client.post("/v1/classify", json={"text": "提供CDN加速服务"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    assert "access-control-allow-origin" not in TestClient(create_app(mcp=False)).post(
        "/v1/classify", json={"text": "CDN"}, headers={"Origin": "https://chat.example"}).headers
