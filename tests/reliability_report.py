"""Print the tables of docs/reliability.md from what the tool does now.

    .venv/bin/python tests/reliability_report.py

1. The bad-input matrix: each row of tests/test_bad_inputs.py's table, put to the Python API, the CLI,
   HTTP and the MCP classify tool, with the outcome each gave.
2. Audit failure modes: for each way an audit can go wrong, the records in the input, the records in
   the outputs plus those reported skipped, and what the outputs say.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_bad_inputs import TABLE, _body, _cli_args  # noqa: E402


def _python(bad) -> str:
    from classifier import classify
    from classifier.errors import TlcError

    try:
        classify(bad.subject, **bad.options)
    except TlcError as exc:
        return f"`{type(exc).__name__}` {exc.code}"
    except Exception as exc:  # noqa: BLE001 - reported, that is the point
        return f"ESCAPED {type(exc).__name__}"
    return "a result (!)"


def _cli(bad, tmp: Path) -> str:
    from classifier.surfaces.cli import main

    if not bad.cli or "answers" in bad.options:
        return "–"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main(_cli_args(bad, tmp))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return f"exit {code}, one line" if err.getvalue().count("\n") == 1 else f"exit {code}"


def _http(bad, client) -> str:
    if not bad.http:
        return "–"
    response = client.post("/v1/classify", content=_body(bad), headers={"content-type": "application/json"})
    return f"{response.status_code} {response.json().get('code')}"


def _mcp(bad, server) -> str:
    import anyio
    from mcp import Client

    if bad.mcp == "no":
        return "–"
    arguments = {"profile": bad.profile} if bad.profile is not None else {"text": bad.text}
    arguments.update(bad.options)

    async def call():
        async with Client(server) as client:
            return await client.call_tool("classify", arguments)

    result = anyio.run(call)
    if not result.is_error:
        return "a result (!)"
    if bad.mcp == "arguments":
        return "error: argument refused"
    return f"error {json.loads(result.content[0].text)['code']}"


def matrix() -> None:
    from fastapi.testclient import TestClient

    from classifier.surfaces.http import create_app
    from classifier.surfaces.mcp_server import create_server

    client = TestClient(create_app(mcp=False), raise_server_exceptions=False)
    server = create_server()
    print("| input | Python | CLI | HTTP | MCP |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for bad in TABLE:
            print(f"| {bad.name} | {_python(bad)} | {_cli(bad, Path(tmp))} | {_http(bad, client)} | "
                  f"{_mcp(bad, server)} |")


def _audit(args: list[str], *, stdin: bytes | None = None, interrupt_after: float | None = None) -> tuple[int, str]:
    command = [sys.executable, "-m", "classifier", "audit", *args]
    if interrupt_after is None:
        run = subprocess.run(command, input=stdin, capture_output=True)
        return run.returncode, run.stderr.decode()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(interrupt_after)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate()
    return process.returncode, err.decode()


def _rows_out(path: Path) -> tuple[int, str]:
    """Records in an audit's JSONL output, and whether it says it is partial (why, count, last)."""
    if not path.exists():
        return 0, "no file"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    partial = [line for line in lines if line.get("partial")]
    if not partial:
        return len(lines), "complete"
    reason = partial[0]["reason"].replace(str(path.parent) + os.sep, "")
    return len(lines) - 1, f"partial ({reason}; read {partial[0]['read']}, last {Path(partial[0]['last']).name})"


def _skipped(err: str) -> int:
    return err.count("tlc: skipped ")


def failure_modes() -> None:
    print("| failure | records in | written | reported skipped | exit | outputs |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        good = "我们提供CDN加速服务"
        mixed = tmp / "mixed.csv"
        mixed.write_bytes("id,text\n1,我们提供CDN加速服务\n2,我们提供IDC服务\n".encode()
                          + "3,我们提供IDC服务\n".encode("gbk")
                          + '4,我们提供CDN加速服务\n5,"我们提供CDN\n6,我们提供IDC服务\n'.encode())
        out = tmp / "out.jsonl"

        def row(name, records_in, args, **kwargs):
            out.unlink(missing_ok=True)
            code, err = _audit([*args, "-o", str(out)], **kwargs)
            written, note = _rows_out(out)
            print(f"| {name} | {records_in} | {written} | {_skipped(err)} | {code} | {note} |")

        row("a GBK row and an unclosed quote in a UTF-8 CSV", 6, [str(mixed)])
        row("the same with --strict", 6, [str(mixed), "--strict"])
        deep = tmp / "deep.jsonl"
        deep.write_text(f'{{"text": "{good}"}}\n{{"text": {"[" * 50_000}{"]" * 50_000}}}\n{{"text": "{good}"}}\n'
                        f'{{broken\n', encoding="utf-8")
        row("JSONL: a line nested 50,000 deep, a malformed line", 4, [str(deep)])
        big = tmp / "big.txt"
        big.write_text("".join(f"{good}{i}\n" for i in range(20_000)), encoding="utf-8")
        row("Ctrl-C (SIGINT) after 3 s of 20,000 records", 20_000, [str(big)], interrupt_after=3.0)
        stdin = "".join(json.dumps({"id": str(i), "text": good}, ensure_ascii=False) + "\n" for i in range(5))
        row("JSONL on stdin, no --format", 5, ["-"], stdin=stdin.encode())
        slow = tmp / "slow.txt"
        slow.write_text(f"{good}\n" * 3, encoding="utf-8")
        row("every record past its time limit", 3, [str(slow), "--time-limit", "0.000001"])

        source = tmp / "in.csv"
        source.write_text(f"id,text\n1,{good}\n", encoding="utf-8")
        before = source.read_bytes()
        code, _ = _audit([str(source), "-o", str(source)])
        print(f"| the input named as the output | 1 | 0 | 0 | {code} | refused; input "
              f"{'unchanged' if source.read_bytes() == before else 'CHANGED'} |")
        kept = tmp / "kept.jsonl"
        kept.write_text("yesterday\n", encoding="utf-8")
        code, _ = _audit([str(tmp / "missing.csv"), "-o", str(kept)])
        print(f"| a missing input, an existing output | 0 | 0 | 0 | {code} | existing output "
              f"{'unchanged' if kept.read_text(encoding='utf-8') == 'yesterday' + chr(10) else 'CHANGED'} |")


if __name__ == "__main__":
    os.environ.setdefault("TLC_TIME_LIMIT", "30")
    matrix()
    print()
    failure_modes()
