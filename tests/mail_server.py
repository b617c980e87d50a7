"""A real SMTP server in the test process (aiosmtpd), for tests that send mail."""

import asyncio
import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, message_from_string, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class _Recorder:
    def __init__(self, delay: float) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls it by this name
        await asyncio.sleep(self.delay)
        raw = envelope.original_content or envelope.content
        if envelope.smtp_utf8:  # headers in UTF-8 (RFC 6532), which the bytes parser escapes
            message = message_from_string(raw.decode("utf-8"), policy=policy.default)
        else:
            message = message_from_bytes(raw, policy=policy.default)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """Started on a free loopback port; `stop()` and `start()` simulate an outage; `delay`
    seconds before accepting each message make a slow server."""

    def __init__(self, delay: float = 0, smtputf8: bool = True) -> None:
        self.host, self.port = "127.0.0.1", free_port()
        self._recorder = _Recorder(delay)
        self._controller: Controller | None = None
        self.smtputf8 = smtputf8  # announce SMTPUTF8 (internationalised addresses)

    def start(self) -> None:
        self._controller = Controller(self._recorder, hostname=self.host, port=self.port,
                                      enable_SMTPUTF8=self.smtputf8)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> list[Received]:
        with self._recorder.lock:
            return list(self._recorder.received)
