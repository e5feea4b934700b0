"""Demo data of the digital society for Xã Vô Tranh: a digital address for every household,
map layers (services, schools, tea-hill tourism, safe zones, cameras), water stations with a
year of readings and a few alerts, epidemic cases, digital teams with help sessions,
training, and health records for a share of residents with consents. Deterministic."""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from langso.people.models import Household, Relation, Resident, User

from .actions.addresses import issue_addresses
from .actions.environment import create_station, limit_for
from .actions.maps import add_feature, ensure_default_layers
from .models import (
    Alert,
    Allergy,
    Attendance,
    Condition,
    Course,
    DigitalTeam,
    DiseaseCase,
    HealthConsent,
    HealthRecord,
    HealthVisit,
    HelpSession,
    HelpTopic,
    MapLayer,
    Parameter,
    Reading,
    ReadingSource,
    StationKind,
    TeamHousehold,
    TeamMember,
    TrainingAudience,
    TrainingSession,
    Vaccination,
)
from .standards import load_standards

HEALTH_RECORD_SHARE = 0.35


def _pt(lat, lon):
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


def _square(lat, lon, d):
    ring = [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def load_demo(*, commune, province, seed: int, stdout) -> None:
    rng = random.Random(f"society-{seed}")
    lat0, lon0 = commune.latitude or 21.7044, commune.longitude or 105.772
    load_standards()
    _map(commune, lat0, lon0)
    n = issue_addresses(actor=None, commune=commune, valid_from=date(2025, 7, 1))
    stdout.write(f"  {n} địa chỉ số")
    token = _water(commune, lat0, lon0, rng)
    stdout.write(f"  khoá gửi số liệu của trạm 'votranh-nuoc-khe-coc': {token}")
    _epidemic(commune, rng)
    _teams(commune, rng)
    _training(commune, rng)
    n = _health(commune, rng)
    stdout.write(f"  {n} hồ sơ sức khoẻ")


def _map(commune, lat0, lon0) -> None:
    layers = {layer.slug: layer for layer in ensure_default_layers(actor=None, commune=commune)}
    features = {
        "dich-vu-cong": [
            ("UBND xã Vô Tranh", 0.0, 0.0, "Trụ sở UBND xã, bộ phận một cửa."),
            ("Trạm Y tế xã Vô Tranh", 0.002, 0.003, "Khám chữa bệnh ban đầu, tiêm chủng."),
            ("Chợ Vô Tranh", -0.003, 0.002, "Chợ phiên, nông sản và chè."),
            ("Bưu điện văn hoá xã", 0.001, -0.003, "Bưu chính, điểm truy cập internet."),
        ],
        "giao-duc": [
            ("Trường Mầm non Vô Tranh", 0.004, -0.002, "Mầm non, 12 nhóm lớp."),
            ("Trường Tiểu học Vô Tranh", -0.002, -0.004, "Tiểu học."),
            ("Trường THCS Vô Tranh", 0.006, 0.004, "Trung học cơ sở."),
        ],
        "du-lich": [
            (
                "Đồi chè Khe Cốc",
                0.012,
                -0.010,
                "Đồi chè trung du, điểm ngắm cảnh và chụp ảnh, trải nghiệm hái chè.",
            ),
            (
                "Khu du lịch sinh thái chè hữu cơ",
                -0.010,
                0.012,
                "Tham quan vùng chè hữu cơ, sao chè thủ công, thưởng trà cùng nghệ nhân.",
            ),
            ("Hợp tác xã chè Vô Tranh", 0.008, 0.010, "Sản phẩm chè OCOP, mua tại chỗ."),
        ],
        "camera": [
            ("Camera ngã ba trung tâm", 0.0005, 0.0008, "Camera an ninh trật tự."),
            ("Camera cầu Khe Cốc", 0.009, -0.006, "Camera giám sát giao thông."),
        ],
    }
    for slug, rows in features.items():
        for i, (name, dlat, dlon, description) in enumerate(rows):
            props: dict[str, object] = {"kind": slug}
            if slug == "du-lich":
                props["tags"] = ["chè", "sinh thái"]
            feature = add_feature(
                actor=None,
                layer=layers[slug],
                name=name,
                geometry=_pt(lat0 + dlat, lon0 + dlon),
                description=description,
                properties=props,
            )
            if slug == "du-lich":
                feature.photo.save(f"du-lich-{i + 1}.jpg", _tea_hill_picture(i), save=True)
    add_feature(
        actor=None,
        layer=layers["vung-an-toan"],
        name="Điểm sơ tán Nhà văn hoá xã",
        geometry=_square(lat0 + 0.001, lon0 + 0.001, 0.0008),
        description="Nơi tập trung an toàn khi có lũ, sạt lở.",
    )
    add_feature(
        actor=None,
        layer=layers["vung-an-toan"],
        name="Khu dân cư an toàn Gốc Lim",
        geometry=_square(lat0 - 0.006, lon0 - 0.007, 0.002),
        description="Khu dân cư đạt chuẩn an toàn về an ninh trật tự.",
    )
    MapLayer.objects.filter(commune=commune, slug="nuoc-moi-truong").update(shown_by_default=True)


def _tea_hill_picture(variant: int):
    """A small drawn picture of tea hills, so tourism points have a photo in the demo."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 200), (190, 225, 245))
    draw = ImageDraw.Draw(img)
    greens = [(60, 130, 60), (80, 160, 70), (110, 180, 90)]
    for k, green in enumerate(greens):
        top = 70 + 35 * k + 8 * variant
        draw.ellipse((-80 + 90 * k, top, 260 + 90 * k, top + 220), fill=green)
        for row in range(top + 15, 200, 12):
            draw.arc(
                (-60 + 90 * k, row - 40, 240 + 90 * k, row + 40),
                200,
                340,
                fill=(40, 100, 40),
                width=2,
            )
    draw.ellipse((250, 20, 290, 60), fill=(255, 214, 90))
    buf = BytesIO()
    img.save(buf, "JPEG", quality=80)
    return ContentFile(buf.getvalue())


def _water(commune, lat0, lon0, rng) -> str:
    specs = [
        ("votranh-nuoc-khe-coc", "Trạm cấp nước Khe Cốc", StationKind.WATER_SUPPLY, 0.008, -0.004),
        (
            "votranh-nuoc-trung-tam",
            "Trạm cấp nước trung tâm xã",
            StationKind.WATER_SUPPLY,
            0.001,
            0.002,
        ),
        (
            "votranh-nuoc-gieng-lang-che",
            "Giếng khoan tập trung Làng Chẽ",
            StationKind.WATER_SUPPLY,
            -0.007,
            0.006,
        ),
        ("votranh-suoi-khe-coc", "Suối Khe Cốc", StationKind.RIVER, 0.010, -0.008),
        ("votranh-bai-rac", "Điểm tập kết rác thải xã", StationKind.WASTE_SITE, -0.012, -0.010),
    ]
    tokens = {}
    stations = []
    for code, name, kind, dlat, dlon in specs:
        station, token = create_station(
            actor=None,
            commune=commune,
            code=code,
            name=name,
            kind=kind,
            latitude=lat0 + dlat,
            longitude=lon0 + dlon,
        )
        tokens[code] = token
        stations.append(station)
    params = {p.code: p for p in Parameter.objects.all()}
    normal = {
        "ph": (7.1, 0.3),
        "turbidity": (0.8, 0.3),
        "free_chlorine": (0.5, 0.12),
        "coliforms": (0.4, 0.6),
        "arsenic": (0.003, 0.0015),
    }
    end = timezone.localdate()
    start = end - timedelta(days=364)
    rows = []
    limits_cache: dict = {}
    spikes = {
        ("votranh-nuoc-gieng-lang-che", "arsenic", 20),
        ("votranh-nuoc-khe-coc", "turbidity", 31),
        ("votranh-nuoc-khe-coc", "coliforms", 44),
        ("votranh-nuoc-trung-tam", "ph", 12),
    }
    for station in stations:
        if station.kind != StationKind.WATER_SUPPLY:
            continue
        for week in range(52):
            day = start + timedelta(days=7 * week)
            at = timezone.make_aware(datetime.combine(day, time(8, 30)))
            for code, (mean, sd) in normal.items():
                value = max(0.0, rng.gauss(mean, sd))
                if code == "coliforms":
                    value = float(round(value))
                if (station.code, code, week) in spikes:
                    value = {"arsenic": 0.024, "turbidity": 4.6, "coliforms": 9.0, "ph": 5.6}[code]
                key = (code, day >= date(2025, 7, 1))
                if key not in limits_cache:
                    limits_cache[key] = limit_for(params[code], station.kind, at)
                limit = limits_cache[key]
                rows.append(
                    Reading(
                        station=station,
                        parameter=params[code],
                        observed_at=at,
                        value=round(value, 4),
                        source=ReadingSource.MANUAL,
                        limit=limit,
                        within_limits=limit.allows(value) if limit else None,
                    )
                )
    Reading.objects.bulk_create(rows, batch_size=1000)
    bad = Reading.objects.filter(station__commune=commune, within_limits=False).select_related(
        "station", "parameter", "limit"
    )
    Alert.objects.bulk_create(
        [
            Alert(
                reading=r,
                station=r.station,
                message=(
                    f"{r.station.name}: {r.parameter.name} = {r.value:g} {r.parameter.unit} ngoài "
                    f"giới hạn {r.limit.describe()} ({r.limit.standard}), đo ngày "
                    f"{timezone.localtime(r.observed_at):%d/%m/%Y}."
                ),
                acknowledged_at=None
                if r.observed_at > timezone.now() - timedelta(days=120)
                else r.observed_at + timedelta(days=2),
            )
            for r in bad
            if r.limit is not None  # always set on a reading outside its limits
        ]
    )
    return tokens["votranh-nuoc-khe-coc"]


def _epidemic(commune, rng) -> None:
    hamlets = list(commune.hamlets.order_by("code")[:3])
    today = timezone.localdate()
    rows = []
    for hamlet, count, disease in zip(
        hamlets, [6, 2, 3], ["Sốt xuất huyết", "Sốt xuất huyết", "Tay chân miệng"], strict=False
    ):
        for i in range(count):
            rows.append(
                DiseaseCase(
                    commune=commune,
                    hamlet=hamlet,
                    disease=disease,
                    reported_on=today - timedelta(days=5 + 7 * i),
                )
            )
    DiseaseCase.objects.bulk_create(rows)


def _teams(commune, rng) -> None:
    leader = User.objects.filter(username="congnghe.votranh").first()
    hamlets = list(commune.hamlets.order_by("code"))
    households = list(
        Household.objects.filter(commune=commune).order_by("code").values_list("id", "hamlet_id")
    )
    by_hamlet: dict = {}
    for hid, hamlet_id in households:
        by_hamlet.setdefault(hamlet_id, []).append(hid)
    heads = dict(
        Resident.objects.filter(commune=commune, relation_to_head=Relation.HEAD).values_list(
            "household_id", "id"
        )
    )
    teams = DigitalTeam.objects.bulk_create(
        [
            DigitalTeam(commune=commune, hamlet=h, name=f"Tổ công nghệ số cộng đồng {h.name}")
            for h in hamlets
        ]
    )
    teams = list(DigitalTeam.objects.filter(commune=commune).order_by("hamlet__code"))
    members, links, sessions = [], [], []
    topics = HelpTopic.values
    end = timezone.now()
    for i, team in enumerate(teams):
        if i == 0 and leader is not None:
            members.append(TeamMember(team=team, user=leader, is_leader=True))
        hh_ids = by_hamlet.get(team.hamlet_id, [])
        for hid in hh_ids[:3]:
            if hid in heads:
                members.append(
                    TeamMember(
                        team=team, resident_id=heads[hid], is_leader=(i != 0 and hid == hh_ids[0])
                    )
                )
        helped = hh_ids[3 : 3 + 40]
        links += [TeamHousehold(team=team, household_id=hid) for hid in helped]
        if leader is not None:
            for hid in helped:
                sessions.append(
                    HelpSession(
                        id=uuid.UUID(int=rng.getrandbits(128), version=4),
                        team=team,
                        helper=leader,
                        household_id=hid,
                        people_helped=rng.randint(1, 3),
                        topic=rng.choice(topics),
                        occurred_at=end
                        - timedelta(days=rng.randint(1, 300), hours=rng.randint(0, 8)),
                    )
                )
    TeamMember.objects.bulk_create(members)
    TeamHousehold.objects.bulk_create(links)
    HelpSession.objects.bulk_create(sessions, batch_size=1000)


def _training(commune, rng) -> None:
    course = Course.objects.create(
        unit=commune,
        title="Kỹ năng số cho cán bộ xã",
        topic="Dịch vụ công trực tuyến, chữ ký số, an toàn thông tin",
        hours=8,
    )
    resident_course = Course.objects.create(
        unit=commune,
        title="Kỹ năng số cho người dân",
        topic="VNeID, thanh toán không dùng tiền mặt",
        hours=4,
    )
    today = timezone.localdate()
    s1 = TrainingSession.objects.create(
        course=course,
        held_on=today - timedelta(days=120),
        place="Hội trường UBND xã",
        trainer="Sở KH&CN",
    )
    s2 = TrainingSession.objects.create(
        course=resident_course,
        held_on=today - timedelta(days=60),
        place="Nhà văn hoá xóm Khe Cốc",
        trainer="Tổ CNS",
        audience=TrainingAudience.RESIDENTS,
        headcount=18,  # came without signing the list
    )
    # A second officials' session, still to be marked: the page shows the work left.
    TrainingSession.objects.create(
        course=course,
        held_on=today - timedelta(days=20),
        place="Phòng họp trực tuyến UBND xã",
        trainer="Trung tâm Chuyển đổi số tỉnh",
    )
    rows = [
        Attendance(session=s1, user=u)
        for u in User.objects.filter(username__in=["chutich.votranh", "canbo.votranh"])
    ]
    residents = Resident.objects.filter(commune=commune, relation_to_head=Relation.HEAD).order_by(
        "id"
    )[:25]
    rows += [Attendance(session=s2, resident=r) for r in residents]
    Attendance.objects.bulk_create(rows)


def _health(commune, rng) -> int:
    residents = list(
        Resident.objects.filter(commune=commune)
        .order_by("id")
        .values_list("id", "date_of_birth", "user_id")
    )
    chosen = [r for r in residents if r[2] is not None or rng.random() < HEALTH_RECORD_SHARE]
    HealthRecord.objects.bulk_create(
        [
            HealthRecord(
                resident_id=rid,
                commune=commune,
                blood_group=rng.choice(["O+", "A+", "B+", "AB+", "O+", ""]),
            )
            for rid, _dob, _uid in chosen
        ],
        batch_size=1000,
    )
    records = dict(HealthRecord.objects.filter(commune=commune).values_list("resident_id", "id"))
    staff = User.objects.filter(username="yte.votranh").first()
    today = timezone.localdate()
    vacc, cond, allergies, visits = [], [], [], []
    for rid, dob, _uid in chosen:
        rec = records[rid]
        age = (today - dob).days // 365
        if age < 6:
            for dose in (1, 2, 3):
                vacc.append(
                    Vaccination(
                        record_id=rec,
                        vaccine="Vắc xin 5 trong 1 (DPT-VGB-Hib)",
                        dose_number=dose,
                        given_on=min(today, dob + timedelta(days=60 * dose)),
                    )
                )
        if rng.random() < 0.3:
            vacc.append(
                Vaccination(
                    record_id=rec,
                    vaccine="Cúm mùa",
                    dose_number=1,
                    given_on=today - timedelta(days=rng.randint(10, 300)),
                )
            )
        if age >= 50 and rng.random() < 0.3:
            name, icd = rng.choice(
                [
                    ("Tăng huyết áp", "I10"),
                    ("Đái tháo đường type 2", "E11"),
                    ("Bệnh phổi tắc nghẽn mạn tính", "J44"),
                ]
            )
            cond.append(
                Condition(
                    record_id=rec,
                    name=name,
                    icd10=icd,
                    onset=today - timedelta(days=rng.randint(365, 3650)),
                )
            )
        if rng.random() < 0.05:
            allergies.append(Allergy(record_id=rec, substance="Penicillin", reaction="Phát ban"))
        if rng.random() < 0.4:
            visits.append(
                HealthVisit(
                    record_id=rec,
                    visited_on=today - timedelta(days=rng.randint(1, 360)),
                    reason=rng.choice(
                        ["Khám sức khoẻ định kỳ", "Sốt, ho", "Đo huyết áp", "Đau bụng"]
                    ),
                    staff=staff,
                )
            )
    Vaccination.objects.bulk_create(vacc, batch_size=1000)
    Condition.objects.bulk_create(cond, batch_size=1000)
    Allergy.objects.bulk_create(allergies, batch_size=1000)
    HealthVisit.objects.bulk_create(visits, batch_size=1000)
    resident_user = User.objects.filter(username="nguoidan.votranh").first()
    official = User.objects.filter(username="canbo.votranh").first()
    if resident_user is not None and official is not None:
        record = HealthRecord.objects.filter(resident__user=resident_user).first()
        if record is not None:
            HealthConsent.objects.create(
                record=record,
                grantee_user=official,
                purpose="Xét hỗ trợ hộ khó khăn",
                valid_from=today - timedelta(days=30),
                valid_to=today + timedelta(days=335),
                granted_by=resident_user,
            )
    return len(chosen)
