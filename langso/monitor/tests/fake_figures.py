"""A figure provider for the tests: returns whatever the test put in FIGURES."""

from langso.core.figures import Figure, FigureDefinition

FIGURES: dict[int, dict[str, Figure]] = {}
CALLS: list[list[int]] = []

FIGURE_DEFINITIONS = {
    "procedures.online_rate": FigureDefinition(
        "procedures.online_rate",
        "Tỷ lệ hồ sơ trực tuyến",
        "rate",
        "Hồ sơ nộp trực tuyến / tổng hồ sơ tiếp nhận trong kỳ.",
    ),
    "documents.signed_rate": FigureDefinition(
        "documents.signed_rate",
        "Tỷ lệ văn bản ký số",
        "rate",
        "Văn bản ký số / văn bản ban hành trong kỳ.",
    ),
    "economy.has_cooperative": FigureDefinition(
        "economy.has_cooperative", "Xã có hợp tác xã", "count", "1 nếu xã có HTX."
    ),
}


def monitoring_figures(*, unit_ids, period_start, period_end):
    CALLS.append(list(unit_ids))
    return {uid: dict(FIGURES.get(uid, {})) for uid in unit_ids}
