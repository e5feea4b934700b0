"""SMS brandname through an eSMS-style HTTP API, a common Vietnamese provider interface:
POST JSON {ApiKey, SecretKey, Phone, Content, Brandname, SmsType, IsUnicode, RequestId,
Sandbox} to the provider URL; the answer {"CodeResult": "100", "SMSID": ...} means
accepted. Brandname messages are sent without diacritics (IsUnicode 0), which is what the
carriers price as one segment.

Settings: LANGSO_ENGAGE_SMS = {"url": ..., "api_key": ..., "secret_key": ..., "brandname":
..., "sms_type": "2", "sandbox": False}.
"""

from django.conf import settings
from unidecode import unidecode

from . import GatewayError, Message, SendResult
from .http import Transport, urllib_transport

MAX_SMS_CHARS = 459  # three concatenated segments of 153


def normalise_phone(phone: str) -> str:
    """'0912 345 678' / '+84912345678' -> '0912345678' (the format these APIs expect)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def sms_text(message: Message) -> str:
    text = unidecode(f"{message.subject}: {message.text}").replace("\n", " ")
    tail = f" {message.url}"
    if len(text) + len(tail) > MAX_SMS_CHARS:
        text = text[: MAX_SMS_CHARS - len(tail) - 3].rstrip() + "..."
    return text + tail


class BrandnameSmsGateway:
    channel = "sms"

    def __init__(self, config: dict | None = None, transport: Transport | None = None):
        self.config = config if config is not None else getattr(settings, "LANGSO_ENGAGE_SMS", {})
        self.transport = transport or urllib_transport

    @property
    def is_fake(self) -> bool:
        return bool(self.config.get("sandbox"))  # the provider accepts but does not send

    def build_request(self, *, address: str, message: Message) -> tuple[str, dict, dict]:
        cfg = self.config
        body = {
            "ApiKey": cfg.get("api_key", ""),
            "SecretKey": cfg.get("secret_key", ""),
            "Phone": normalise_phone(address),
            "Content": sms_text(message),
            "Brandname": cfg.get("brandname", ""),
            "SmsType": str(cfg.get("sms_type", "2")),
            "IsUnicode": "0",
            "RequestId": message.reference,
            "Sandbox": "1" if cfg.get("sandbox") else "0",
        }
        return cfg.get("url", ""), {}, body

    def send(self, *, address: str, message: Message) -> SendResult:
        url, headers, body = self.build_request(address=address, message=message)
        if not url:
            raise GatewayError("SMS gateway URL is not configured", permanent=True)
        status, answer = self.transport(url, headers, body)
        code = str(answer.get("CodeResult", ""))
        if status != 200 or code != "100":
            # 99 unknown / 101 auth / 103 balance... only "100" means the provider took it
            raise GatewayError(
                f"SMS provider code {code or status}: {answer.get('ErrorMessage', '')}"[:250],
                permanent=code in ("101", "104", "118", "119"),
            )
        return SendResult(provider_message_id=str(answer.get("SMSID", "")))
