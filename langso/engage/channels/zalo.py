"""Zalo Official Account: ZNS (Zalo Notification Service) template messages.

POST https://business.openapi.zalo.me/message/template with the header `access_token` and
the JSON body {"phone": "84912345678", "template_id": ..., "template_data": {...},
"tracking_id": ...}; the answer {"error": 0, "data": {"msg_id": ...}} means sent. ZNS
addresses the resident by phone number (84 prefix) with a template the OA registered with
Zalo; the announcement's title and link fill its parameters.

Settings: LANGSO_ENGAGE_ZALO = {"url": ..., "access_token": ..., "template_id": ...}.
"""

from django.conf import settings

from . import GatewayError, Message, SendResult
from .http import Transport, urllib_transport
from .sms import normalise_phone

ZNS_URL = "https://business.openapi.zalo.me/message/template"


def zalo_phone(phone: str) -> str:
    local = normalise_phone(phone)
    return "84" + local[1:] if local.startswith("0") else local


class ZaloZnsGateway:
    channel = "zalo"
    is_fake = False

    def __init__(self, config: dict | None = None, transport: Transport | None = None):
        self.config = config if config is not None else getattr(settings, "LANGSO_ENGAGE_ZALO", {})
        self.transport = transport or urllib_transport

    def build_request(self, *, address: str, message: Message) -> tuple[str, dict, dict]:
        cfg = self.config
        body = {
            "phone": zalo_phone(address),
            "template_id": str(cfg.get("template_id", "")),
            "template_data": {
                "title": message.subject[:100],
                "summary": message.text[:200],
                "url": message.url,
            },
            "tracking_id": message.reference,
        }
        return cfg.get("url", ZNS_URL), {"access_token": cfg.get("access_token", "")}, body

    def send(self, *, address: str, message: Message) -> SendResult:
        url, headers, body = self.build_request(address=address, message=message)
        if not headers["access_token"] or not body["template_id"]:
            raise GatewayError("Zalo OA access token or template is not configured", permanent=True)
        status, answer = self.transport(url, headers, body)
        error = answer.get("error")
        if status != 200 or error != 0:
            # -124 expired token, -118 phone not on Zalo... the message is kept for the log
            raise GatewayError(
                f"Zalo error {error}: {answer.get('message', '')}"[:250],
                permanent=error in (-118, -108, -139),
            )
        data = answer.get("data") or {}
        return SendResult(provider_message_id=str(data.get("msg_id", "")))
