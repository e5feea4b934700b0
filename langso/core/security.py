"""Security headers on every response, above all a Content-Security-Policy the pages satisfy.

The policy is one constant string, built once at start-up: no per-request nonce, so adding it
costs a dictionary assignment (the trace scan page is served from pre-compressed bytes and
benchmarked). Pages keep to it because:

- scripts are static files only (`'self'`); behaviour that used to sit in inline handlers
  lives in langso/static/langso/page.js (`data-autosubmit`, `data-print`, ...), and data for
  scripts travels in `json_script` blocks (type application/json, which CSP does not run);
- styles are static files, plus the one inline <style> block of trace/scan.html, which stays
  inline on purpose (no second request on a 3G scan) and is allowed by its SHA-256 hash, taken
  from the template itself so that editing the block cannot silently break the page;
- map tiles load in the user's browser from the configured tile server (LANGSO_TILE_URL), so
  its origin is allowed for images only.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy,
Cross-Origin-Opener-Policy and, in production, HSTS; XFrameOptionsMiddleware sends
X-Frame-Options. This middleware adds CSP (with frame-ancestors) and Permissions-Policy and
fills in any of the others a configuration turned off.
"""

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

SCAN_TEMPLATE = (
    Path(__file__).resolve().parent.parent / "trace" / "templates" / "trace" / "scan.html"
)
# The browser's features no Làng Số page uses; geolocation stays for the page itself (feedback
# form, placing a digital address).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(self), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)


def inline_style_hashes(template: Path = SCAN_TEMPLATE) -> list[str]:
    """CSP source expressions for the constant inline <style> blocks of a template."""
    if not template.exists():
        return []
    text = template.read_text(encoding="utf-8")
    hashes = []
    for block in re.findall(r"<style>(.*?)</style>", text, flags=re.DOTALL):
        if "{%" in block or "{{" in block:
            raise ValueError(f"{template}: an inline <style> must be constant to be hashed")
        digest = base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return hashes


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "*"))
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def build_policy() -> str:
    tiles = _origin(getattr(settings, "LANGSO_TILE_URL", ""))
    extra_img = getattr(settings, "LANGSO_CSP_IMG_SRC", [])
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *inline_style_hashes()],
        "img-src": ["'self'", "data:", "blob:", *([tiles] if tiles else []), *extra_img],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *getattr(settings, "LANGSO_CSP_FORM_ACTION", [])],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": build_policy(),
            "Permissions-Policy": PERMISSIONS_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": getattr(settings, "SECURE_REFERRER_POLICY", None) or "same-origin",
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            if name not in response:
                response[name] = value
        return response
