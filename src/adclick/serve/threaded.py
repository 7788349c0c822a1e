"""The service on 127.0.0.1 in a thread of this process, for as long as a block runs.

The monitored replay sends each day's requests to a live service over a real socket; in-process,
the replay needs no second interpreter and shares the model already loaded. Port 0 lets the
system pick a free port, read back from the bound socket.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

HOST = "127.0.0.1"


@contextlib.contextmanager
def running(app: Any, timeout: float = 30.0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 until the block ends; yields the base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="adclick-service", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise TimeoutError(f"the service did not start on {HOST} within {timeout:.0f} s")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=timeout)
