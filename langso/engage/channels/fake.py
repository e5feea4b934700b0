"""Fake gateways: record what would have been sent, never touch the network. Tests may make
them fail a number of times to exercise retries."""

import itertools
import threading

from . import GatewayError, Message, SendResult

_lock = threading.Lock()
_counter = itertools.count(1)

#: every message "sent" by a fake: (channel, address, message)
outbox: list[tuple[str, str, Message]] = []
#: (channel, reference) -> provider message id, for the idempotency of retried requests
_sent: dict[tuple[str, str], str] = {}
#: channel -> number of next calls that fail (set by tests)
failures: dict[str, int] = {}
#: addresses the provider refuses for good (e.g. a phone number without Zalo)
unreachable: set[str] = set()


def reset() -> None:
    with _lock:
        outbox.clear()
        _sent.clear()
        failures.clear()
        unreachable.clear()


class _FakeGateway:
    channel = ""
    is_fake = True

    def send(self, *, address: str, message: Message) -> SendResult:
        with _lock:
            if address in unreachable:
                raise GatewayError(
                    f"fake {self.channel} gateway: {address} cannot receive", permanent=True
                )
            if failures.get(self.channel, 0) > 0:
                failures[self.channel] -= 1
                raise GatewayError(f"fake {self.channel} gateway: temporary failure")
            # Like the real providers, the reference is an idempotency key: the same request
            # sent again (a worker died before recording the answer) is not sent twice.
            key = (self.channel, message.reference)
            if key not in _sent:
                outbox.append((self.channel, address, message))
                _sent[key] = f"fake-{self.channel}-{next(_counter)}"
            return SendResult(provider_message_id=_sent[key])


class FakeSmsGateway(_FakeGateway):
    channel = "sms"


class FakeZaloGateway(_FakeGateway):
    channel = "zalo"


class FakeEmailGateway(_FakeGateway):
    channel = "email"
