"""A small fixed-window limit on the public verification endpoints: verifying a signature
costs CPU and accepts uploads of up to 20 MB from anyone."""

from django.utils.translation import gettext as _

from langso.core import ratelimit
from langso.core.exceptions import DomainError

from . import conf


class TooManyRequests(DomainError):
    code = "documents.rate_limited"
    http_status = 429


def client_address(request) -> str:
    return ratelimit.client_ip(request)


def check_verification_rate(request) -> None:
    """Raise TooManyRequests beyond LANGSO_VERIFY_PER_MINUTE verifications per minute from
    one address (default 30)."""
    limit = ratelimit.limit_for("documents.verify", conf.verify_per_minute())
    if ratelimit.hit("documents.verify", client_address(request), per_minute=limit):
        raise TooManyRequests(
            _("Bạn đã kiểm tra quá nhiều tệp trong một phút. Vui lòng thử lại sau.")
        )
