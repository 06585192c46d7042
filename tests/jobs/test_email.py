"""The `email` job: a notification's message sent through a real SMTP server in-process
(aiosmtpd); an address the server refuses fails the job at once with a message; a server that
cannot be reached is retried, then the job fails."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from ecopark.jobs import JobQueue, email
from ecopark.store.notifications import Mail
from ecopark.store.settings import Settings

from .test_jobs import wait


class Server:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server: object, session: object, envelope: object,
                          address: str, options: object) -> str:
        if address.startswith("nobody@"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.received.append((list(envelope.rcpt_tos),  # type: ignore[attr-defined]
                              envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Server, int]]:
    handler, port = Server(), _port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _queue(queue: JobQueue, port: int) -> JobQueue:
    queue.settings = queue.settings.model_copy(update={
        "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": "platform@example.cn"})
    email.enable(queue)
    return queue


def _mail(to: str) -> bytes:
    return email.message(Mail(to, "ent-a", "园区退回了甲企业 2018 年的数据报送：单位有误",
                              "The park returned 甲企业's data for 2018: wrong unit", "/e/1"),
                         Settings(smtp_from="platform@example.cn")).as_bytes()


def test_a_message_is_sent(queue: JobQueue, smtp: tuple[Server, int]) -> None:
    jobs = _queue(queue, smtp[1])
    row = jobs.start("email", None, None, "zh", 0, "ent-a", input=_mail("ent-a@example.cn"),
                     input_name="ent-a@example.cn")
    assert wait(jobs.store, row.id).state == "done"
    [(to, content)] = smtp[0].received
    assert to == ["ent-a@example.cn"]
    body = content.decode("utf-8", "replace")
    assert "Subject: =?utf-8?" in body and "To: ent-a@example.cn" in body


def test_a_refused_address_fails_at_once(queue: JobQueue, smtp: tuple[Server, int]) -> None:
    jobs = _queue(queue, smtp[1])
    row = jobs.start("email", None, None, "zh", 0, "ent-a", input=_mail("nobody@example.cn"),
                     input_name="nobody@example.cn")
    done = wait(jobs.store, row.id)
    assert (done.state, done.attempts) == ("failed", 1)
    assert done.error.startswith("email：邮件服务器拒收地址 the server refused the address "
                                 "nobody@example.cn")


def test_an_unreachable_server_is_retried_then_fails(queue: JobQueue) -> None:
    jobs = _queue(queue, _port())  # nobody listens there
    row = jobs.start("email", None, None, "zh", 0, "ent-a", input=_mail("ent-a@example.cn"),
                     input_name="ent-a@example.cn")
    done = wait(jobs.store, row.id)
    assert (done.state, done.attempts) == ("failed", 3)  # the first try and 2 retries
