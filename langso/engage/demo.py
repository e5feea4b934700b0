"""Demo data of Vô Tranh: the officials' directory, a year of announcements delivered
through the fake gateways, the programme's satisfaction survey with a few hundred answers,
and residents' feedback in every state. Deterministic for a seed (dates are relative to the
day the demo is prepared, so that "this year" figures and overdue flags make sense)."""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from langso.people.models import Relation, Resident, Role, RoleAssignment, User
from langso.places.models import Hamlet

from . import actions, delivery
from .channels import fake, fake_gateways
from .models import (
    Audience,
    AudienceGroup,
    Delivery,
    DeliveryState,
    FeedbackCategory,
    FeedbackStatus,
)

EXTRA_OFFICIALS = [
    # username, family name, given name, position, department
    ("phochutich.votranh", "Đỗ Văn", "Thành", "Phó Chủ tịch UBND xã", "Kinh tế"),
    ("tuphap.votranh", "Ma Thị", "Hằng", "Công chức Tư pháp - Hộ tịch", "Bộ phận một cửa"),
    (
        "diachinh.votranh",
        "Hà Văn",
        "Dũng",
        "Công chức Địa chính - Xây dựng - Nông nghiệp",
        "Địa chính",
    ),
    ("vanhoa.votranh", "Lương Thị", "Thu", "Công chức Văn hóa - Xã hội", "Văn hóa - Xã hội"),
    ("ketoan.votranh", "Nông Văn", "Tuấn", "Công chức Tài chính - Kế toán", "Tài chính"),
]
DIRECTORY_OF_DEMO_ACCOUNTS = {
    "chutich.votranh": ("Chủ tịch UBND xã", "Lãnh đạo UBND"),
    "canbo.votranh": ("Công chức Văn phòng - Thống kê", "Văn phòng HĐND - UBND"),
    "yte.votranh": ("Trạm trưởng Trạm Y tế xã", "Trạm Y tế"),
    "congnghe.votranh": ("Tổ trưởng tổ công nghệ số cộng đồng", "Tổ công nghệ số"),
}
HOURS = "Thứ Hai - Thứ Sáu: 7:30-11:30, 13:30-17:00"

CATEGORIES = [
    ("moi-truong", "Môi trường, vệ sinh", 5, "Địa chính - Môi trường"),
    ("giao-thong", "Giao thông, xây dựng", 10, "Địa chính - Xây dựng"),
    ("an-ninh", "An ninh, trật tự", 5, "Công an xã"),
    ("dat-dai", "Đất đai", 15, "Địa chính"),
    ("y-te-giao-duc", "Y tế, giáo dục", 7, "Văn hóa - Xã hội"),
    ("thu-tuc", "Thủ tục hành chính", 5, "Bộ phận một cửa"),
    ("khac", "Khác", 10, "Văn phòng HĐND - UBND"),
]

ANNOUNCEMENTS = [
    (
        "Lịch tiêm chủng mở rộng tháng {m}",
        "Trạm Y tế xã tổ chức tiêm chủng cho trẻ em dưới 5 "
        "tuổi vào sáng thứ Năm tuần thứ hai của tháng. Phụ huynh mang theo sổ tiêm chủng.",
    ),
    (
        "Lịch tiếp công dân tháng {m}",
        "Chủ tịch UBND xã tiếp công dân định kỳ vào thứ Ba tuần "
        "đầu tiên của tháng tại trụ sở UBND xã.",
    ),
    (
        "Ra quân vệ sinh môi trường",
        "Mỗi hộ cử một người tham gia dọn vệ sinh đường làng, ngõ "
        "xóm vào sáng Chủ nhật. Mang theo chổi, cuốc, bao đựng rác.",
    ),
    (
        "Hướng dẫn chăm sóc chè vụ {m}",
        "Hợp tác xã chè hướng dẫn bón phân, tỉa cành và phòng "
        "trừ rầy xanh theo quy trình VietGAP tại nhà văn hóa xóm.",
    ),
    (
        "Thông báo cắt điện",
        "Điện lực thông báo tạm ngừng cấp điện từ 7:00 đến 16:00 để bảo dưỡng đường dây.",
    ),
    (
        "Cài đặt và kích hoạt tài khoản định danh điện tử VNeID",
        "Tổ công nghệ số cộng đồng hỗ "
        "trợ người dân cài đặt VNeID và nộp hồ sơ trực tuyến tại nhà văn hóa các xóm.",
    ),
    (
        "Phòng chống mưa bão, lũ quét",
        "Người dân theo dõi thông tin thời tiết, không đi qua "
        "ngầm, tràn khi nước lớn; chằng chống nhà cửa.",
    ),
    (
        "Thu thuế sử dụng đất phi nông nghiệp",
        "Đề nghị các hộ nộp thuế trước ngày 31 tháng 10 "
        "bằng chuyển khoản qua mã VietQR của xã hoặc tại bộ phận một cửa.",
    ),
    (
        "Hội chợ sản phẩm OCOP",
        "Xã tổ chức gian hàng giới thiệu sản phẩm chè OCOP; các hộ sản "
        "xuất, hợp tác xã đăng ký tham gia với cán bộ khuyến nông.",
    ),
    (
        "Lấy ý kiến về kết quả xây dựng nông thôn mới",
        "Mời người dân trả lời phiếu khảo sát mức "
        "độ hài lòng trực tuyến trên trang của xã; phiếu ẩn danh.",
    ),
]

