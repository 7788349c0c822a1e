"""A pure ASGI middleware (Starlette's BaseHTTPMiddleware wraps every body in extra streams)
that limits the request body and records route, status and latency of every answer.

Every answer is counted, a 413 the app never saw and an exception it raised (a 500: the
server-errors alert depends on it) included, under the route's template (`/predict`, `/docs`):
the route is matched here, so the label never depends on which router answered; a path no route
knows is `unmatched`, which bounds the label's values whatever clients send.

The limit applies to the bytes actually received, not to what `Content-Length` claims: a
chunked body has no length header, and a client may send more than it declared. A declared
length over the limit is refused before reading anything; otherwise the body is read up to
the limit and handed on to the app, which reads it whole anyway.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from starlette.routing import Match

from adclick.serve.prometheus import ServiceMetrics
from adclick.serve.request_contract import error

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BodyTooLargeError(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body, or `BodyTooLargeError` as soon as more than `limit` bytes arrived."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: nothing more will come
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(size)
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then defers to the real one."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def route_template(routes: Sequence[Any], scope: Message) -> str:
    """The template of the route of `routes` that `scope` matches (a wrong method still names its
    route), or `unmatched`."""
    if "route" in scope:  # set by FastAPI when one of its routes answered
        return str(scope["route"].path)
    return next((str(route.path) for route in routes if route.matches(scope)[0] is not Match.NONE), "unmatched")


class MeasureAndLimit:
    def __init__(self, app: Any, metrics: ServiceMetrics, max_body_bytes: int, routes: Sequence[Any] = ()) -> None:
        self.app, self.metrics, self.max_body_bytes, self.routes = app, metrics, max_body_bytes, routes

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), [500]

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self._limit_and_answer(scope, receive, send_and_note)
        finally:  # an exception on its way to Starlette's 500 is counted as that 500
            self.metrics.observe(route_template(self.routes, scope), status[0], time.perf_counter() - started)

    async def _limit_and_answer(self, scope: Message, receive: Receive, send: Send) -> None:
        try:
            declared = dict(scope["headers"]).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > self.max_body_bytes:
                raise BodyTooLargeError(int(declared))
            body = await read_body(receive, self.max_body_bytes)
        except BodyTooLargeError as too_large:
            detail = f"body of {too_large.size} bytes or more is over the limit of {self.max_body_bytes}"
            await error(413, detail)(scope, receive, send)
        else:
            await self.app(scope, replay(body, receive), send)
