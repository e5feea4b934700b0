"""Turning stored events into the lines a consumer reads on the scan page (Vietnamese), and
the parts of that page that differ from batch to batch (see pages.py)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from langso.core import formats

from .models import Batch, EventKind, TraceEvent

SERIAL_SLOT = "<!--serial-->"  # where pages.with_serial writes a unit's serial number

_TRANSLATED: dict[str, dict[str, str]] = {}


def labels() -> Callable[[str], str]:
    """gettext for the active language, each message looked up once per language. A page
    rendered in the request (a scan missing the page cache) asks for some twenty labels,
    and Django's gettext costs context-local lookups and a catalogue search each time; the
    functions below take this one as their own `_` (so that makemessages still finds
    their messages), which looks the language up once."""
    translated = _TRANSLATED.setdefault(get_language(), {})

    def lookup(message: str) -> str:
        found = translated.get(message)
        if found is None:
            found = translated[message] = gettext(message)
        return found

    return lookup


METHOD_LABELS = {
    "manual": "thủ công",
    "drone": "phun bằng thiết bị bay không người lái (drone)",
    "machine": "bằng máy",
}
DISPOSITION_LABELS = {
    "conformant": "Đạt",
    "non_conformant": "Không đạt",
    "in_transit": "Đang vận chuyển",
    "retail_sold": "Đã bán",
    "active": "Đã tạo lô",
    "in_progress": "Đang thực hiện",
}


def _qty(value, unit: str) -> str:
    if value is None:
        return ""
    return formats.quantity(Decimal(value), unit)


def event_lines(
    ev: TraceEvent, batch: Batch, _: Callable[[str], str] | None = None
) -> tuple[str, list[str]]:
    """(place, detail lines) for one event. `_`: labels() of the active language, when the
    caller already has it (one per page rather than one per event)."""
    if _ is None:
        _ = labels()
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
        label = _("Thuốc bảo vệ thực vật") if d.get("input_type") == "pesticide" else _("Phân bón")
        lines.append(
            f"{label}: {d.get('input_product', '')}"
            + (f" ({d['active_ingredient']})" if d.get("active_ingredient") else "")
        )
        if d.get("dose"):
            lines.append(
                _("Liều lượng: %(dose)s %(unit)s")
                % {"dose": d["dose"], "unit": d.get("dose_unit", "")}
            )
        if d.get("method"):
            lines.append(
                _("Cách thực hiện: %(m)s") % {"m": METHOD_LABELS.get(d["method"], d["method"])}
            )
        if d.get("phi_days") is not None and d.get("input_type") == "pesticide":
            safe = timezone.localtime(ev.event_time) + timedelta(days=int(d["phi_days"]))
            lines.append(
                _("Thời gian cách ly: %(n)s ngày (đến %(day)s)")
                % {"n": d["phi_days"], "day": safe.strftime("%d/%m/%Y")}
            )
    if (
        ev.kind
        in (
            EventKind.HARVEST,
            EventKind.PACKING,
            EventKind.SHIPPING,
            EventKind.RECEIVING,
            EventKind.PROCESSING,
        )
        and ev.quantity is not None
    ):
        unit = d.get("unit") or batch.unit  # a harvest is weighed in its own unit
        lines.append(_("Số lượng: %(q)s") % {"q": _qty(ev.quantity, unit)})
    if ev.kind == EventKind.PROCESSING:
        for item in d.get("inputs", []):
            lines.append(
                _("Nguyên liệu: %(p)s, lô %(lot)s, %(q)s")
                % {
                    "p": item["product"],
                    "lot": item["lot"],
                    "q": _qty(item["quantity"], item["unit"]),
                }
            )
    if ev.kind == EventKind.INSPECTION:
        if d.get("laboratory"):
            lines.append(_("Đơn vị kiểm nghiệm: %(lab)s") % {"lab": d["laboratory"]})
        for r in d.get("results", []):
            mark = _("đạt") if r.get("passed", True) else _("không đạt")
            limit = (_(" (giới hạn %(l)s)") % {"l": r["limit"]}) if r.get("limit") else ""
            lines.append(
                f"{r.get('name', '')}: {r.get('value', '')} {r.get('unit', '')}{limit} – {mark}"
            )
        lines.append(
            _("Kết luận: %(r)s")
            % {"r": _("Đạt") if ev.disposition == "conformant" else _("Không đạt")}
        )
    if ev.kind == EventKind.SHIPPING and d.get("partner_name"):
        lines.append(_("Giao cho: %(p)s") % {"p": d["partner_name"]})
    if ev.kind in (EventKind.RECEIVING, EventKind.RETAIL_SELLING) and d.get("partner_name"):
        place = d["partner_name"]
    if d.get("imported"):
        lines.append(_("Dữ liệu từ hệ thống của đối tác (EPCIS)"))
    if d.get("note"):
        lines.append(d["note"])
    return place, lines


def scan_timeline_html(items: list[dict]) -> SafeString:
    """The scan page's timeline (<ol class="tl">), built here rather than in the template:
    a million pages are rendered in bulk (`langso trace_render_pages`), and this part, ten
    events a page, cost ~4 ms in the template language. Every value from the database goes
    through `esc` (the standard library's html.escape, as Django's escape); labels go
    through gettext like the template's."""
    _ = labels()
    if not items:
        return mark_safe(f'<p class="muted">{esc(_("Chưa có sự kiện nào được ghi."))}</p>')  # noqa: S308
    kinds = _kind_labels()
    raw_badge = f' <span class="badge">{esc(_("lô nguyên liệu"))}</span>'
    parts = []
    for item in items:
        ev = item["event"]
        declared, corrects = item["declared"], item["corrects"]
        local = item["local_time"]
        wrong = ' class="wrong"' if declared else ""
        badge = "" if item["own"] else raw_badge
        out = [
            f'<li id="e{int(ev.pk)}"{wrong}>\n'
            f"<h3>{kinds.get(ev.kind) or esc(ev.kind)}{badge}</h3>\n"
            f'<p class="muted"><time datetime="{local.isoformat(timespec="seconds")}">'
            f"{local.hour:02d}:{local.minute:02d} {_day(local)}</time> · {esc(item['place'])}</p>"
        ]
        if item["lines"]:
            out.append(
                "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in item["lines"]) + "</ul>"
            )
        if declared:
            note = (declared.details or {}).get("note")
            out.append(
                f'<p><span class="badge err">{esc(_("Đã đính chính"))}</span> '
                f"{esc(_('Thông tin này được chủ thể khai báo là sai'))}"
                f"{': ' + esc(note) if note else ''} "
                f"({timezone.localtime(declared.record_time).strftime('%d/%m/%Y')}).</p>"
            )
        if corrects:
            when = timezone.localtime(corrects.event_time).strftime("%H:%M %d/%m/%Y")
            out.append(
                f'<p><span class="badge warn">{esc(_("Bản đính chính"))}</span> '
                f"{esc(_('Thay cho thông tin ghi lúc %(time)s.') % {'time': when})} "
                f'<a href="#e{int(corrects.pk)}">{esc(_("Xem bản cũ"))}</a></p>'
            )
        parts.append("\n".join(out) + "\n</li>")
    return mark_safe('<ol class="tl">' + "\n".join(parts) + "</ol>")  # noqa: S308 - escaped


