"""Demo data: Vô Tranh's tea economy (the articles' tea commune, formerly Tức Tranh).

8 cooperatives, 16 VietGAP and 2 organic cooperative groups, 7 OCOP tea products scored by
the province council, growing areas around 21.70 N 105.77 E, household businesses with
VietQR accounts, linkage models, and a few buyers' demands with producers' offers.
Deterministic for a seed (dates of the OCOP certificates are fixed; one historical
certificate is dated from today so that the expiry warning shows)."""

import io
import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from faker import Faker
from PIL import Image, ImageDraw

from langso.core import gs1
from langso.people.demo import DEMO_PASSWORD
from langso.people.models import Household, Role, RoleAssignment, User

from . import actions
from .models import (
    Certificate,
    CertificateKind,
    IssuingLevel,
    OcopDossier,
    OcopEvaluation,
    ProducerKind,
    ProducerMember,
)
from .ocop_rules import certificate_valid_to, criteria_set_for, load_criteria, star_for

CENTER = (21.7044, 105.772)
COOPERATIVES = [
    "HTX Chè Tức Tranh",
    "HTX Chè an toàn Khe Cốc",
    "HTX Chè Đồng Tâm",
    "HTX Chè Thác Dài",
    "HTX Nông nghiệp Phú Đô",
    "HTX Chè Gốc Lim",
    "HTX Chè hữu cơ Na Mọn",
    "HTX Dịch vụ Tân Thái",
]
OCOP_PRODUCTS = [
    # name, cooperative index, target total, unit, price
    ("Chè búp Tức Tranh", 0, Decimal("78.5"), "hộp 200 g", 180000),
    ("Chè Móc câu Khe Cốc", 1, Decimal("74"), "gói 500 g", 250000),
    ("Chè Đinh Đồng Tâm", 2, Decimal("81.5"), "hộp 100 g", 450000),
    ("Chè xanh Thác Dài", 3, Decimal("68"), "gói 500 g", 160000),
    ("Trà túi lọc Phú Đô", 4, Decimal("64.5"), "hộp 25 túi", 60000),
    ("Chè Nõn tôm Gốc Lim", 5, Decimal("72"), "hộp 200 g", 220000),
    ("Chè hữu cơ Na Mọn", 6, Decimal("86"), "hộp 200 g", 320000),
]
OTHER_PRODUCTS = [
    ("Mật ong rừng", "food", "chai 500 ml", 250000),
    ("Gạo Bao thai", "food", "túi 5 kg", 120000),
    ("Miến dong", "food", "gói 500 g", 45000),
]
BANKS = ["970405", "970436", "970418", "970415", "970422"]


#: the demo's GS1 company prefix (893 = GS1 Vietnam); item references follow it
DEMO_GS1_PREFIX = "893850320"


def demo_gtin(item: int) -> str:
    """A valid GTIN-13 of the demo (893 prefix, correct check digit) for item number `item`,
    so that the demo's QR labels are real GS1 Digital Links (/01/<GTIN-14>/10/<lot>)."""
    return gs1.with_check_digit(f"{DEMO_GS1_PREFIX}{item:03d}")


def _photo(name: str, rng: random.Random) -> SimpleUploadedFile:
    from pathlib import Path

    from PIL import ImageFont

    green = (rng.randint(20, 60), rng.randint(100, 150), rng.randint(40, 80))
    img = Image.new("RGB", (480, 320), green)
    draw = ImageDraw.Draw(img)
    font_path = Path(__file__).resolve().parents[1] / "core" / "fonts" / "DejaVuSans-Bold.ttf"
    font = ImageFont.truetype(str(font_path), 28)
    draw.rectangle((20, 230, 460, 300), fill=(255, 255, 255))
    draw.text((32, 248), name, fill=(8, 79, 43), font=font)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return SimpleUploadedFile("demo.png", out.getvalue(), content_type="image/png")


def _scores(sheet, total: Decimal) -> dict[str, Decimal]:
    """Spread `total` over the sheet's criteria in proportion to their maxima (half points)."""
    criteria = list(sheet.criteria.order_by("position"))
    share = total / 100
    scores = {
        c.code: (c.max_points * share * 2).quantize(Decimal(1), ROUND_DOWN) / 2 for c in criteria
    }
    rest = total - sum(scores.values())
    for c in criteria:
        if rest <= 0:
            break
        give = min(c.max_points - scores[c.code], rest)
        scores[c.code] += give
        rest -= give
    return scores


