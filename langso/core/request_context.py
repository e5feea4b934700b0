"""The current request's origin (IP, user agent), so the audit log can say "from where"."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    user_agent: str = ""


current_origin: ContextVar[RequestOrigin] = ContextVar("current_origin", default=RequestOrigin())  # noqa: B039 - frozen dataclass
