"""Demo population: Xã Vô Tranh (Thái Nguyên) with hamlets, households and residents, plus the
scale knob used by benchmarks. Deterministic for a given seed."""

import random
import zlib
from collections.abc import Callable
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from langso.places.actions import hamlet_search_key
from langso.places.models import AdminUnit, Hamlet, HamletKind, Level, Structure

from .citizen_id import century_digit
from .models import Household, Relation, Resident, Role, RoleAssignment, User
from .search_keys import household_search_key, resident_search_key

DEMO_PASSWORD = "langso-demo"  # noqa: S105  printed by `langso demo`; demo data only
VO_TRANH_CODE = "05641"
THAI_NGUYEN_CODE = "19"

# Hamlets of the demo commune: illustrative names, to be replaced by the commune's own list.
DEMO_HAMLETS = [
    "Khe Cốc",
    "Gốc Lim",
    "Đồng Tâm",
    "Thác Dài",
    "Đồng Lâm",
    "Đồng Hút",
    "Tân Thái",
    "Làng Chẽ",
    "Na Mọn",
    "Đồng Danh",
    "Bãi Bằng",
    "Đồng Tiến",
    "Đồng Kem",
    "Khe Vàng",
]

DEMO_ACCOUNTS = [
    # username, full name, role, title, scope
    ("chutich.votranh", "Nguyễn Văn Hùng", Role.COMMUNE_LEADER, "Chủ tịch UBND xã", "commune"),
    (
        "canbo.votranh",
        "Trần Thị Lan",
        Role.COMMUNE_OFFICIAL,
        "Công chức Văn phòng - Thống kê",
        "commune",
    ),
    ("yte.votranh", "Lê Thị Hoa", Role.HEALTH_WORKER, "Trạm trưởng Trạm Y tế xã", "commune"),
    (
        "congnghe.votranh",
        "Hoàng Văn Nam",
        Role.DIGITAL_TEAM_MEMBER,
        "Tổ trưởng tổ công nghệ số",
        "commune",
    ),
    (
        "tinh.thainguyen",
        "Phạm Quốc Bảo",
        Role.PROVINCE_OFFICER,
        "Chuyên viên Văn phòng Điều phối NTM tỉnh",
        "province",
    ),
    ("ocop.thainguyen", "Đỗ Thị Mai", Role.OCOP_EVALUATOR, "Hội đồng OCOP tỉnh", "province"),
]


def _citizen_id(rng: random.Random, sex: str, dob: date, used: set[str]) -> str:
    while True:
        value = f"019{century_digit(sex=sex, birth_year=dob.year)}{dob.year % 100:02d}" + (
            f"{rng.randrange(1_000_000):06d}"
        )
        if value not in used:
            used.add(value)
            return value


def _person(
    fake: Faker,
    rng: random.Random,
    sex: str,
    age_min: int,
    age_max: int,
    today: date,
    surname: str | None = None,
) -> tuple[str, date]:
    first = fake.first_name_male() if sex == "M" else fake.first_name_female()
    middle = rng.choice(
        ["Văn", "Văn", "Đức", "Minh", "Quang", fake.middle_name()]
        if sex == "M"
        else ["Thị", "Thị", "Thị", "Ngọc", "Thu", fake.middle_name()]
    )
    last = surname or fake.last_name()
    dob = today - timedelta(days=rng.randint(age_min * 365, age_max * 365))
    return f"{last} {middle} {first}", dob


