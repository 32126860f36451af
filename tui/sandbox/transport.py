"""The sandbox as an httpx transport: Zoho in-process, no sockets (for `--demo` and tests).

The handler runs on the event loop, not in a thread, so calls reach it in the
order the client sends them and seeded faults fall on the same calls every run.
Latency is an `asyncio.sleep`; a dropped connection (the request arrived, no answer
came back) raises `httpx.RemoteProtocolError`, as httpx does over a socket;
streamed bodies (attachments) arrive chunk by chunk.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx

from tui.sandbox.app import Sandbox


class _ChunkStream(httpx.AsyncByteStream):
    def __init__(self, chunks: Iterator[bytes], delay: float = 0.0,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self._chunks = chunks
        self._delay = delay
        self._sleep = sleep

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            if self._delay:
                await self._sleep(self._delay)  # a trickle: on the app's clock
            yield chunk
            await asyncio.sleep(0)  # let the app breathe between chunks, as a socket would


class SandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, sandbox: Sandbox, *, sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self.sandbox = sandbox
        self._sleep = sleep  # latency waits on the app's clock (virtual in tests)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        with self.sandbox.in_flight():
            latency = self.sandbox.faults.latency_ms
            if latency:
                await self._sleep(latency / 1000)
            body = await request.aread()
            answer = self.sandbox.handle(request.method, request.url.raw_path.decode("ascii"), request.headers, body,
                                         scheme=request.url.scheme)
        if answer.drop:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if isinstance(answer.body, bytes):
            return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)
        return httpx.Response(answer.status, headers=answer.headers,
                              stream=_ChunkStream(answer.body, answer.chunk_delay, self._sleep), request=request)
