"""The one place that calls a provider over HTTP (JSON in, JSON out). Adapters take a
`transport` so tests can check the exact request without any network."""

import json
import urllib.error
import urllib.request
from collections.abc import Callable

from . import GatewayError

Transport = Callable[[str, dict, dict], tuple[int, dict]]


def urllib_transport(url: str, headers: dict, body: dict, timeout: float = 15) -> tuple[int, dict]:
    if not url.startswith(("https://", "http://")):
        raise GatewayError(f"bad gateway URL: {url!r}", permanent=True)
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310  scheme checked above
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            payload = response.read(1_000_000)
            status = response.status
    except urllib.error.HTTPError as exc:
        raise GatewayError(
            f"HTTP {exc.code}", permanent=400 <= exc.code < 500 and exc.code != 429
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise GatewayError(f"network: {exc}") from exc
    try:
        return status, json.loads(payload or b"{}")
    except ValueError as exc:
        raise GatewayError("provider answered with something that is not JSON") from exc