FEEDBACK_TEXTS = [
    ("giao-thong", "Đường bê tông đoạn qua xóm bị sụt lún sau mưa, xe máy đi lại nguy hiểm."),
    ("moi-truong", "Rác thải đổ bừa bãi ở đầu cầu tràn, bốc mùi khó chịu."),
    ("moi-truong", "Điểm tập kết rác chưa được thu gom 2 tuần nay."),
    ("an-ninh", "Nhóm thanh niên tụ tập chạy xe tốc độ cao vào buổi tối trên đường liên xóm."),
    ("dat-dai", "Đề nghị xã đo đạc lại ranh giới thửa đất giáp mương thủy lợi."),
    ("y-te-giao-duc", "Đề nghị bố trí thêm buổi khám sức khỏe cho người cao tuổi tại xóm."),
    (
        "thu-tuc",
        "Tôi nộp hồ sơ trực tuyến nhưng chưa nhận được thông báo tiếp nhận, liên hệ 0912345678.",
    ),
    ("giao-thong", "Đèn đường khu vực nhà văn hóa không sáng từ tuần trước."),
    ("khac", "Đề nghị lắp thêm loa truyền thanh ở cuối xóm vì không nghe được thông báo."),
    ("moi-truong", "Nước thải từ trại chăn nuôi chảy ra kênh tưới tiêu."),
]


def _at(day, hour=8) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _directory(commune, rng, password, stdout) -> list[User]:
    leader = User.objects.get(username="chutich.votranh")
    officials = []
    for username, family, given, position, department in EXTRA_OFFICIALS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": given,
                "last_name": family,
                "password": password,
                "is_staff": True,
            },
        )
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.COMMUNE_OFFICIAL, unit=commune, defaults={"title": position}
        )
        officials.append((user, position, department))
    for username, (position, department) in DIRECTORY_OF_DEMO_ACCOUNTS.items():
        account = User.objects.filter(username=username).first()
        if account is not None:
            officials.insert(0, (account, position, department))
    for order, (user, position, department) in enumerate(officials, start=1):
        entry = actions.create_directory_entry(
            actor=leader,
            user=user,
            unit=commune,
            position=position,
            department=department,
            phone=f"0208 38{rng.randrange(10**5):05d}",
            working_hours=HOURS,
            order=order,
            email=f"{user.username.split('.')[0]}@votranh.thainguyen.gov.vn",
        )
        # each official decides: most publish their office phone, a few keep it private
        actions.update_directory_entry(
            actor=user,
            entry=entry,
            listed=True,
            phone_public=rng.random() < 0.85,
            email_public=rng.random() < 0.5,
        )
    stdout.write(f"  danh bạ: {len(officials)} cán bộ")
    return [u for u, _p, _d in officials]


