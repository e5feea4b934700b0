"""E-mail through Django's configured e-mail backend."""

from django.conf import settings
from django.core.mail import EmailMessage

from . import GatewayError, Message, SendResult

#: Django e-mail backends that deliver nothing to anyone
NOT_SENDING_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    }
)


class EmailGateway:
    channel = "email"

    @property
    def is_fake(self) -> bool:
        return settings.EMAIL_BACKEND in NOT_SENDING_BACKENDS

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
