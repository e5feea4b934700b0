"""Pages: the public verification page, and the officials' register (list, write, upload,
detail, sign, download)."""

from cryptography.hazmat.primitives import serialization
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from langso.core import audit
from langso.core.exceptions import DomainError, NotFound
from langso.core.models import AuditAction
from langso.core.uploads import PDF, UploadRejected, accepts_files, check_size, check_upload

from . import actions, queries, verdicts
from .conf import max_document_bytes
from .exports import register_workbook
from .forms import (
    LookupForm,
    RegisterFilterForm,
    UploadDocumentForm,
    VerifyForm,
    WriteDocumentForm,
)
from .models import Document
from .permissions import can_issue, can_read_register
from .signing import certificates
from .throttling import check_verification_rate


def read_upload(upload, *, pdf_only: bool = True) -> bytes:
    """Read an uploaded file, refusing it before reading when it is too large and, unless
    `pdf_only` is False (verification reports a non-PDF as its own verdict), when its content
    is not a PDF."""
    if not pdf_only:
        check_size(upload, max_bytes=max_document_bytes())
        return upload.read()
    return check_upload(upload, kinds=[PDF], max_bytes=max_document_bytes()).read()


@accepts_files
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Public: upload a PDF, see whether its signature is valid, who signed, when, and
    whether it changed after signing."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    lookup = LookupForm(request.GET if "code" in request.GET else None)
    context: dict = {"form": form, "lookup": lookup}
    status = 200
    if lookup.is_bound and lookup.is_valid():
        try:
            check_verification_rate(request)
        except DomainError as exc:
            lookup.add_error("code", exc.message)
            status = exc.http_status
        else:
            context["looked_up"] = queries.lookup_public(lookup.cleaned_data["code"])
            context["lookup_done"] = True
    if request.method == "POST" and form.is_valid():
        try:
            check_verification_rate(request)
            data = read_upload(form.cleaned_data["file"], pdf_only=False)
        except DomainError as exc:
            form.add_error("file", exc.message)
            status = exc.http_status
        else:
            report, registered = queries.check_pdf_file(data)
            context.update(
                report=report,
                registered=registered,
                headline=verdicts.headline(report.code),
                badge=verdicts.BADGES[report.code],
                label=verdicts.LABELS[report.code],
                filename=form.cleaned_data["file"].name,
                signatures=[_signature_view(s) for s in report.signatures],
            )
    elif request.method == "POST":
        status = 422
    return render(request, "documents/verify.html", context, status=status)


@require_http_methods(["GET"])
def demo_crl(request: HttpRequest) -> HttpResponse:
    """The demo root's certificate revocation list, where every demo certificate says it
    is, in any signing mode (documents signed in demo stay checkable after a switch to
    production): empty until the first revocation, always current. 404 only where no demo
    root was ever made."""
    crl = certificates.ensure_demo_crl()
    if crl is None:
        raise Http404
    response = HttpResponse(
        crl.public_bytes(serialization.Encoding.DER), content_type="application/pkix-crl"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _signature_view(sig) -> dict:
    return {
        "sig": sig,
        "problem": verdicts.problem_text(sig.problem),
        "modification": verdicts.MODIFICATIONS.get(sig.modification_level, ""),
        "badge": verdicts.BADGES[sig.code],
        "label": verdicts.LABELS[sig.code],
    }


def _require_official(request: HttpRequest) -> None:
    if not can_read_register(request.user):
        raise DjangoPermissionDenied


@login_required
def register(request: HttpRequest) -> HttpResponse:
    _require_official(request)
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.list_documents(
        request.user,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        signed=filters.get("signed", ""),
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/register.html",
        {
            "form": form,
            "page": page,
            "year_figures": queries.year_summary(request.user),
            "can_issue": queries.issuable_communes(request.user).exists(),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The register as filtered on the page, as an Excel workbook."""
    _require_official(request)
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.list_documents(
        request.user,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        signed=filters.get("signed", ""),
    )
    audit.record(
        actor=request.user,
        action=AuditAction.READ,
        object_type="documents.Document",
        object_repr="sổ văn bản",
        fields={"read": ["register"], "filters": filters},
        purpose="xuất sổ văn bản",
    )
    response = HttpResponse(
        register_workbook(qs),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="so-van-ban-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


def _issuer_communes(request: HttpRequest):
    communes = queries.issuable_communes(request.user)
    if not communes.exists():
        raise DjangoPermissionDenied
    return communes


@login_required
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    communes = _issuer_communes(request)
    form = WriteDocumentForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = actions.issue_document(
                actor=request.user,
                commune=data["commune"],
                title=data["title"],
                paragraphs=form.paragraphs(),
                kind=data["kind"],
                reference=data["reference"],
                recipient=data["recipient"],
                sign=data["sign"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Đã ban hành văn bản %(ref)s.") % {"ref": document.reference or document.title},
            )
            return redirect("documents:detail", public_id=document.public_id)
    return render(
        request,
        "documents/form.html",
        {"form": form, "heading": _("Soạn văn bản"), "multipart": False},
        status=422 if form.errors else 200,
    )


@accepts_files
@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    communes = _issuer_communes(request)
    form = UploadDocumentForm(request.POST or None, request.FILES or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = actions.upload_document(
                actor=request.user,
                commune=data["commune"],
                title=data["title"],
                data=read_upload(data["file"]),
                kind=data["kind"],
                reference=data["reference"],
                recipient=data["recipient"],
                sign=data["sign"],
            )
        except DomainError as exc:
            form.add_error("file" if isinstance(exc, UploadRejected) else None, exc.message)
        else:
            messages.success(
                request, _("Đã đăng ký văn bản %(title)s.") % {"title": document.title}
            )
            return redirect("documents:detail", public_id=document.public_id)
    return render(
        request,
        "documents/form.html",
        {"form": form, "heading": _("Tải lên văn bản PDF để ký số"), "multipart": True},
        status=422 if form.errors else 200,
    )


def _document_or_404(request: HttpRequest, public_id) -> Document:
    try:
        return queries.get_document(request.user, public_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def detail(request: HttpRequest, public_id) -> HttpResponse:
    _require_official(request)
    document = _document_or_404(request, public_id)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "can_sign": can_issue(request.user, document.commune) and not document.is_signed,
        },
    )


@login_required
def download(request: HttpRequest, public_id) -> FileResponse:
    _require_official(request)
    document = _document_or_404(request, public_id)
    audit.record_read(actor=request.user, target=document, fields=["file"], purpose="tải văn bản")
    filename = f"{(document.reference or 'van-ban').replace('/', '-')}.pdf"
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


@login_required
@require_POST
def sign(request: HttpRequest, public_id) -> HttpResponse:
    _require_official(request)
    document = _document_or_404(request, public_id)
    try:
        actions.sign_document(actor=request.user, document=document)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ký số văn bản."))
    return redirect("documents:detail", public_id=document.public_id)