def populate_commune(
    commune: AdminUnit,
    *,
    households: int,
    seed: int,
    progress: Callable[[int], None] = lambda _n: None,
    hamlet_names: list[str] | None = None,
) -> int:
    """Create hamlets, households and residents in `commune` (bulk, for speed)."""
    rng = random.Random(f"{seed}-{commune.code}")
    fake = Faker("vi_VN")
    fake.seed_instance(f"{seed}-{commune.code}")
    today = date(2026, 1, 1)
    names = hamlet_names or [f"Xóm {i + 1}" for i in range(8)]
    hamlets = []
    for i, name in enumerate(names):
        hamlet, _ = Hamlet.objects.get_or_create(
            commune=commune,
            code=f"{commune.code}-{i + 1:02d}",
            defaults={
                "name": name,
                "kind": HamletKind.XOM,
                "search_key": hamlet_search_key(name),
                "latitude": (commune.latitude or 21.7) + rng.uniform(-0.02, 0.02),
                "longitude": (commune.longitude or 105.77) + rng.uniform(-0.02, 0.02),
            },
        )
        hamlets.append(hamlet)
    used_ids: set[str] = {
        cid
        for cid in Resident.objects.filter(citizen_id__startswith="019").values_list(
            "citizen_id", flat=True
        )
        if cid
    }
    created = 0
    batch = 500
    for start in range(0, households, batch):
        hh_rows, members_per_hh = [], []
        for n in range(start, min(start + batch, households)):
            hamlet = hamlets[n % len(hamlets)]
            surname = fake.last_name()
            head_sex = "M" if rng.random() < 0.8 else "F"
            head_name, head_dob = _person(fake, rng, head_sex, 28, 75, today, surname)
            members = [(head_name, head_sex, head_dob, Relation.HEAD)]
            if rng.random() < 0.85:
                sex = "F" if head_sex == "M" else "M"
                name, dob = _person(fake, rng, sex, 25, 72, today)
                members.append((name, sex, dob, Relation.SPOUSE))
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
                sex = rng.choice("MF")
                name, dob = _person(fake, rng, sex, 0, 24, today, surname)
                members.append((name, sex, dob, Relation.CHILD))
            if rng.random() < 0.2:
                sex = rng.choice("MF")
                name, dob = _person(fake, rng, sex, 70, 95, today, surname)
                members.append((name, sex, dob, Relation.PARENT))
            address = f"{hamlet.name}, {commune.name}"
            hh_rows.append(
                Household(
                    commune=commune,
                    province_code=commune.province_code,
                    hamlet=hamlet,
                    code=f"{commune.code}-{n + 1:05d}",
                    address_line=address,
                    latitude=round((hamlet.latitude or 0) + rng.uniform(-0.006, 0.006), 6),
                    longitude=round((hamlet.longitude or 0) + rng.uniform(-0.006, 0.006), 6),
                    search_key=household_search_key(
                        f"{commune.code}-{n + 1:05d}", address, head_name
                    ),
                )
            )
            members_per_hh.append(members)
        with transaction.atomic():
            Household.objects.bulk_create(hh_rows)
            if not all(h.pk for h in hh_rows):  # backends without RETURNING ids
                codes = [h.code for h in hh_rows]
                ids = dict(
                    Household.objects.filter(commune=commune, code__in=codes).values_list(
                        "code", "id"
                    )
                )
                for h in hh_rows:
                    h.pk = h.id = ids[h.code]
            res_rows = []
            for hh, members in zip(hh_rows, members_per_hh, strict=True):
                for name, sex, dob, relation in members:
                    adult = (today - dob).days >= 14 * 365
                    res_rows.append(
                        Resident(
                            household=hh,
                            commune=commune,
                            province_code=commune.province_code,
                            full_name=name,
                            sex=sex,
                            date_of_birth=dob,
                            citizen_id=_citizen_id(rng, sex, dob, used_ids) if adult else None,
                            phone=f"09{rng.randrange(10**8):08d}"
                            if adult and rng.random() < 0.8
                            else "",
                            relation_to_head=relation,
                            search_key=resident_search_key(name),
                        )
                    )
            Resident.objects.bulk_create(res_rows, batch_size=1000)
            heads = {r.household.code: r for r in res_rows if r.relation_to_head == Relation.HEAD}
            if not all(r.pk for r in heads.values()):
                ids = dict(
                    Resident.objects.filter(
                        household__in=hh_rows, relation_to_head=Relation.HEAD
                    ).values_list("household__code", "id")
                )
                for code, r in heads.items():
                    r.pk = r.id = ids[code]
            for hh in hh_rows:
                hh.head = heads[hh.code]
            Household.objects.bulk_update(hh_rows, ["head"], batch_size=1000)
        created += len(hh_rows)
        progress(created)
    return created


def demo_units() -> tuple[AdminUnit, AdminUnit]:
    province = AdminUnit.objects.get(
        structure=Structure.Y2025, level=Level.PROVINCE, code=THAI_NGUYEN_CODE
    )
    commune = AdminUnit.objects.get(
        structure=Structure.Y2025, level=Level.COMMUNE, code=VO_TRANH_CODE
    )
    return province, commune


def _office_phone(username: str) -> str:
    return f"0208 3{zlib.crc32(username.encode()) % 10**6:06d}"


def create_demo_accounts(province: AdminUnit, commune: AdminUnit) -> list[tuple[str, str, str]]:
    """Officials of each role, and one resident account on the first household."""
    password = make_password(DEMO_PASSWORD)
    printed = []
    for username, full_name, role, title, scope in DEMO_ACCOUNTS:
        last, _, first = full_name.rpartition(" ")
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "password": password,
                "is_staff": True,
                "phone": _office_phone(username),
            },
        )
        unit = province if scope == "province" else commune
        RoleAssignment.objects.get_or_create(
            user=user, role=role, unit=unit, defaults={"title": title}
        )
        printed.append((username, title, unit.name))
    household = Household.objects.filter(commune=commune).order_by("code").first()
    if household is not None and household.head is not None:
        head = household.head
        last, _, first = head.full_name.rpartition(" ")
        user, _ = User.objects.get_or_create(
            username="nguoidan.votranh",
            defaults={
                "first_name": first,
                "last_name": last,
                "password": password,
                "phone": head.phone,
            },
        )
        if head.user_id is None:
            head.user = user
            head.save(update_fields=["user"])
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.RESIDENT, unit=commune, defaults={"household": household}
        )
        printed.append(
            ("nguoidan.votranh", f"Người dân ({head.full_name}, hộ {household.code})", commune.name)
        )
    if not User.objects.filter(username="admin").exists():
        User.objects.create(
            username="admin",
            password=password,
            is_staff=True,
            is_superuser=True,
            first_name="Quản trị",
        )
    printed.append(("admin", "Quản trị hệ thống (superuser)", "—"))
    return printed