_KIND_LABELS: dict[str, dict[str, str]] = {}


def _kind_labels() -> dict[str, str]:
    """The event kinds' labels, escaped, in the active language (read once per language:
    EventKind.choices builds its list anew at every call)."""
    language = get_language()
    labels = _KIND_LABELS.get(language)
    if labels is None:
        labels = _KIND_LABELS[language] = {
            value: esc(str(label)) for value, label in EventKind.choices
        }
    return labels


def _day(day) -> str:
    """day.strftime("%d/%m/%Y") (the C library's %Y: the year unpadded), without strftime's
    cost: ten of these a page rendered."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def esc(value) -> str:
    return html.escape(str(value))


def scan_batch_line(batch: Batch) -> SafeString:
    """Lot (with the slot a unit's serial fills in, pages.with_serial) and GTIN. (f-strings
    and `esc` rather than format_html, as the timeline: the same escaping, cheaper.)"""
    _ = labels()
    gtin = f" · GTIN {esc(batch.gtin)}" if batch.gtin else ""
    return mark_safe(  # noqa: S308 - every value escaped
        f'<p class="muted">{esc(_("Lô"))} <strong>{esc(batch.lot)}</strong>{SERIAL_SLOT}{gtin}</p>'
    )


def scan_batch_card(batch: Batch, harvested_on) -> SafeString:
    """Quantity and the batch's dates."""
    _ = labels()
    rows = [(_("Số lượng lô"), _qty(batch.quantity, batch.unit))]
    for label, day in (
        (_("Bắt đầu vụ"), batch.planted_on),
        (_("Thu hoạch"), harvested_on),
        (_("Đóng gói"), batch.packed_on),
        (_("Hạn sử dụng"), batch.expires_on),
    ):
        if day:
            rows.append((label, _day(day)))
    lines = "\n".join(f"<dt>{esc(label)}:</dt><dd>{esc(value)}</dd>" for label, value in rows)
    return mark_safe(f'<div class="card"><dl>\n{lines}\n</dl></div>')  # noqa: S308 - escaped
