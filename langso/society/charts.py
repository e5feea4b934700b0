"""A parameter over time as a small inline SVG, drawn on the server (no JavaScript)."""

from django.utils import timezone
from django.utils.html import escape

WIDTH, HEIGHT, PAD = 640, 220, 36


def series_svg(readings, *, title: str, unit: str = "") -> str:
    if not readings:
        return ""
    values = [r.value for r in readings]
    limits = [
        v
        for r in readings
        if r.limit
        for v in (r.limit.min_value, r.limit.max_value)
        if v is not None
    ]
    lo, hi = min(values + limits), max(values + limits)
    if hi == lo:
        hi, lo = hi + 1, lo - 1
    t0 = readings[0].observed_at.timestamp()
    t1 = readings[-1].observed_at.timestamp()
    span = (t1 - t0) or 1

    def x(r):
        return PAD + (r.observed_at.timestamp() - t0) / span * (WIDTH - 2 * PAD)

    def y(v):
        return HEIGHT - PAD - (v - lo) / (hi - lo) * (HEIGHT - 2 * PAD)

    points = " ".join(f"{x(r):.1f},{y(r.value):.1f}" for r in readings)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#999"/>',
    ]
    for bound in sorted(set(limits)):
        parts.append(
            f'<line x1="{PAD}" y1="{y(bound):.1f}" x2="{WIDTH - PAD}" '
            f'y2="{y(bound):.1f}" stroke="#c62828" stroke-dasharray="4 3"/>'
            f'<text x="{WIDTH - PAD + 2}" y="{y(bound) + 4:.1f}" font-size="10" '
            f'fill="#c62828">{bound:g}</text>'
        )
    parts.append(f'<polyline fill="none" stroke="#1565c0" stroke-width="1.5" points="{points}"/>')
    for r in readings:
        if r.within_limits is False:
            parts.append(
                f'<circle cx="{x(r):.1f}" cy="{y(r.value):.1f}" r="3.5" '
                f'fill="#c62828"><title>{r.value:g} {escape(unit)}</title></circle>'
            )
    first = timezone.localtime(readings[0].observed_at)
    last = timezone.localtime(readings[-1].observed_at)
    parts.append(
        f'<text x="{PAD}" y="{HEIGHT - 10}" font-size="11">{first:%d/%m/%Y}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 10}" font-size="11" '
        f'text-anchor="end">{last:%d/%m/%Y}</text>'
        f'<text x="4" y="{PAD - 12}" font-size="11">{hi:g} {escape(unit)}</text>'
        f'<text x="4" y="{HEIGHT - PAD}" font-size="11">{lo:g}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
