"""Pages: the public scan page at the GS1 Digital Link path, labels, and the producer's
batch pages."""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from langso.core import gs1
from langso.core.exceptions import DomainError
from langso.core.idempotency import form_once
from langso.core.ratelimit import check_local_rate

from . import epcis, labels, pages, resolver
from .actions import correct_event, count_scan, create_batch, mark_labelled, record_event
from .identifiers import batch_qr_uri, digital_link_path
from .models import EventKind
from .queries import (
    batch_documents,
    batches_visible_to,
    products_batchable_by,
    province_codes,
    scan_totals,
)

_GZIP = re.compile(r"\bgzip\b")
SCAN_RATE_SCOPE = "trace.scan"
SCAN_RATE_PER_MINUTE = 600  # per address and worker; phones behind mobile NAT share one


def _scan(request, *, gtin: str = "", pid: str = "", lot: str, serial: str = ""):
    # Counted per worker, not in Redis: a page served from the cache costs about as much as
    # a Redis round trip. Generous on purpose: phones on a mobile network share addresses.
    if not request.META.get("langso.trace.rate_counted"):  # else front.py counted it
        refused = check_local_rate(request, SCAN_RATE_SCOPE, per_minute=SCAN_RATE_PER_MINUTE)
        if refused is not None:
            return refused
    wanted = resolver.requested(request.GET, request.META.get("HTTP_ACCEPT", ""))
    if wanted is not None:  # a machine asking the resolver for links, not a person
        return resolver.answer(request, wanted, gtin=gtin, pid=pid, lot=lot, serial=serial)
    page = pages.scan_page(
        gtin=gtin,
        product_public_id=pid,
        lot=lot,
        missed=request.META.get("langso.trace.page_missed"),  # set by front.py
    )
    if page is None:
        raise Http404(_("Không tìm thấy lô sản phẩm này."))
    batch_id, compressed = page
    if serial:
        compressed = pages.with_serial(compressed, serial)
    province = request.GET.get("tinh", "")
    if province and province not in province_codes():
        province = ""
    count_scan(
        batch_id=batch_id,
        province_code=province,
        moved_from_unknown=bool(province and request.GET.get("lai")),
    )
    if _GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        # already compressed: GZipMiddleware leaves a response with Content-Encoding alone
        response = HttpResponse(compressed)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed))
    response["Vary"] = "Accept, Accept-Encoding"
    response["Cache-Control"] = "public, max-age=5"
    response["Link"] = resolver.link_header(
        resolver.path_of(gtin=gtin, pid=pid, lot=lot, serial=serial)
    )
    return response


@require_safe
def scan_gtin(request, gtin: str, lot: str, serial: str | None = None):
    try:
        gtin14 = gs1.normalize_gtin(gtin)
    except ValueError as exc:
        raise Http404(_("Mã GTIN không hợp lệ.")) from exc
    return _scan(request, gtin=gtin14, lot=lot, serial=serial or "")


@require_safe
def scan_public_id(request, pid: str, lot: str, serial: str | None = None):
    return _scan(request, pid=pid.lower(), lot=lot, serial=serial or "")


@require_safe
def scan_compressed(request, link: list[tuple[str, str]]):
    """A compressed GS1 Digital Link: 307 to the uncompressed one (its other AIs and any
    non-GS1 keys become the query string, with the request's own)."""
    values = dict(link)
    path = digital_link_path(
        gtin=values.pop("01"),
        cpv=values.pop("22", ""),
        lot=values.pop("10"),
        serial=values.pop("21", ""),
    )
    query = [(k, v) for k, v in values.items()] + list(request.GET.items())
    response = HttpResponse(status=307)
    response["Location"] = path + ("?" + urlencode(query) if query else "")
    return response


# --- producer / official pages --------------------------------------------------------------


def _batch_for(request, public_id):
    return get_object_or_404(batches_visible_to(request.user), public_id=public_id)


@login_required
@require_http_methods(["GET", "POST"])
def batch_list(request):
    products = products_batchable_by(request.user)
    if request.method == "POST":
        product = products.filter(public_id=request.POST.get("product") or None).first()
        if product is None:
            messages.error(request, _("Hãy chọn sản phẩm."))
        else:
            try:
                batch = create_batch(
                    actor=request.user,
                    product=product,
                    lot=request.POST.get("lot", ""),
                    quantity=_decimal(request.POST.get("quantity", "")),
                    growing_area=product.producer.growing_areas.filter(
                        public_id=request.POST.get("growing_area") or None
                    ).first(),
                )
                messages.success(request, _("Đã tạo lô %(lot)s.") % {"lot": batch.lot})
                return redirect("trace:batch_detail", public_id=batch.public_id)
            except DomainError as exc:
                messages.error(request, exc.message)
    batches = batches_visible_to(request.user).order_by("-created_at")[:200]
    from langso.economy.queries import growing_areas_of_producers

    areas = growing_areas_of_producers(products.values("producer"))
    return render(
        request,
        "trace/batches.html",
        {"batches": batches, "products": products, "areas": areas.order_by("name")},
    )


