"""System checks run by `langso check --deploy` (tagged deploy: a development machine may
print e-mails to the console, a production server may not)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Back-ends that never deliver: the console and file back-ends write every message (addresses,
# unsubscribe links, receipt codes) into the logs or onto the disk; locmem keeps it in memory.
UNDELIVERING_EMAIL_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
    }
)


@register(Tags.security, deploy=True)
def check_email_backend(app_configs=None, **kwargs):
    backend = getattr(settings, "EMAIL_BACKEND", "")
    if backend in UNDELIVERING_EMAIL_BACKENDS:
        return [
            Error(
                f"EMAIL_BACKEND is {backend}, which delivers no e-mail and copies each message "
                "(addresses, unsubscribe links) into the logs or onto the disk.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and "
                "EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD "
                "(docs/production.md).",
                id="langso.E001",
            )
        ]
    return []