def _subscriptions(commune, rng, official) -> int:
    # About one resident in twenty, at most 150: every announcement is delivered to each of
    # them through the (fake) gateways, which is most of the demo's preparation time.
    count = min(150, max(5, Resident.objects.filter(commune=commune).count() // 20))
    residents = list(
        Resident.objects.filter(commune=commune, phone__gt="")
        .exclude(relation_to_head=Relation.CHILD)
        .order_by("id")[: count * 3]
    )
    if len(residents) < count:
        residents = list(Resident.objects.filter(commune=commune).order_by("id")[: count * 3])
    chosen = rng.sample(residents, min(count, len(residents)))
    for n, resident in enumerate(chosen):
        phone = resident.phone or f"09{rng.randrange(10**8):08d}"
        by_email = rng.random() < 0.25
        actions.save_subscription(
            actor=official,
            resident=resident,
            by_email=by_email,
            by_sms=rng.random() < 0.6,
            by_zalo=rng.random() < 0.7 or not by_email,
            phone=phone,
            email=f"nguoidan{n}@example.vn" if by_email else "",
        )
    return len(chosen)


def _announcements(commune, rng, official, today, stdout) -> None:
    hamlets = list(Hamlet.objects.filter(commune=commune).order_by("code"))
    start = today - timedelta(days=365)
    sent_ids = []
    count = 0
    for week in range(0, 52, 1):
        if rng.random() < 0.25:
            continue  # not every week has news
        day = start + timedelta(days=7 * week + rng.randrange(5))
        title, body = ANNOUNCEMENTS[(week + rng.randrange(3)) % len(ANNOUNCEMENTS)]
        title = title.format(m=day.month)
        audience = rng.choices(
            [Audience.COMMUNE, Audience.HAMLET, Audience.GROUP], weights=[6, 3, 1]
        )[0]
        item = actions.create_announcement(
            actor=official,
            commune=commune,
            title=title,
            body=body,
            audience=audience,
            hamlet=rng.choice(hamlets) if audience == Audience.HAMLET and hamlets else None,
            group=AudienceGroup.HOUSEHOLD_HEADS if audience == Audience.GROUP else "",
            dispatch=False,
            published_at=_at(day, 7 + rng.randrange(4)),
        )
        count += 1
        sent_ids += list(Delivery.objects.filter(announcement=item).values_list("pk", flat=True))
    # Deliver through the fake gateways: a flaky SMS provider now and then, a few phones
    # without Zalo, and the latest announcement still waiting for the worker.
    waiting = set(Delivery.objects.filter(announcement=item).values_list("pk", flat=True))
    zalo = list(
        Delivery.objects.filter(pk__in=sent_ids, channel="zalo")
        .order_by("address")
        .values_list("address", flat=True)
        .distinct()
    )
    fake.unreachable.update(zalo[: max(1, len(zalo) // 50)])
    with fake_gateways():
        for n, delivery_id in enumerate(sent_ids):
            if delivery_id in waiting:
                continue
            if n % 40 == 0:
                fake.failures["sms"] = 2
            delivery.deliver(delivery_id)
        # one round of retries once the back-off has passed; some fail again and wait
        later = timezone.now() + timedelta(minutes=2)
        fake.failures["sms"] = 6
        for delivery_id in Delivery.objects.filter(
            state=DeliveryState.RETRYING, announcement__commune=commune
        ).values_list("pk", flat=True):
            delivery.retry(delivery_id, now=later)
    fake.reset()
    from django.db.models import Count

    states = (
        Delivery.objects.filter(announcement__commune=commune)
        .values("state")
        .annotate(n=Count("id"))
        .order_by("state")
        .values_list("state", "n")
    )
    counted = ", ".join(f"{DeliveryState(s).label.lower()} {n}" for s, n in states)
    stdout.write(f"  thông báo: {count}, lượt gửi: {len(sent_ids)} ({counted}; qua cổng giả lập)")


def _survey(commune, rng, official, today, password, stdout, answers=320) -> None:
    survey = actions.install_satisfaction_survey(
        actor=official, commune=commune, opens_on=today - timedelta(days=120)
    )
    questions = {q.name: q for q in survey.questions.all()}
    thon = [c["name"] for c in questions["thon"].choices]
    ages = [c["name"] for c in questions["do_tuoi"].choices]
    priorities = [c["name"] for c in questions["uu_tien"].choices]
    residents = list(
        Resident.objects.filter(
            commune=commune,
            user__isnull=True,
            relation_to_head__in=[Relation.HEAD, Relation.SPOUSE],
        ).order_by("id")[:answers]
    )
    users = User.objects.bulk_create(
        [
            User(
                username=f"dan.{commune.code}.{r.pk}",
                password=password,
                last_name=r.full_name.rpartition(" ")[0],
                first_name=r.full_name.rpartition(" ")[2],
            )
            for r in residents
        ]
    )
    by_username = {
        u.username: u for u in User.objects.filter(username__in=[u.username for u in users])
    }
    comments = [
        "Đường làng sạch đẹp hơn trước.",
        "Mong xã hỗ trợ tiêu thụ chè.",
        "Cần thêm đèn chiếu sáng.",
        "Thủ tục trực tuyến nhanh, tiện.",
        "",
    ]
    for resident in residents:
        user = by_username[f"dan.{commune.code}.{resident.pk}"]
        overall = rng.choices(["1", "2", "3", "4", "5"], weights=[2, 5, 15, 48, 30])[0]

        def near(level):
            return str(min(5, max(1, int(level) + rng.choice([-1, 0, 0, 1]))))

        raw = {
            "thon": rng.choice(thon),
            "do_tuoi": rng.choice(ages),
            "hai_long_chung": overall,
            **{
                f: near(overall)
                for f in ("ha_tang", "thu_nhap", "moi_truong", "van_hoa", "hanh_chinh", "an_ninh")
            },
            "uu_tien": rng.sample(priorities, rng.randint(0, 3)),
            "y_kien": rng.choice(comments),
        }
        if overall in ("1", "2"):
            raw["ly_do_chua_hai_long"] = rng.choice(
                [
                    "Thu nhập còn thấp.",
                    "Đường sá xuống cấp.",
                    "Rác thải chưa được thu gom thường xuyên.",
                ]
            )
        day = today - timedelta(days=rng.randrange(110))
        actions.submit_response(
            actor=user, survey=survey, raw=raw, today=day, submitted_at=_at(day, 9)
        )
    stdout.write(f"  khảo sát hài lòng NTM: {len(residents)} phiếu")


def _feedback(commune, rng, officials, today, stdout) -> None:
    categories = {}
    for code, name, days, department in CATEGORIES:
        categories[code], _ = FeedbackCategory.objects.get_or_create(
            commune=commune,
            code=code,
            defaults={
                "name": name,
                "deadline_working_days": days,
                "default_department": department,
            },
        )
    hamlets = list(Hamlet.objects.filter(commune=commune).order_by("code"))
    from django.contrib.auth.models import AnonymousUser

    states = {"received": 0, "assigned": 0, "answered": 0, "closed": 0, "overdue": 0}
    for n in range(60):
        code, text = FEEDBACK_TEXTS[n % len(FEEDBACK_TEXTS)]
        hamlet = rng.choice(hamlets) if hamlets else None
        received = today - timedelta(
            days=rng.randrange(1, 15) if n < 10 else rng.randrange(15, 330)
        )
        lat = (hamlet.latitude or 21.70) + rng.uniform(-0.004, 0.004) if hamlet else None
        lon = (hamlet.longitude or 105.77) + rng.uniform(-0.004, 0.004) if hamlet else None
        feedback, secret = actions.submit_feedback(
            actor=AnonymousUser(),
            commune=commune,
            category=categories[code],
            text=text,
            hamlet=hamlet,
            latitude=lat,
            longitude=lon,
            received_on=received,
            contact_name=rng.choice(["", "Hoàng Văn Bình", "Lê Thị Minh"]),
            publish_consent=rng.random() < 0.8,
        )
        handler = rng.choice(officials)
        fate = rng.random()
        recent = (today - received).days < 20
        if recent and fate < 0.5:
            states["received"] += 1
            continue
        actions.assign_feedback(actor=officials[0], feedback=feedback, assignee=handler)
        if fate < 0.12 or (recent and fate < 0.75):
            states["overdue" if feedback.is_overdue(today) else "assigned"] += 1
            continue
        late = rng.random() < 0.15
        delay = timedelta(
            days=(feedback.deadline - received).days + (rng.randint(1, 6) if late else -1)
        )
        answered_day = min(received + max(delay, timedelta(days=1)), today)
        actions.answer_feedback(
            actor=handler,
            feedback=feedback,
            answer="Xã đã kiểm tra thực tế và giao bộ phận chuyên môn xử lý; "
            "kết quả đã thông báo tới người dân.",
            answered_at=_at(answered_day, 15),
        )
        if rng.random() < 0.6:
            actions.close_feedback(
                actor=handler, feedback=feedback, closed_at=_at(answered_day, 16)
            )
            states["closed"] += 1
        else:
            states["answered"] += 1
        if rng.random() < 0.7:
            actions.rate_feedback(
                actor=AnonymousUser(),
                feedback=feedback,
                secret=secret,
                rating=rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 3, 8, 7])[0],
            )
    labels = {**{s.value: s.label.lower() for s in FeedbackStatus}, "overdue": "quá hạn"}
    stdout.write("  phản ánh: " + ", ".join(f"{labels[k]} {v}" for k, v in states.items()))


def load_demo(*, commune, province, seed: int, stdout) -> None:
    rng = random.Random(f"{seed}-engage")
    today = timezone.localdate()
    password = make_password("langso-demo")
    officials = _directory(commune, rng, password, stdout)
    official = User.objects.get(username="canbo.votranh")
    subscribed = _subscriptions(commune, rng, official)
    stdout.write(f"  đăng ký nhận tin: {subscribed} người dân")
    _announcements(commune, rng, official, today, stdout)
    # survey respondents get accounts without a usable password (they log in via VNeID)
    _survey(commune, rng, official, today, make_password(None), stdout)
    managers = [
        u
        for u in officials
        if u.username in ("canbo.votranh", "chutich.votranh")
        or u.username in {o[0] for o in EXTRA_OFFICIALS}
    ]
    _feedback(commune, rng, managers, today, stdout)
