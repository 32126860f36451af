"""The sandbox as a real HTTP server on loopback (for `crm-emails sandbox` and end-to-end tests).

Stdlib ThreadingHTTPServer speaking HTTP/1.1 with keep-alive. Bodies are
written as they are produced (attachments in chunks, with Content-Length, or
chunked when the length is unknown). A "drop" fault closes the socket without
a byte of answer. Only loopback addresses are served: the sandbox hands out
its credentials to anyone who asks.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tui.zoho.urls import is_loopback
from tui.sandbox.app import Sandbox
from tui.sandbox.wire import MESSAGES, SandboxResponse, zoho_error
from tui.zoho.errors import UsageError

IDLE_TIMEOUT_SECONDS = 30  # a keep-alive connection nobody uses is closed after this


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):  # clients hang up; that is fine
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ZGS"  # what Zoho's servers call themselves
    sys_version = ""
    timeout = IDLE_TIMEOUT_SECONDS
    # Headers and body go out in separate writes: with Nagle on, each answer waits ~40 ms for an ACK.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's naming)
        self._answer()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET  # noqa: N815

    def _answer(self) -> None:
        sandbox = self.server.sandbox
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with sandbox.in_flight():
            if sandbox.faults.latency_ms:
                time.sleep(sandbox.faults.latency_ms / 1000)
            try:
                answer = sandbox.handle(self.command, self.path, dict(self.headers.items()), body, scheme="http")
            except Exception:  # a sandbox bug must not kill the server: answer as Zoho would
                traceback.print_exc(file=sys.stderr)
                answer = zoho_error(500, "INTERNAL_SERVER_ERROR", MESSAGES["INTERNAL_SERVER_ERROR"])
        if answer.drop:
            self._drop()
            return
        self._send(answer)

    def _drop(self) -> None:
        """Cut the connection without answering, like a network that fails mid-request."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, answer: SandboxResponse) -> None:
        self.send_response(answer.status)
        headers = dict(answer.headers)
        chunked = not isinstance(answer.body, bytes) and "Content-Length" not in headers
        if isinstance(answer.body, bytes):
            headers["Content-Length"] = str(len(answer.body))
        elif chunked:
            headers["Transfer-Encoding"] = "chunked"
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        if isinstance(answer.body, bytes):
            self.wfile.write(answer.body)
            return
        for chunk in answer.body:
            if answer.chunk_delay:
                time.sleep(answer.chunk_delay)  # a trickle (this handler's own thread)
            if chunked:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            else:
                self.wfile.write(chunk)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet: the CLI prints what matters, tests read sandbox.calls


class SandboxServer:
    """`with SandboxServer(sandbox) as server: httpx.get(server.url + ...)`; port 0 picks a free port."""

    def __init__(self, sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0) -> None:
        if not is_loopback(host):
            raise UsageError(f"the sandbox only serves loopback addresses (127.0.0.1, ::1, localhost), not {host!r}",
                             hint="It hands its credentials to anyone who asks: keep it on this machine.")
        self.sandbox = sandbox
        try:
            self._server = _Server((host.strip("[]"), port), sandbox)
        except OSError as error:
            raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        self._thread: threading.Thread | None = None
        self._serving = threading.Event()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        host = str(self._server.server_address[0])
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def start(self) -> SandboxServer:
        """Serve in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self.serve_forever, name="crm-emails-sandbox", daemon=True)
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until stop() (from another thread) or Ctrl-C."""
        self._serving.set()
        try:
            self._server.serve_forever(poll_interval=0.1)  # stop() answers within 0.1 s
        finally:
            self._serving.clear()

    def wait(self) -> None:
        """Block until the server stops; Ctrl-C still gets through."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=0.5)

    def stop(self) -> None:
        if self._serving.is_set():
            self._server.shutdown()  # returns once serve_forever has ended
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
