"""Demo data for monitoring: the criteria catalogue, Vô Tranh's 2021-2025 history kept on its
pre-merger communes (Tức Tranh, Vô Tranh legacy, Phú Đô, Cổ Lũng: found through
`predecessors_of`), a recognised 2025 assessment, a 2026 self-assessment in progress, and
synthetic values for every commune of Thái Nguyên so the province view has a map, a
ranking and target trends. All values here are synthetic (marked in their note)."""

import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from langso.people.models import User
from langso.places.models import AdminUnit, Level
from langso.places.queries import predecessors_of

from .actions import (
    move_assessment,
    recognise_with_override,
    recompute_indicators,
    roll_up_indicators,
    start_assessment,
)
from .catalogue import load_catalogue
from .evaluation import Classifier, ThresholdIndex, evaluate, figure_value
from .exceptions import CriteriaUnmet
from .models import (
    CriteriaSet,
    Evidence,
    Indicator,
    IndicatorValue,
    Scheme,
    SetKind,
    Source,
    UnitClassification,
    ValueKind,
)

NOTE = "Số liệu mẫu (demo)"
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages"
    b"/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _synthetic(ind: Indicator, rng: random.Random, progress: float):
    """(numerator, denominator) of a plausible value; `progress` 0..1 pushes it up."""
    if ind.value_kind == ValueKind.BOOLEAN:
        return Decimal(int(rng.random() < 0.45 + 0.5 * progress)), None
    if ind.value_kind == ValueKind.COUNT:
        if "triệu đồng" in ind.name:
            return Decimal(30 + int(20 * progress) + rng.randint(-4, 6)), None
        return Decimal(rng.randint(0, 2 + int(3 * progress))), None
    den = Decimal(rng.choice([120, 250, 400, 800]))
    if ind.comparator == "<=":
        share = max(0.005, 0.12 - 0.09 * progress + rng.uniform(-0.02, 0.02))
    else:
        share = min(1.0, 0.45 + 0.5 * progress + rng.uniform(-0.12, 0.1))
    return (den * Decimal(str(round(share, 3)))).quantize(Decimal(1)), den


