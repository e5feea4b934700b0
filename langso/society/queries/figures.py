"""Figures for `monitor` (contract in langso/core/figures.py). Each query is grouped by
commune so a province roll-up costs a handful of queries, whatever the number of communes."""

from collections.abc import Sequence
from datetime import date, datetime, time

from django.db.models import Count, Q, Sum
from django.utils import timezone

from langso.core.figures import Figure, FigureDefinition
from langso.people.models import Household, Resident, Role, RoleAssignment

from ..models import (
    Attendance,
    DigitalAddress,
    HealthRecord,
    HelpSession,
    Reading,
    TrainingAudience,
    TrainingSession,
)

TRAINED_ROLES = [Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL, Role.HEALTH_WORKER]

FIGURE_DEFINITIONS = {
    "society.address_coverage": FigureDefinition(
        "society.address_coverage",
        "Tỷ lệ hộ có địa chỉ số",
        "rate",
        "Số hộ có địa chỉ số đang hiệu lực / số hộ của xã.",
    ),
    "society.health_record_coverage": FigureDefinition(
        "society.health_record_coverage",
        "Tỷ lệ người dân có hồ sơ sức khoẻ điện tử",
        "rate",
        "Số nhân khẩu có hồ sơ sức khoẻ / số nhân khẩu của xã.",
    ),
    "society.residents_helped": FigureDefinition(
        "society.residents_helped",
        "Số hộ được tổ công nghệ số hỗ trợ",
        "count",
        "Số hộ khác nhau được tổ công nghệ số cộng đồng hỗ trợ trong kỳ.",
    ),
    "society.officials_trained_rate": FigureDefinition(
        "society.officials_trained_rate",
        "Tỷ lệ cán bộ xã được tập huấn kỹ năng số",
        "rate",
        "Số cán bộ xã (lãnh đạo, công chức, y tế) đã hoàn thành ít nhất một buổi tập huấn "
        "dành cho cán bộ đến cuối kỳ / số cán bộ xã.",
    ),
    "society.residents_trained": FigureDefinition(
        "society.residents_trained",
        "Số lượt người dân được tập huấn kỹ năng số",
        "count",
        "Số lượt người dân dự các buổi tập huấn dành cho người dân trong kỳ (người có tên "
        "cộng số người ghi theo đầu người).",
    ),
    "society.water_within_limits_rate": FigureDefinition(
        "society.water_within_limits_rate",
        "Tỷ lệ mẫu nước đạt quy chuẩn",
        "rate",
        "Số kết quả đo đạt giới hạn của quy chuẩn có hiệu lực vào ngày đo / số kết quả có "
        "giới hạn áp dụng, trong kỳ.",
    ),
}


def _by_commune(qs, field: str = "commune_id", **annotations) -> dict:
    return {row[field]: row for row in qs.values(field).annotate(**annotations)}


def monitoring_figures(
    *, unit_ids: Sequence[int], period_start: date, period_end: date
) -> dict[int, dict[str, Figure]]:
    ids = list(unit_ids)
    start = timezone.make_aware(datetime.combine(period_start, time.min))
    end = timezone.make_aware(datetime.combine(period_end, time.max))
    households = _by_commune(Household.objects.filter(commune_id__in=ids), n=Count("id"))
    addressed = _by_commune(
        DigitalAddress.objects.filter(household__commune_id__in=ids, valid_to__isnull=True),
        "household__commune_id",
        n=Count("id"),
    )
    residents = _by_commune(Resident.objects.filter(commune_id__in=ids), n=Count("id"))
    records = _by_commune(
        HealthRecord.objects.filter(resident__commune_id__in=ids),
        "resident__commune_id",
        n=Count("id"),
    )
    helped = _by_commune(
        HelpSession.objects.filter(
            team__commune_id__in=ids, occurred_at__range=(start, end), household__isnull=False
        ),
        "team__commune_id",
        n=Count("household_id", distinct=True),
    )
    officials = _by_commune(
        RoleAssignment.objects.filter(unit_id__in=ids, role__in=TRAINED_ROLES),
        "unit_id",
        n=Count("user_id", distinct=True),
    )
    # Only officials' sessions count: an official who sat in a residents' class is not trained.
    trained_users = Attendance.objects.filter(
        completed=True,
        user__isnull=False,
        session__held_on__lte=period_end,
        session__audience=TrainingAudience.OFFICIALS,
    ).values("user_id")
    trained = _by_commune(
        RoleAssignment.objects.filter(
            unit_id__in=ids, role__in=TRAINED_ROLES, user_id__in=trained_users
        ),
        "unit_id",
        n=Count("user_id", distinct=True),
    )
    resident_sessions = TrainingSession.objects.filter(
        course__unit_id__in=ids,
        audience=TrainingAudience.RESIDENTS,
        held_on__range=(period_start, period_end),
    )
    counted = _by_commune(resident_sessions, "course__unit_id", n=Sum("headcount"))
    named = _by_commune(
        Attendance.objects.filter(session__in=resident_sessions, resident__isnull=False),
        "session__course__unit_id",
        n=Count("id"),
    )
    water = _by_commune(
        Reading.objects.filter(
            station__commune_id__in=ids,
            observed_at__range=(start, end),
            within_limits__isnull=False,
        ),
        "station__commune_id",
        n=Count("id"),
        ok=Count("id", filter=Q(within_limits=True)),
    )

    def n(table, uid, key="n"):
        return table.get(uid, {}).get(key, 0)

    return {
        uid: {
            "society.address_coverage": Figure(n(addressed, uid), n(households, uid)),
            "society.health_record_coverage": Figure(n(records, uid), n(residents, uid)),
            "society.residents_helped": Figure(n(helped, uid)),
            "society.officials_trained_rate": Figure(n(trained, uid), n(officials, uid)),
            "society.residents_trained": Figure((n(counted, uid) or 0) + n(named, uid)),
            "society.water_within_limits_rate": Figure(n(water, uid, "ok"), n(water, uid)),
        }
        for uid in ids
    }
