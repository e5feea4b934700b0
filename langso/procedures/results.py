"""The one door to the documents app: a signed PDF as the result of a dossier.

`langso.documents.actions.issue_document(*, actor, commune, title, paragraphs, kind,
reference, recipient) -> Document` (Document has public_id, file, sha256, signed_at,
signer_name) is provided by the documents app. When that app is not installed or not yet
built, `issue_result_document` returns None and the official attaches the result file.
"""

import logging
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _issue_document():
    try:
        from langso.documents.actions import issue_document
    except ImportError:
        return None
    return issue_document


def documents_available() -> bool:
    return _issue_document() is not None


def result_paragraphs(dossier, comment: str = "") -> list[str]:
    local = timezone.localtime()
    lines = [
        _("Ủy ban nhân dân %(commune)s trả kết quả giải quyết thủ tục “%(procedure)s”.")
        % {"commune": dossier.commune.name, "procedure": dossier.procedure.name},
        _("Mã hồ sơ: %(code)s. Người nộp: %(name)s.")
        % {"code": dossier.receipt_code, "name": dossier.applicant_name},
        _("Ngày tiếp nhận: %(received)s. Ngày giải quyết xong: %(settled)s.")
        % {
            "received": timezone.localtime(dossier.submitted_at).strftime("%d/%m/%Y"),
            "settled": local.strftime("%d/%m/%Y"),
        },
    ]
    if comment:
        lines.append(comment)
    return lines


def issue_result_document(*, actor, dossier, comment: str = "") -> uuid.UUID | None:
    """Issue the signed result PDF of `dossier`; returns the document's public_id, or None
    when the documents app cannot issue documents here."""
    issue_document = _issue_document()
    if issue_document is None:
        return None
    document = issue_document(
        actor=actor,
        commune=dossier.commune,
        title=_("Kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.receipt_code},
        paragraphs=result_paragraphs(dossier, comment),
        kind="result",
        reference="",  # the documents app numbers its register; the receipt code is in the text
        recipient=dossier.applicant_name,
    )
    return document.public_id


def result_document(public_id):
    """The documents app's Document for a stored public_id, or None."""
    if not public_id:
        return None
    try:
        from langso.documents.models import Document
    except ImportError:
        return None
    try:
        return Document.objects.filter(public_id=public_id).first()
    except Exception:  # the model may not have this field on an older documents app
        logger.exception("Cannot load result document %s", public_id)
        return None
