"""System checks: a production deployment must not sign with the demo CA, and the
configured signing material and trust roots must exist."""

from django.core.checks import Error, Tags, Warning, register

from . import conf


@register(Tags.security, deploy=True)
def signing_configuration(app_configs=None, **kwargs):
    messages = []
    mode = conf.signing_mode()
    if mode == conf.DEMO:
        messages.append(
            Warning(
                "Documents are signed with the self-made demo CA.",
                hint="Set LANGSO_SIGNING_PKCS12 and LANGSO_SIGNING_PASSPHRASE (or "
                "LANGSO_EXTERNAL_SIGNER) and LANGSO_TRUST_ROOTS to the national root CA.",
                id="documents.W001",
            )
        )
    elif mode == conf.PKCS12 and not conf.pkcs12_passphrase():
        messages.append(Warning("LANGSO_SIGNING_PASSPHRASE is empty.", id="documents.W002"))
    elif mode not in (conf.PKCS12, conf.EXTERNAL):
        messages.append(Error(f"Unknown LANGSO_SIGNING_MODE {mode!r}.", id="documents.E001"))
    for path in conf.trust_root_paths():
        if not path.exists():
            messages.append(Error(f"Trust root file {path} does not exist.", id="documents.E002"))
    if mode != conf.DEMO and not conf.trust_root_paths():
        messages.append(
            Error("LANGSO_TRUST_ROOTS is empty: nothing would verify.", id="documents.E003")
        )
    return messages
