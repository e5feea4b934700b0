"""Reads of the documents app. The one door to documents: `documents_visible_to`."""

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core.exceptions import NotFound
from langso.core.figures import Figure, FigureDefinition
from langso.core.text import fold
from langso.people.permissions import unit_scope_q
from langso.places.models import AdminUnit, Level

from .models import Document
from .permissions import ISSUER_ROLES, REGISTER_ROLES


def documents_visible_to(user) -> QuerySet[Document]:
    """Documents of the communes where `user` holds an official role (province and district
    officers see the communes below them)."""
    qs = Document.objects.select_related("commune", "created_by")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(unit_scope_q(user, "commune", REGISTER_ROLES))


def list_documents(
    user, *, q: str = "", kind: str = "", signed: str = "", commune_id: int | None = None
) -> QuerySet[Document]:
    qs = documents_visible_to(user)
    for word in fold(q).split():
        qs = qs.filter(search_key__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    if signed == "yes":
        qs = qs.filter(signed_at__isnull=False)
    elif signed == "no":
        qs = qs.filter(signed_at__isnull=True)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    return qs


def get_document(user, public_id: UUID | str) -> Document:
    try:
        return documents_visible_to(user).get(public_id=public_id)
    except (Document.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Không tìm thấy văn bản.")) from exc


def issuable_communes(user) -> QuerySet[AdminUnit]:
    """Communes for which `user` may issue documents."""
    return (
        AdminUnit.objects.filter(unit_scope_q(user, "self", ISSUER_ROLES), level=Level.COMMUNE)
        .select_related("parent")
        .order_by("name")
    )


def lookup_public(public_id: str) -> Document | None:
    """The register entry with this public id (printed in every document's footer), for the
    public page: callers show only the reference, commune, kind, date and signature state,
    never the title or the file."""
    try:
        return (
            Document.objects.select_related("commune")
            .filter(public_id=UUID(str(public_id).strip()))
            .first()
        )
    except ValueError:
        return None


def find_registered(sha256: str) -> Document | None:
    """The register entry whose stored file is exactly these bytes, if any. Used by the
    public verification page to say "this file is the one the commune issued"."""
    return (
        Document.objects.select_related("commune")
        .filter(sha256=sha256)
        .order_by("created_at")
        .first()
    )


FIGURE_DEFINITIONS = {
    "documents.issued": FigureDefinition(
        "documents.issued",
        "Số văn bản điện tử đã ban hành",
        "count",
        "Số văn bản (kết quả thủ tục và văn bản khác) xã đã ban hành trên hệ thống trong kỳ.",
    ),
    "documents.signed_rate": FigureDefinition(
        "documents.signed_rate",
        "Tỷ lệ văn bản được ký số",
        "rate",
        "Số văn bản ban hành trong kỳ có chữ ký số của xã chia cho tổng số văn bản ban hành "
        "trong kỳ.",
    ),
}


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def count_issued(
    *, unit_ids: Sequence[int], period_start: dt.date, period_end: dt.date
) -> dict[int, tuple[int, int]]:
    """(issued, signed) per commune id, for documents created within the period (inclusive,
    local dates)."""
    since, until = _day_bounds(period_start, period_end)
    rows = (
        Document.objects.filter(
            commune_id__in=list(unit_ids), created_at__gte=since, created_at__lt=until
        )
        .values("commune_id")
        .annotate(issued=Count("id"), signed=Count("id", filter=Q(signed_at__isnull=False)))
    )
    counts = {uid: (0, 0) for uid in unit_ids}
    for row in rows:
        counts[row["commune_id"]] = (row["issued"], row["signed"])
    return counts


def monitoring_figures(
    *, unit_ids: Sequence[int], period_start: dt.date, period_end: dt.date
) -> dict[int, dict[str, Figure]]:
    counts = count_issued(unit_ids=unit_ids, period_start=period_start, period_end=period_end)
    return {
        uid: {"documents.issued": Figure(issued), "documents.signed_rate": Figure(signed, issued)}
        for uid, (issued, signed) in counts.items()
    }


def year_summary(user) -> dict | None:
    """This year's figures over the communes in the user's register, for the register page."""
    today = timezone.localdate()
    ids = list(
        AdminUnit.objects.filter(
            unit_scope_q(user, "self", REGISTER_ROLES), level=Level.COMMUNE
        ).values_list("pk", flat=True)
    )
    if not ids:
        return None
    counts = count_issued(
        unit_ids=ids, period_start=today.replace(month=1, day=1), period_end=today
    )
    issued = sum(c[0] for c in counts.values())
    signed = sum(c[1] for c in counts.values())
    return {
        "year": today.year,
        "issued": issued,
        "signed": signed,
        "rate": Figure(signed, issued).percent,
    }


def check_pdf_file(data: bytes):
    """Verify an uploaded PDF for the public page and API: the signature report plus the
    register entry when the file is byte-for-byte one the commune issued."""
    import hashlib

    from .signing.verification import VALID, verify_pdf

    report = verify_pdf(data)
    registered = None
    if report.code == VALID:
        registered = find_registered(hashlib.sha256(data).hexdigest())
    return report, registered
