"""Turning stored events into the lines a consumer reads on the scan page (Vietnamese)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Batch, EventKind, TraceEvent

METHOD_LABELS = {"manual": "thủ công", "drone": "phun bằng thiết bị bay không người lái (drone)",
                 "machine": "bằng máy"}
DISPOSITION_LABELS = {"conformant": "Đạt", "non_conformant": "Không đạt",
                      "in_transit": "Đang vận chuyển", "retail_sold": "Đã bán",
                      "active": "Đã tạo lô", "in_progress": "Đang thực hiện"}


def _qty(value, unit: str) -> str:
    if value is None:
        return ""
    d = Decimal(value).normalize()
    return f"{d:f}".replace(".", ",") + f" {unit}"


def event_lines(ev: TraceEvent, batch: Batch) -> tuple[str, list[str]]:
    """(place, detail lines) for one event."""
    d = ev.details or {}
    producer = batch.producer
    area = batch.growing_area
    lines: list[str] = []
    place = producer.name
    if ev.kind in (EventKind.PLANTING, EventKind.INPUT, EventKind.HARVEST) and area:
        place = area.name
    if ev.kind == EventKind.PLANTING and d.get("variety"):
        lines.append(_("Giống: %(v)s") % {"v": d["variety"]})
    if ev.kind == EventKind.INPUT:
        label = (_("Thuốc bảo vệ thực vật") if d.get("input_type") == "pesticide"
                 else _("Phân bón"))
        lines.append(f"{label}: {d.get('input_product', '')}"
                     + (f" ({d['active_ingredient']})" if d.get("active_ingredient") else ""))
        if d.get("dose"):
            lines.append(_("Liều lượng: %(dose)s %(unit)s")
                         % {"dose": d["dose"], "unit": d.get("dose_unit", "")})
        if d.get("method"):
            lines.append(_("Cách thực hiện: %(m)s")
                         % {"m": METHOD_LABELS.get(d["method"], d["method"])})
        if d.get("phi_days") is not None and d.get("input_type") == "pesticide":
            safe = timezone.localtime(ev.event_time) + timedelta(days=int(d["phi_days"]))
            lines.append(_("Thời gian cách ly: %(n)s ngày (đến %(day)s)")
                         % {"n": d["phi_days"], "day": safe.strftime("%d/%m/%Y")})
    if ev.kind in (EventKind.HARVEST, EventKind.PACKING, EventKind.SHIPPING,
                   EventKind.RECEIVING, EventKind.PROCESSING) and ev.quantity is not None:
        lines.append(_("Số lượng: %(q)s") % {"q": _qty(ev.quantity, batch.unit)})
    if ev.kind == EventKind.PROCESSING:
        for item in d.get("inputs", []):
            lines.append(_("Nguyên liệu: %(p)s, lô %(lot)s, %(q)s")
                         % {"p": item["product"], "lot": item["lot"],
                            "q": _qty(item["quantity"], item["unit"])})
    if ev.kind == EventKind.INSPECTION:
        if d.get("laboratory"):
            lines.append(_("Đơn vị kiểm nghiệm: %(lab)s") % {"lab": d["laboratory"]})
        for r in d.get("results", []):
            mark = _("đạt") if r.get("passed", True) else _("không đạt")
            limit = (_(" (giới hạn %(l)s)") % {"l": r["limit"]}) if r.get("limit") else ""
            lines.append(f"{r.get('name', '')}: {r.get('value', '')} {r.get('unit', '')}"
                         f"{limit} – {mark}")
        lines.append(_("Kết luận: %(r)s")
                     % {"r": _("Đạt") if ev.disposition == "conformant" else _("Không đạt")})
    if ev.kind == EventKind.SHIPPING and d.get("partner_name"):
        lines.append(_("Giao cho: %(p)s") % {"p": d["partner_name"]})
    if ev.kind in (EventKind.RECEIVING, EventKind.RETAIL_SELLING) and d.get("partner_name"):
        place = d["partner_name"]
    if d.get("imported"):
        lines.append(_("Dữ liệu từ hệ thống của đối tác (EPCIS)"))
    if d.get("note"):
        lines.append(d["note"])
    return place, lines
