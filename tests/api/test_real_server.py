"""The real thing: `adclick serve` with uvicorn on a free 127.0.0.1 port, probed, used and stopped."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

import httpx

from tests.helpers.api import Served
from tools.load import free_port, wait_until_ready


def test_served_over_a_socket_it_predicts_and_shuts_down_cleanly(served: Served, records: list[dict[str, Any]]) -> None:
    port = free_port()
    command = [sys.executable, "-m", "adclick.cli", "serve", "--config", str(served.config), "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/ready", timeout=90)
        answer = httpx.post(f"http://127.0.0.1:{port}/predict", json={"records": records[:5]}, timeout=10)
        assert answer.status_code == 200
        assert len(answer.json()["predictions"]) == 5
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it so the exit status tells why it ended.
    assert process.returncode in (0, -signal.SIGTERM), f"exit code {process.returncode}: {err[-1_000:]}"
    assert "Traceback" not in err