def _fill(units, indicators, years, rng, progress_of, exemplary=frozenset()) -> int:
    classifier = Classifier(units)
    index = ThresholdIndex(indicators)
    now = timezone.now()
    rows = []
    for unit in units:
        for year in years:
            for ind in indicators:
                cset = ind.criterion.criteria_set
                if not cset.applies_to(year) or ind.source == Source.DERIVED:
                    continue
                num, den = _synthetic(ind, rng, progress_of(unit, year))
                cls = classifier.classify(unit.pk, cset.scheme, year)
                t = index.select(
                    ind, year=year, classification=cls, province_code=unit.province_code
                )
                if (unit.pk, year) in exemplary and t is not None:  # meets it exactly
                    num, den = (
                        (t.value, Decimal(100))
                        if ind.value_kind == ValueKind.PERCENT
                        else (t.value, None)
                    )
                value = figure_value(ind, num, den)
                rows.append(
                    IndicatorValue(
                        unit=unit,
                        indicator=ind,
                        year=year,
                        numerator=num,
                        denominator=den,
                        value=value,
                        status=evaluate(ind, value, t),
                        threshold=t.value if t else None,
                        source=ind.source,
                        note=NOTE,
                        computed_at=now,
                    )
                )
    IndicatorValue.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def load_demo(*, commune, province, seed: int, stdout) -> None:
    rng = random.Random(seed)
    report = load_catalogue()
    stdout.write(
        f"  {report.sets} bộ tiêu chí, {report.indicators} chỉ tiêu, {report.targets} mục tiêu"
    )
    olds = list(predecessors_of(commune))
    legacy_provinces = {o.parent.parent for o in olds if o.parent and o.parent.parent}
    for unit in [province, *legacy_provinces]:
        UnitClassification.objects.get_or_create(
            unit=unit,
            scheme=Scheme.REGION,
            year_from=2021,
            defaults={"value": "tdmnpb", "year_to": 2025},
        )
    communes = list(
        AdminUnit.objects.filter(parent=province, level=Level.COMMUNE)
        .select_related("parent")
        .order_by("code")
    )
    for c in communes:
        group = "3" if c.pk == commune.pk else rng.choice("1223")
        UnitClassification.objects.get_or_create(
            unit=c, scheme=Scheme.GROUP, year_from=2026, defaults={"value": group, "year_to": 2030}
        )
    indicators = list(Indicator.objects.select_related("criterion__criteria_set"))
    strength = {c.pk: rng.random() for c in communes + olds}

    def progress(unit, year):
        return min(1.0, strength[unit.pk] * 0.6 + (year - 2021) * 0.1)

    # history 2021-2024 stays on the pre-merger communes
    n = _fill(olds, indicators, range(2021, 2025), rng, progress)
    # every 2025 commune of the province: 2025 values (others also 2023-2024, back-cast)
    # Vô Tranh (the pilot smart New Rural commune) and a few others meet every criterion
    best = sorted(communes, key=lambda c: -strength[c.pk])[:5]
    exemplary = frozenset((c.pk, 2025) for c in [commune, *best])
    n += _fill(communes, indicators, [2025], rng, progress, exemplary)
    others = [c for c in communes if c.pk != commune.pk]
    n += _fill(others, indicators, [2023, 2024], rng, progress)
    for year in range(2021, 2026):
        roll_up_indicators(units=olds + communes, year=year)
    stdout.write(
        f"  {n} giá trị chỉ tiêu mẫu; {len(olds)} xã cũ của {commune.name}: "
        + ", ".join(o.name for o in olds)
    )
    official = User.objects.filter(username="canbo.votranh").first()
    leader = User.objects.filter(username="chutich.votranh").first()
    officer = User.objects.filter(username="tinh.thainguyen").first()
    if official is None or leader is None or officer is None:
        return
    # 2025: recognised (frozen) assessment. Nine indicators of the 2021-2025 set have no
    # threshold in the data yet (to confirm), so their criteria cannot be "met": the province
    # recognised by an override that says so, as an official would have to today.
    a2025 = start_assessment(
        actor=leader,
        unit=commune,
        year=2025,
        criteria_set=CriteriaSet.objects.get(code="ntm-xa-2021-2025"),
    )
    v = IndicatorValue.objects.filter(unit=commune, year=2025, indicator__code="NTM21.8.3").first()
    if v is not None:
        Evidence.objects.create(
            value=v,
            file=ContentFile(DEMO_PDF, name="bien-ban-loa.pdf"),
            original_name="Biên bản kiểm tra hệ thống loa.pdf",
            content_type="application/pdf",
            uploaded_by=official,
        )
    for step, who, comment in (
        ("submit", leader, ""),
        ("appraise", officer, "Đã thẩm định hồ sơ"),
    ):
        move_assessment(actor=who, assessment=a2025, step=step, comment=comment)
    try:
        move_assessment(actor=officer, assessment=a2025, step="recognise")
    except CriteriaUnmet:
        recognise_with_override(
            actor=officer,
            assessment=a2025,
            reason="Các chỉ tiêu chưa có ngưỡng trong dữ liệu (cần xác nhận) đã được Đoàn "
            "thẩm định tỉnh kiểm tra trên hồ sơ giấy, biên bản thẩm định năm 2025 (số liệu mẫu).",
        )
    # 2026: computed from the platform's own data, a few entered values, draft in progress
    recompute_indicators(units=[commune], year=2026)
    _fill(
        [commune],
        [
            i
            for i in indicators
            if i.source == Source.ENTERED
            and i.criterion.criteria_set.code == "ntm-xa-2026-2030"
            and i.criterion.number in {"1", "8", "10"}
        ],
        [2026],
        rng,
        lambda u, y: 1,
    )
    a2026 = start_assessment(
        actor=leader,
        unit=commune,
        year=2026,
        criteria_set=CriteriaSet.objects.get(code="ntm-xa-2026-2030"),
    )
    stdout.write(f"  Hồ sơ tự đánh giá 2026 của {commune.name}: {a2026.get_status_display()}")
    # Vô Tranh (Tức Tranh before the merger) is a pilot smart New Rural commune: its 2026
    # self-assessment against the pilot criteria waits for the province's appraisal.
    smart = CriteriaSet.objects.filter(kind=SetKind.SMART_PILOT).first()
    if smart is not None and smart.applies_to(2026):
        _fill(
            [commune],
            [
                i
                for i in indicators
                if i.source == Source.ENTERED and i.criterion.criteria_set_id == smart.pk
            ],
            [2026],
            rng,
            lambda u, y: 1,
        )
        pilot = start_assessment(actor=leader, unit=commune, year=2026, criteria_set=smart)
        pilot = move_assessment(actor=leader, assessment=pilot, step="submit")
        stdout.write(
            f"  Hồ sơ xã NTM thông minh 2026 của {commune.name}: {pilot.get_status_display()}"
        )