def _decimal(text: str) -> Decimal:
    from langso.core.exceptions import ValidationFailed

    try:
        value = Decimal((text or "").replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationFailed(_("Số lượng không hợp lệ."), code="trace.invalid_quantity") from exc
    if value <= 0:
        raise ValidationFailed(_("Số lượng phải lớn hơn 0."), code="trace.invalid_quantity")
    return value


@login_required
@require_http_methods(["GET", "POST"])
def batch_detail(request, public_id):
    batch = _batch_for(request, public_id)
    if request.method == "POST":
        try:
            if request.POST.get("correct"):
                event = get_object_or_404(batch.events, pk=request.POST["correct"])
                correct_event(
                    actor=request.user,
                    event=event,
                    reason=request.POST.get("reason", "incorrect_data"),
                    note=request.POST.get("note", ""),
                )
            else:
                here = reverse("trace:batch_detail", kwargs={"public_id": batch.public_id})

                def record() -> str:
                    record_event(
                        actor=request.user,
                        batch=batch,
                        **_event_form(request.POST, request.user, batch),
                    )
                    return here

                # a double click or F5 on the form records the event once
                form_once(request, f"trace.event:{batch.pk}", record)
            messages.success(request, _("Đã ghi sự kiện vào nhật ký của lô."))
            return redirect("trace:batch_detail", public_id=batch.public_id)
        except DomainError as exc:
            messages.error(request, exc.message)
    from .queries import batch_timeline

    return render(
        request,
        "trace/batch_detail.html",
        {
            "batch": batch,
            "timeline": batch_timeline(batch),
            "qr_uri": batch_qr_uri(batch),
            "scans": scan_totals(batch),
            "kinds": [k for k in EventKind if k != EventKind.OTHER],
        },
    )


def _event_form(post, user, batch) -> dict:
    from langso.core.exceptions import ValidationFailed

    try:
        when = timezone.make_aware(datetime.fromisoformat(post.get("event_time", "")))
    except ValueError as exc:
        raise ValidationFailed(_("Thời điểm không hợp lệ."), code="trace.invalid_time") from exc
    quantity = None
    if post.get("quantity"):
        try:
            quantity = Decimal(post["quantity"].replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationFailed(
                _("Số lượng không hợp lệ."), code="trace.invalid_quantity"
            ) from exc
    details = {
        k: post.get(k, "").strip()
        for k in (
            "input_type",
            "input_product",
            "active_ingredient",
            "dose",
            "dose_unit",
            "method",
            "phi_days",
            "partner_name",
            "partner_gln",
            "laboratory",
            "report_number",
            "variety",
            "note",
            "invoice",
        )
    }
    if post.get("kind") == EventKind.INSPECTION:
        details["passed"] = post.get("passed", "1") == "1"
    inputs = []
    if post.get("kind") == EventKind.PROCESSING:
        source = (
            batches_visible_to(user)
            .filter(producer=batch.producer, lot=post.get("input_lot", "").strip())
            .exclude(pk=batch.pk)
            .first()
        )
        if source is None:
            raise ValidationFailed(
                _("Không tìm thấy lô nguyên liệu có số lô này."), code="trace.unknown_input_lot"
            )
        try:
            used = Decimal(post.get("input_quantity", "").replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationFailed(
                _("Số lượng nguyên liệu không hợp lệ."), code="trace.invalid_quantity"
            ) from exc
        inputs.append((source, used))
    return {
        "kind": post.get("kind", ""),
        "event_time": when,
        "quantity": quantity,
        "unit": post.get("unit", ""),
        "details": details,
        "inputs": inputs,
    }


@login_required
def label_image(request, public_id, fmt: str):
    batch = _batch_for(request, public_id)
    uri = batch_qr_uri(batch, request.GET.get("serial", ""))
    if fmt == "svg":
        return HttpResponse(labels.qr_svg(uri), content_type="image/svg+xml")
    return HttpResponse(labels.qr_png(uri), content_type="image/png")


@login_required
def label_sheet(request, public_id):
    batch = _batch_for(request, public_id)
    try:
        count = max(1, min(int(request.GET.get("count", 24)), 480))
    except ValueError:
        count = 24
    serial_from = request.GET.get("serial_from")
    try:
        mark_labelled(actor=request.user, batch=batch)
    except DomainError:
        pass  # an inspector may print a sheet to check it; only managers mark the batch
    pdf = labels.label_sheet_pdf(
        batch, count=count, serial_from=int(serial_from) if serial_from else None
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tem-{batch.lot}.pdf"'
    return response


@login_required
def batch_epcis(request, public_id):
    batch = _batch_for(request, public_id)
    doc = epcis.document(batch_documents(batch))
    response = HttpResponse(
        json.dumps(doc, ensure_ascii=False, indent=1), content_type="application/ld+json"
    )
    response["Content-Disposition"] = f'attachment; filename="epcis-{batch.lot}.jsonld"'
    return response
