"""A figure provider for the monitoring benchmark: real SQL aggregates over synthetic
tables (bench_monitor_dossier, bench_monitor_household), one grouped query per figure,
exactly the shape of the hand-written baseline in monitor_recompute.py."""

from langso.core.figures import Figure, FigureDefinition

# code -> (SQL numerator expression, SQL denominator expression or None, table, date filter)
FIGURE_SQL = {
    "procedures.received": ("count(*)", None, "bench_monitor_dossier", True),
    "procedures.online_rate": (
        "count(*) filter (where online)",
        "count(*)",
        "bench_monitor_dossier",
        True,
    ),
    "procedures.on_time_rate": (
        "count(*) filter (where settled and on_time)",
        "count(*) filter (where settled)",
        "bench_monitor_dossier",
        True,
    ),
    "procedures.satisfaction_rate": (
        "count(*) filter (where rated and satisfied)",
        "count(*) filter (where rated)",
        "bench_monitor_dossier",
        True,
    ),
    "society.address_coverage": (
        "count(*) filter (where has_address)",
        "count(*)",
        "bench_monitor_household",
        False,
    ),
    "society.health_record_coverage": (
        "count(*) filter (where has_health_record)",
        "count(*)",
        "bench_monitor_household",
        False,
    ),
    "people.households": ("count(*)", None, "bench_monitor_household", False),
}

FIGURE_DEFINITIONS = {
    code: FigureDefinition(code, code, "rate" if den else "count", "benchmark figure")
    for code, (_num, den, _t, _d) in FIGURE_SQL.items()
}


def figure_query(code: str) -> str:
    num, den, table, dated = FIGURE_SQL[code]
    where = "commune_id = any(%(ids)s)"
    if dated:
        where += " and received between %(start)s and %(end)s"
    return (
        f"select commune_id, {num}, {den or 'null'} from {table} "  # noqa: S608
        f"where {where} group by commune_id"
    )


def monitoring_figures(*, unit_ids, period_start, period_end):
    from django.db import connection

    out: dict[int, dict[str, Figure]] = {uid: {} for uid in unit_ids}
    params = {"ids": list(unit_ids), "start": period_start, "end": period_end}
    with connection.cursor() as cur:
        for code in FIGURE_SQL:
            cur.execute(figure_query(code), params)
            for commune_id, num, den in cur.fetchall():
                out[commune_id][code] = Figure(num, den)
    return out
