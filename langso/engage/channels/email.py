"""E-mail through Django's configured e-mail backend."""

from django.conf import settings
from django.core.mail import EmailMessage

from . import GatewayError, Message, SendResult


class EmailGateway:
    channel = "email"

    def send(self, *, address: str, message: Message) -> SendResult:
        body = f"{message.text}\n\n{message.url}\n\n---\nHuỷ nhận tin: {message.unsubscribe_url}\n"
        email = EmailMessage(
            subject=message.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={
                "List-Unsubscribe": f"<{message.unsubscribe_url}>",
                "X-Langso-Reference": message.reference,
            },
        )
        try:
            email.send(fail_silently=False)
        except OSError as exc:  # SMTP errors are OSError subclasses
            raise GatewayError(f"email: {exc}") from exc
        return SendResult(provider_message_id=message.reference)
