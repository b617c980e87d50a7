"""A real HTTP server on 127.0.0.1 in a thread, answering what a test tells it to."""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0  # seconds to wait before answering
    trickle: float = 0  # seconds between bytes of the body


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


class LocalServer:
    """Answers queued `Answer`s in order (then the default), recording each request.
    `on_request` may compute an answer from the request instead."""

    def __init__(self, default: Answer | None = None, on_request=None, tls=None):
        self.received: list[Received] = []
        self.answers: deque[Answer] = deque()
        self.default = default or Answer()
        self.on_request = on_request
        self._stop = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                got = Received("POST", self.path, dict(self.headers), self.rfile.read(length))
                outer.received.append(got)
                answer = (outer.on_request(got) if outer.on_request else None) or (
                    outer.answers.popleft() if outer.answers else outer.default)
                if answer.delay:
                    outer._stop.wait(answer.delay)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                try:
                    if answer.trickle:
                        for i in range(len(answer.body)):
                            if outer._stop.wait(answer.trickle):
                                return
                            self.wfile.write(answer.body[i:i + 1])
                            self.wfile.flush()
                    else:
                        self.wfile.write(answer.body)
                except OSError:
                    pass  # the client hung up, as it should on a capped or late answer

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

        self.server = Server(("127.0.0.1", 0), Handler)
        if tls is not None:  # an ssl.SSLContext for the server side
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def start(self) -> "LocalServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def wait_for(self, count: int, timeout: float = 10) -> None:
        end = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < end:
            time.sleep(0.02)