def _square(lat: float, lon: float, half: float) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _member_pool(commune, seed: int) -> Iterator[tuple[str, Household | None]]:
    """Cooperative members: heads of the commune's households (each in one cooperative),
    past those that run the household businesses below; then made-up Vietnamese names."""
    heads = (
        Household.objects.filter(commune=commune, head__isnull=False)
        .select_related("head")
        .order_by("code")[60:]
    )
    for household in heads:
        assert household.head is not None  # the query asks for households with a head
        yield household.head.full_name, household
    fake = Faker("vi_VN")
    fake.seed_instance(f"{seed}-members")
    rng = random.Random(f"{seed}-members")
    while True:
        if rng.random() < 0.5:
            name = (
                f"{fake.last_name()} {rng.choice(['Văn', 'Đức', 'Minh'])} {fake.first_name_male()}"
            )
        else:
            name = (
                f"{fake.last_name()} {rng.choice(['Thị', 'Thị', 'Thu'])} {fake.first_name_female()}"
            )
        yield name, None


def load_demo(*, commune, province, seed: int, stdout) -> None:
    rng = random.Random(f"{seed}-economy")
    load_criteria()
    official = User.objects.get(username="canbo.votranh")
    evaluator = User.objects.get(username="ocop.thainguyen")
    password = make_password(DEMO_PASSWORD)
    manager, _ = User.objects.get_or_create(
        username="sanxuat.votranh",
        defaults={"first_name": "Thị Hằng", "last_name": "Nguyễn", "password": password},
    )
    RoleAssignment.objects.get_or_create(
        user=manager,
        role=Role.PRODUCER,
        unit=commune,
        defaults={"title": "Giám đốc HTX Chè Tức Tranh"},
    )
    buyer, _ = User.objects.get_or_create(
        username="muahang.demo",
        defaults={"first_name": "Minh", "last_name": "Trần", "password": password},
    )

    def point(spread=0.03):
        return (
            round(CENTER[0] + rng.uniform(-spread, spread), 6),
            round(CENTER[1] + rng.uniform(-spread, spread), 6),
        )

    members = _member_pool(commune, seed)
    coops = []
    for i, name in enumerate(COOPERATIVES):
        lat, lon = point()
        coop = actions.create_producer(
            actor=official,
            commune=commune,
            kind=ProducerKind.COOPERATIVE,
            name=name,
            manager=manager if i == 0 else None,
            address="Xã Vô Tranh, tỉnh Thái Nguyên",
            phone=f"0208 38{rng.randint(10000, 99999)}",
            registration_number=f"4600{rng.randint(100000, 999999)}",
            description="Hợp tác xã trồng, chế biến và tiêu thụ chè.",
            latitude=lat,
            longitude=lon,
        )
        ProducerMember.objects.bulk_create(
            ProducerMember(producer=coop, name=member_name, household=member_household)
            for member_name, member_household in (next(members) for _m in range(rng.randint(7, 25)))
        )
        actions.add_bank_account(
            actor=official,
            producer=coop,
            bank_bin=rng.choice(BANKS),
            account_number=str(rng.randint(10**12, 10**13 - 1)),
            account_name=name,
        )
        area = actions.create_growing_area(
            actor=official,
            producer=coop,
            name=f"Vùng chè {name.split('Chè ')[-1]}",
            crop="Chè (Camellia sinensis)",
            code=f"VN-19-168-05641-{i + 1:02d}-22",
            area_ha=Decimal(rng.randint(8, 40)),
            boundary=_square(lat, lon, 0.0025),
        )
        coops.append((coop, area))

    groups = []
    for i in range(18):
        organic = i >= 16
        lat, lon = point()
        kind_label = "hữu cơ" if organic else "VietGAP"
        group = actions.create_producer(
            actor=official,
            commune=commune,
            kind=ProducerKind.COOPERATIVE_GROUP,
            name=f"Tổ hợp tác chè {kind_label} số {i + 1 if not organic else i - 15}",
            address="Xã Vô Tranh",
            latitude=lat,
            longitude=lon,
        )
        area = actions.create_growing_area(
            actor=official,
            producer=group,
            name=f"Vùng chè {kind_label} {i + 1}",
            crop="Chè",
            area_ha=Decimal(rng.randint(3, 12)),
            code=f"VN-19-168-05641-{i + 9:02d}-23",
            **(
                {"boundary": _square(lat, lon, 0.0015)}
                if organic
                else {"latitude": lat, "longitude": lon}
            ),
        )
        issued = date(2023 + i % 3, 1 + i % 12, 10)
        actions.add_certificate(
            actor=official,
            producer=group,
            kind=CertificateKind.ORGANIC if organic else CertificateKind.VIETGAP,
            number=f"{'HC' if organic else 'VG'}-{2023 + i % 3}-{100 + i}",
            issuer="Trung tâm Chứng nhận phù hợp (QUACERT)"
            if organic
            else "Trung tâm Khảo nghiệm, kiểm nghiệm và kiểm định nông nghiệp",
            scope=f"Sản xuất chè búp tươi, {area.area_ha} ha",
            growing_area=area,
            valid_from=issued,
            valid_to=issued + timedelta(days=3 * 365 - 1),
        )
        groups.append(group)

    # OCOP: dossiers under the July 2025 rules, scored and concluded by the province.
    today = timezone.localdate()
    for n, (name, idx, total, unit, price) in enumerate(OCOP_PRODUCTS):
        coop, area = coops[idx]
        product = actions.create_product(
            actor=official,
            producer=coop,
            name=name,
            ocop_group="food",
            ocop_subgroup="food.tea",
            unit=unit,
            price=Decimal(price),
            stock=rng.randint(50, 500),
            description=f"{name}: chè trồng tại {area.name}, sao thủ công, đóng gói tại HTX.",
            gtin=demo_gtin(n + 1),
        )
        actions.add_product_photo(actor=official, product=product, upload=_photo(name, rng))
        filed = date(2025, 8, 4) + timedelta(days=7 * n)
        sheet = criteria_set_for("food", filed)
        self_scores = _scores(sheet, min(total + 4, Decimal(100)))
        dossier = actions.file_dossier(
            actor=official, product=product, filed_on=filed, self_scores=self_scores
        )
        dossier = actions.accept_dossier(actor=official, dossier=dossier)
        actions.score_dossier(
            actor=evaluator,
            dossier=dossier,
            scores=_scores(sheet, total),
            comment="Sản phẩm đặc trưng của vùng chè.",
        )
        actions.decide_dossier(
            actor=evaluator, dossier=dossier, decided_on=filed + timedelta(days=45)
        )
        actions.add_certificate(
            actor=official,
            producer=coop,
            kind=CertificateKind.FOOD_SAFETY,
            number=f"ATTP-{n + 1:03d}/2024",
            issuer="Chi cục An toàn vệ sinh thực phẩm",
            valid_from=date(2024, 3, 1),
            valid_to=date(2027, 2, 28),
            product=product,
        )
    # A historical 3-star certificate from the district (Decision 148 as issued), near expiry.
    coop, _area = coops[7]
    old = actions.create_product(
        actor=official,
        producer=coop,
        name="Chè Thái Nguyên Tân Thái",
        ocop_group="food",
        ocop_subgroup="food.tea",
        unit="gói 200 g",
        price=Decimal(90000),
        gtin=demo_gtin(len(OCOP_PRODUCTS) + 1),
    )
    issued = today - timedelta(days=3 * 365 - 60)
    sheet = criteria_set_for("food", issued)
    dossier = OcopDossier.objects.create(
        product=old,
        producer=coop,
        commune=commune,
        province_code=commune.province_code,
        criteria_set=sheet,
        filed_on=issued - timedelta(days=60),
        status=OcopDossier.Status.RATED,
        current_level="district",
        result_total=Decimal("62.5"),
        result_star=star_for(Decimal("62.5")),
        decided_on=issued,
    )
    district = official  # the district council's sheet, recorded by the commune
    parts = actions.score_parts(sheet, _scores(sheet, Decimal("62.5")))
    OcopEvaluation.objects.create(
        dossier=dossier,
        evaluator=district,
        level="district",
        scores={k: str(v) for k, v in _scores(sheet, Decimal("62.5")).items()},
        part_a=parts["A"],
        part_b=parts["B"],
        part_c=parts["C"],
        total=parts["total"],
        star=star_for(parts["total"]),
    )
    Certificate.objects.create(
        kind=CertificateKind.OCOP,
        number=f"OCOP-19-{issued.year}-H001",
        star=3,
        issuing_level=IssuingLevel.DISTRICT,
        issuer="UBND huyện Phú Lương",
        scope="Sản phẩm OCOP 3 sao: Chè Thái Nguyên Tân Thái",
        producer=coop,
        product=old,
        dossier=dossier,
        valid_from=issued,
        valid_to=certificate_valid_to(issued),
        total_score=Decimal("62.5"),
    )

    for n, (name, ocop_group, unit, price) in enumerate(OTHER_PRODUCTS):
        actions.create_product(
            actor=official,
            producer=coops[4][0],
            name=name,
            ocop_group=ocop_group,
            unit=unit,
            price=Decimal(price),
            gtin=demo_gtin(len(OCOP_PRODUCTS) + 2 + n),
        )

    # Linkage models: cooperatives buy fresh tea from the groups.
    for i, (coop, area) in enumerate(coops):
        suppliers = groups[2 * i : 2 * i + 2] + ([groups[16 + i % 2]] if i < 2 else [])
        actions.create_linkage(
            actor=official,
            buyer=coop,
            suppliers=suppliers,
            growing_area=area,
            name=f"Liên kết thu mua chè búp tươi – {coop.name}",
            started_on=date(2021 + i % 4, 3, 1),
            uses_digital_technology=i % 4 != 3,
            digital_technology="Nhật ký canh tác điện tử, mã QR truy xuất" if i % 4 != 3 else "",
            description="HTX bao tiêu chè búp tươi theo quy trình VietGAP.",
        )

    # Household businesses with VietQR accounts (about four in five).
    households = list(
        Household.objects.filter(commune=commune, head__isnull=False)
        .select_related("head")
        .order_by("code")[:60:2]
    )
    trades = ["Tạp hoá", "Chè khô", "Quán ăn", "Sửa chữa xe máy", "Vật tư nông nghiệp"]
    for i, hh in enumerate(households):
        trade = trades[i % len(trades)]
        head = hh.head
        assert head is not None  # households with a head only
        shop = actions.create_producer(
            actor=official,
            commune=commune,
            kind=ProducerKind.HOUSEHOLD_BUSINESS,
            name=f"Hộ kinh doanh {trade} {head.full_name}",
            household=hh,
            address=hh.address_line,
            latitude=hh.latitude,
            longitude=hh.longitude,
        )
        if i % 5 != 4:
            actions.add_bank_account(
                actor=official,
                producer=shop,
                bank_bin=rng.choice(BANKS),
                account_number=str(rng.randint(10**9, 10**13)),
                account_name=head.full_name,
            )

    # A few buyers' demands with answers.
    wanted = [
        ("Chè búp khô loại 1", 500, "kg", 280000),
        ("Chè Móc câu đóng hộp quà Tết", 300, "hộp", 240000),
        ("Chè búp tươi đạt VietGAP", 5, "tấn", 12000000),
    ]
    for n, (title, qty, unit, price) in enumerate(wanted):
        demand = actions.post_demand(
            actor=buyer,
            commune=commune,
            title=title,
            quantity=Decimal(qty),
            unit=unit,
            buyer_name=[
                "Công ty CP Trà Việt",
                "Siêu thị Nông sản sạch Hà Nội",
                "Công ty TNHH Chè Tân Cương",
            ][n],
            needed_by=today + timedelta(days=30 + 15 * n),
            price=Decimal(price),
            ocop_group="food",
            contact="0912 000 111",
            description="Giao tại kho bên mua.",
        )
        for coop, _area in coops[n : n + 2]:
            actions.make_offer(
                actor=official,
                demand=demand,
                producer=coop,
                quantity=Decimal(qty) / 2,
                price=(Decimal(price) * Decimal("1.05")).quantize(Decimal(1)),
                message="HTX đáp ứng được, có chứng nhận VietGAP.",
            )
    stdout.write(
        f"  {len(coops)} HTX, {len(groups)} tổ hợp tác, {len(OCOP_PRODUCTS)} sản phẩm "
        f"OCOP, {len(households)} hộ kinh doanh; tài khoản sanxuat.votranh / "
        f"{DEMO_PASSWORD} (HTX Chè Tức Tranh)."
    )
