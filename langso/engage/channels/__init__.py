"""Delivery channels behind one interface.

A channel turns an announcement into a message for one address and hands it to a gateway.
Each gateway has a real adapter (the provider's request shape, sent over HTTP) and a Fake
used in tests and the demo. Which gateway runs is configured in
settings.LANGSO_ENGAGE_GATEWAYS = {"sms": "dotted.path.Class", "zalo": ..., "email": ...};
without configuration the fakes are used, so nothing leaves the machine by accident.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    url: str
    unsubscribe_url: str
    reference: str  # our id for the provider (idempotency / tracking)


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str = ""


class GatewayError(Exception):
    """The provider refused or could not be reached; the delivery may be retried."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Gateway(Protocol):
    channel: str
    #: True when nothing leaves the machine (a fake, a sandbox, a console e-mail backend):
    #: pages then say a "sent" message was only simulated.
    is_fake: bool

    def send(self, *, address: str, message: Message) -> SendResult: ...


DEFAULT_GATEWAYS = {
    "email": "langso.engage.channels.email.EmailGateway",
    "sms": "langso.engage.channels.fake.FakeSmsGateway",
    "zalo": "langso.engage.channels.fake.FakeZaloGateway",
}


@lru_cache(maxsize=8)
def _gateway_class(path: str):
    return import_string(path)


_overrides: dict[str, str] = {}


def get_gateway(channel: str) -> Gateway:
    configured = getattr(settings, "LANGSO_ENGAGE_GATEWAYS", {}) or {}
    path = _overrides.get(channel) or configured.get(channel) or DEFAULT_GATEWAYS[channel]
    return _gateway_class(path)()


def fake_channels() -> list[str]:
    """The channels whose configured gateway sends nothing for real, in Channel order."""
    return [channel for channel in DEFAULT_GATEWAYS if get_gateway(channel).is_fake]


@contextmanager
def fake_gateways():
    """Every channel through its Fake for the duration (the demo uses it so that a year of
    announcements neither prints thousands of e-mails nor calls a provider)."""
    previous = dict(_overrides)
    _overrides.update(
        {
            "email": "langso.engage.channels.fake.FakeEmailGateway",
            "sms": "langso.engage.channels.fake.FakeSmsGateway",
            "zalo": "langso.engage.channels.fake.FakeZaloGateway",
        }
    )
    try:
        yield
    finally:
        _overrides.clear()
        _overrides.update(previous)
