"""A small fixed-window limit on the public verification endpoints: verifying a signature
costs CPU and accepts uploads of up to 20 MB from anyone."""

from django.core.cache import cache
from django.utils.translation import gettext as _

from langso.core.exceptions import DomainError

from . import conf


class TooManyRequests(DomainError):
    code = "rate_limited"
    http_status = 429


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check_verification_rate(request) -> None:
    """Raise TooManyRequests beyond LANGSO_VERIFY_PER_MINUTE verifications per minute from
    one address (default 30)."""
    limit = conf.verify_per_minute()
    if limit <= 0:
        return
    key = f"documents:verify:{client_address(request)}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    if count > limit:
        raise TooManyRequests(_("Bạn đã kiểm tra quá nhiều tệp trong một phút. "
                                "Vui lòng thử lại sau."))
