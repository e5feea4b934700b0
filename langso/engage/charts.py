"""Server-rendered SVG bar charts: no JavaScript, readable on a cheap phone, printable."""

from django.utils.html import escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 190
BAR_WIDTH = 260


def bar_chart(items: list[dict], *, title: str) -> str:
    """items: [{"label": str, "count": int, "share": float}] -> an accessible <svg>."""
    height = len(items) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 90
    top = max([i["count"] for i in items] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        # Sized by base.css (.chart): a style attribute would break the page's CSP.
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for n, item in enumerate(items):
        y = GAP + n * (BAR_HEIGHT + GAP)
        length = round(BAR_WIDTH * item["count"] / top)
        label = str(item["label"])
        label = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 1)}" height="{BAR_HEIGHT}" '
            f'fill="#2e7d32"><title>{escape(item["label"])}: {item["count"]}</title></rect>'
            f'<text x="{LABEL_WIDTH + max(length, 1) + 6}" y="{y + 16}" font-size="13">'
            f"{item['count']} ({item.get('share', 0)}%)</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
