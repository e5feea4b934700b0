"""Writes of the documents app: issue a written document, register an uploaded PDF, sign.

`issue_document` is the public entry point other apps call (procedures issues the result of
a dossier with it)."""

import hashlib
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import ValidationFailed
from langso.core.models import AuditAction
from langso.core.text import fold
from langso.core.uploads import PDF, check_bytes
from langso.core.validation import validate
from langso.people.actors import Actor
from langso.people.models import User
from langso.places.models import AdminUnit

from . import conf
from .exceptions import AlreadySigned, NotAllowedToIssue
from .models import Document, DocumentKind, DocumentSource
from .permissions import can_issue, is_leader
from .rendering import DocumentLayout, render_document_with_seal
from .signing.appearance import upload_stamp
from .signing.pades import sign_pdf
from .signing.signers import identity_for
from .signing.verification import validation_context

#: Symbols of Decree 30/2020/NĐ-CP (Appendix III): "<type abbreviation>-UBND"; a công văn
#: carries the agency's abbreviation alone. A dossier's result is a notice (thông báo).
REFERENCE_SUFFIX: dict[str, str] = {
    DocumentKind.DECISION: "QĐ-UBND",
    DocumentKind.ANNOUNCEMENT: "TB-UBND",
    DocumentKind.RESULT: "TB-UBND",
    DocumentKind.CERTIFICATE: "GXN-UBND",
    DocumentKind.REPORT: "BC-UBND",
    DocumentKind.OTHER: "UBND",
}


def _check_issuer(actor: Actor, commune: AdminUnit) -> User:
    """The issuer: `actor`, once known to be a signed-in leader or official of `commune`."""
    if not can_issue(actor, commune):
        raise NotAllowedToIssue(
            _("Bạn không có quyền ban hành văn bản của %(commune)s.") % {"commune": commune.name}
        )
    return actor


def _next_reference(commune, kind: str, year: int) -> str:
    """The next number of the commune's register for this year and this symbol (numbers
    restart at 1 on 1 January, one sequence per kind of document: 12/QĐ-UBND, 3/TB-UBND)."""
    # Lock the commune row so two documents issued at once never share a number.
    AdminUnit.objects.select_for_update().filter(pk=commune.pk).first()
    suffix = REFERENCE_SUFFIX.get(kind, "UBND")
    pattern = re.compile(rf"^(\d+)/{re.escape(suffix)}$")
    references = Document.objects.filter(
        commune=commune, created_at__year=year, reference__endswith=f"/{suffix}"
    ).values_list("reference", flat=True)
    used = [int(m.group(1)) for m in map(pattern.match, references) if m]
    return f"{max(used, default=0) + 1}/{suffix}"


def _authority(commune, *, leader: bool) -> str:
    """Who decides, written before the "Căn cứ" lines of a decision: the People's
    Committee when its chair signs on its behalf (TM.), the chair when an official signs
    by the chair's leave (TL.)."""
    body = f"ỦY BAN NHÂN DÂN {commune.name.upper()}"
    return body if leader else f"CHỦ TỊCH {body}"


def _person_name(user: User) -> str:
    """Vietnamese order: family and middle names, then the given name."""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def _verification_hint(public_id) -> str:
    base = settings.LANGSO_PUBLIC_URL.rstrip("/")
    return _("Văn bản điện tử có chữ ký số. Kiểm tra tại %(url)s — mã %(id)s") % {
        "url": base + reverse("documents:verify"),
        "id": public_id,
    }


def check_pdf(data: bytes) -> None:
    """Refuse anything that is not a PDF by content (magic bytes) or is too large."""
    check_bytes(data, name="van-ban.pdf", kinds=[PDF], max_bytes=conf.max_document_bytes())


def _sign_bytes(
    document: Document, data: bytes, *, stamp=None, page: int = 0, field_box=None
) -> bytes:
    identity = identity_for(document.commune)
    signed = sign_pdf(
        data,
        identity,
        reason=document.title[:120],
        validation_context=validation_context(),
        lta=conf.pades_lta(),
        location=document.commune.name,
        stamp=stamp,
        page=page,
        field_box=field_box,
    )
    document.signed_at = signed.signed_at
    document.signer_name = identity.subject_name[:200]
    document.signer_serial = identity.serial_hex[:64]
    document.signature_level = signed.level
    return signed.data


def _store(document: Document, data: bytes) -> None:
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.size = len(data)
    document.file.save(f"{document.public_id}.pdf", ContentFile(data), save=False)


