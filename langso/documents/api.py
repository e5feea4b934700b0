"""API of the documents app, mounted at /api/documents/: issue, upload, list, read, download,
sign (officials, session auth) and verify (public)."""

from uuid import UUID

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from langso.core import audit
from langso.core.exceptions import NotFound, PermissionDenied
from langso.core.schemas import ErrorOut

from . import actions, queries, verdicts
from .models import Document
from .schemas import DocumentIn, DocumentOut, LookupOut, VerificationOut
from .throttling import check_verification_rate
from .views import read_upload

router = Router(tags=["documents"])
ERRORS = {
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
    503: ErrorOut,
}


def document_out(document: Document) -> dict:
    return {
        "public_id": document.public_id,
        "commune_code": document.commune.code,
        "commune_name": document.commune.name,
        "title": document.title,
        "kind": document.kind,
        "reference": document.reference,
        "recipient": document.recipient,
        "source": document.source,
        "sha256": document.sha256,
        "size": document.size,
        "signed": document.is_signed,
        "signed_at": document.signed_at,
        "signer_name": document.signer_name,
        "signer_serial": document.signer_serial,
        "signature_level": document.signature_level,
        "created_at": document.created_at,
        "download_url": reverse("api:document_file", kwargs={"public_id": document.public_id}),
    }


def _commune_for(user, code: str):
    communes = queries.issuable_communes(user)
    if code:
        communes = communes.filter(code=code)
    found = list(communes[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise PermissionDenied(_("Bạn không có quyền ban hành văn bản của xã này."))
    raise NotFound(_("Hãy chọn xã ban hành (commune_code)."), code="documents.commune_required")


@router.post("/", auth=django_auth, response={201: DocumentOut, **ERRORS})
def issue(request, payload: DocumentIn):
    document = actions.issue_document(
        actor=request.user,
        commune=_commune_for(request.user, payload.commune_code),
        title=payload.title,
        paragraphs=payload.paragraphs,
        kind=payload.kind,
        reference=payload.reference,
        recipient=payload.recipient,
        sign=payload.sign,
    )
    return 201, document_out(document)


@router.post("/upload", auth=django_auth, response={201: DocumentOut, **ERRORS})
def upload(
    request,
    file: File[UploadedFile],
    title: Form[str],
    kind: Form[str] = "other",
    reference: Form[str] = "",
    recipient: Form[str] = "",
    commune_code: Form[str] = "",
    sign: Form[bool] = True,
):
    document = actions.upload_document(
        actor=request.user,
        commune=_commune_for(request.user, commune_code),
        title=title,
        data=read_upload(file),
        kind=kind,
        reference=reference,
        recipient=recipient,
        sign=sign,
    )
    return 201, document_out(document)


@router.get("/", auth=django_auth, response=list[DocumentOut])
@paginate(LimitOffsetPagination)
def list_documents(request, q: str = "", kind: str = "", signed: str = ""):
    return [
        document_out(d) for d in queries.list_documents(request.user, q=q, kind=kind, signed=signed)
    ]


@router.get("/{uuid:public_id}", auth=django_auth, response={200: DocumentOut, 404: ErrorOut})
def get_document(request, public_id: UUID):
    return document_out(queries.get_document(request.user, public_id))


@router.get(
    "/{uuid:public_id}/file",
    auth=django_auth,
    url_name="document_file",
    response={200: None, 404: ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "The document (PDF)",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download(request, public_id: UUID):
    document = queries.get_document(request.user, public_id)
    audit.record_read(
        actor=request.user, target=document, fields=["file"], purpose="tải văn bản (API)"
    )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.public_id}.pdf",
        content_type="application/pdf",
    )


@router.post("/{uuid:public_id}/sign", auth=django_auth, response={200: DocumentOut, **ERRORS})
def sign(request, public_id: UUID):
    document = queries.get_document(request.user, public_id)
    return document_out(actions.sign_document(actor=request.user, document=document))


@router.post("/verify", response={200: VerificationOut, **ERRORS})
def verify(request, file: File[UploadedFile]):
    """Public. Always 200 with a stable `code` for any file that is read; 413
    (`core.upload_too_large`) only when the file is too large."""
    check_verification_rate(request)
    report, registered = queries.check_pdf_file(read_upload(file, pdf_only=False))
    return {
        "code": report.code,
        "detail": verdicts.headline(report.code),
        "registered": None
        if registered is None
        else {
            "public_id": registered.public_id,
            "reference": registered.reference,
            "commune_code": registered.commune.code,
            "commune_name": registered.commune.name,
            "issued_at": registered.created_at,
        },
        "signatures": [
            {**s.__dict__, "detail": verdicts.headline(s.code), "problem": s.problem}
            for s in report.signatures
        ],
    }


@router.get("/lookup/{code}", response={200: LookupOut, 429: ErrorOut})
def lookup(request, code: str):
    """Public: is a document with this public id (printed in its footer) in a register?
    Only the reference, kind, commune, date and signature state are returned."""
    check_verification_rate(request)
    document = queries.lookup_public(code)
    if document is None:
        return {"found": False}
    return {
        "found": True,
        "reference": document.reference,
        "kind": document.kind,
        "commune_code": document.commune.code,
        "commune_name": document.commune.name,
        "issued_at": document.created_at,
        "signed": document.is_signed,
        "signed_at": document.signed_at,
        "signature_level": document.signature_level,
    }