def _register(actor: Actor, document: Document, data: bytes) -> Document:
    """Store the file, then the row; a failure in between removes the file again. (A
    rollback of an enclosing transaction after this returns still leaves the file: Django
    has no on-rollback hook.)"""
    _store(document, data)
    try:
        document.search_key = fold(f"{document.reference} {document.title} {document.recipient}")
        validate(document)
        document.save()
        audit.record_change(
            actor=actor,
            action=AuditAction.CREATE,
            target=document,
            changed=["title", "kind", "reference", "file"],
        )
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def issue_document(
    *,
    actor: Actor,
    commune,
    title: str,
    paragraphs: list[str],
    kind: str = DocumentKind.RESULT,
    reference: str = "",
    recipient: str = "",
    signer_position: str = "",
    sign: bool = True,
) -> Document:
    """Render a commune document from text, sign it with the commune's certificate and
    register it. Raises NotAllowedToIssue unless `actor` is a leader or official of the
    commune, SigningUnavailable when no certificate is configured."""
    issuer = _check_issuer(actor, commune)
    today = timezone.localdate()
    document = Document(
        commune=commune,
        title=title.strip(),
        kind=kind,
        reference=reference.strip(),
        recipient=recipient.strip(),
        source=DocumentSource.WRITTEN,
        created_by=issuer,
    )
    validate(document, exclude=["file", "sha256"])  # the file comes later
    if not any(p and p.strip() for p in paragraphs):
        raise ValidationFailed(_("Văn bản cần có nội dung."), code="documents.empty_body")
    if not document.reference:
        document.reference = _next_reference(commune, kind, today.year)
    province = commune.parent
    agency = f"Ủy ban nhân dân {commune.name}"
    leader = is_leader(issuer, commune)
    layout = DocumentLayout(
        agency_parent="ỦY BAN NHÂN DÂN",
        agency=commune.name.upper(),
        place=commune.short_name or commune.name,
        issued_on=today,
        reference=document.reference,
        kind=kind,
        title=document.title,
        paragraphs=[p.strip() for p in paragraphs if p and p.strip()],
        recipients=[r.strip() for r in recipient.split(";") if r.strip()],
        authority=_authority(commune, leader=leader) if kind == DocumentKind.DECISION else "",
        signer_capacity="TM. ỦY BAN NHÂN DÂN" if leader else "TL. CHỦ TỊCH",
        signer_position=signer_position or ("CHỦ TỊCH" if leader else "CÔNG CHỨC"),
        signer_person=_person_name(issuer),
        with_seal=sign,
        seal_text=" ★ ".join(n for n in (agency, province.name if province else "") if n),
        signature_note=(f"Ký bởi: {agency}\nThời gian ký: {timezone.localtime():%d/%m/%Y %H:%M}")
        if sign
        else "",
        footer=_verification_hint(document.public_id),
    )
    data, seal = render_document_with_seal(layout)
    if sign:
        page, box = seal if seal is not None else (0, None)
        data = _sign_bytes(document, data, page=page, field_box=box)
    return _register(actor, document, data)


@transaction.atomic
def upload_document(
    *,
    actor: Actor,
    commune,
    title: str,
    data: bytes,
    kind: str = DocumentKind.OTHER,
    reference: str = "",
    recipient: str = "",
    sign: bool = True,
) -> Document:
    """Register a PDF made elsewhere (checked by content and size) and sign it, with a
    visible signature stamp on its last page."""
    issuer = _check_issuer(actor, commune)
    check_pdf(data)
    document = Document(
        commune=commune,
        title=title.strip(),
        kind=kind,
        reference=reference.strip(),
        recipient=recipient.strip(),
        source=DocumentSource.UPLOADED,
        created_by=issuer,
    )
    validate(document, exclude=["file", "sha256"])  # the file comes later
    if sign:
        data = _sign_uploaded(document, data)
    return _register(actor, document, data)


def _sign_uploaded(document: Document, data: bytes) -> bytes:
    with upload_stamp(document.commune) as stamp:
        return _sign_bytes(document, data, stamp=stamp, page=-1)


@transaction.atomic
def sign_document(*, actor: Actor, document: Document) -> Document:
    """Sign a registered, not yet signed document."""
    document = Document.objects.select_for_update().select_related("commune").get(pk=document.pk)
    _check_issuer(actor, document.commune)
    if document.is_signed:
        raise AlreadySigned(_("Văn bản này đã được ký số."))
    with document.file.open("rb") as fh:
        data = fh.read()
    old_name = document.file.name
    data = _sign_uploaded(document, data)
    _store(document, data)
    try:
        validate(document)
        document.save(
            update_fields=[
                "file",
                "sha256",
                "size",
                "signed_at",
                "signer_name",
                "signer_serial",
                "signature_level",
            ]
        )
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    if old_name and old_name != document.file.name:
        storage, name = document.file.storage, old_name
        transaction.on_commit(lambda: storage.delete(name))
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=document, changed=["file", "signed_at"]
    )
    return document
