"""Demo data: the catalogue and one year (Dec 2025 - Nov 2026) of dossiers in Vô Tranh, about
the articles' figures (~2,200 dossiers, ~99% online, a few late, most rated). Bulk inserts
keep it fast; only a handful of dossiers get files and a signed result."""

import random
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from langso.core.models import DemoRun
from langso.people.models import Resident, User

from .actions import flag_dossiers, load_catalogue
from .models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    FileKind,
    Procedure,
    Rating,
    RatingChannel,
    ReceiptSequence,
    State,
    Timeliness,
)
from .working_time import RECEIPT_LIMIT_MINUTES, WorkingCalendar

START = date(2025, 12, 1)
END = date(2026, 11, 30)
TOTAL = 2250
# Relative frequency of each procedure in a rural commune (by code); others get weight 1.
WEIGHTS = {
    "1.001193": 40,
    "1.001022": 25,
    "2.000635": 30,
    "1.004873": 30,
    "1.000894": 12,
    "1.000656": 12,
    "1.001612": 35,
    "2.000908": 0.5,
    "2.000884": 0.3,
    "2.001035": 0.3,
    "2.001019": 0.3,
    "1.003554": 0.3,
    "1.004859": 6,
    "1.001776": 8,
    "2.000744": 4,
    "2.000720": 5,
    "1.009994": 4,
    "1.012806": 3,
    "1.010829": 3,
}
OFFICE_MINUTES = 480
PDF_STUB = b"%PDF-1.4\n% Lang So demo attachment\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _random_submission(rng: random.Random, day: date) -> datetime:
    if rng.random() < 0.7:
        minute = rng.randrange(OFFICE_MINUTES)
        clock = (
            datetime.combine(day, time(7, 30)) + timedelta(minutes=minute)
            if minute < 240
            else datetime.combine(day, time(13, 0)) + timedelta(minutes=minute - 240)
        )
    else:
        clock = datetime.combine(
            day,
            time(rng.choice([6, 12, 18, 19, 20, 21, 22])),
        ) + timedelta(minutes=rng.randrange(60))
    return timezone.make_aware(clock)


class _Builder:
    def __init__(self, *, commune, seed: int, now: datetime):
        self.rng = random.Random(f"procedures-{seed}")
        self.commune = commune
        self.now = now
        self.cal = WorkingCalendar.load()
        self.official = User.objects.filter(username="canbo.votranh").first()
        self.leader = User.objects.filter(username="chutich.votranh").first()
        self.resident = User.objects.filter(username="nguoidan.votranh").first()
        self.procedures = list(Procedure.objects.filter(commune=commune, is_active=True))
        self.weights = [WEIGHTS.get(p.code, 1) for p in self.procedures]
        people = list(
            Resident.objects.filter(commune=commune, citizen_id__isnull=False).values_list(
                "full_name", "phone", "household__address_line"
            )[:4000]
        )
        self.people = people or [("Nguyễn Văn A", "", "")]
        self.sequences: dict[date, int] = {}
        self.dossiers: list[Dossier] = []
        self.events: list[list[tuple]] = []
        self.ratings: list[tuple | None] = []

    def _code(self, moment: datetime) -> str:
        day = timezone.localtime(moment).date()
        self.sequences[day] = self.sequences.get(day, 0) + 1
        return f"{self.commune.code}-{day:%y%m%d}-{self.sequences[day]:04d}"

    def _secret(self) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))

    def _after(self, moment: datetime, minutes: int) -> datetime:
        return self.cal.add_minutes(moment, max(1, minutes))

    def build(
        self, submitted: datetime, *, outcome: str, applicant=None, procedure=None
    ) -> Dossier:
        rng, cal = self.rng, self.cal
        procedure = procedure or rng.choices(self.procedures, self.weights)[0]
        online = procedure.accepts_online and rng.random() < 0.997
        name, phone, address = rng.choice(self.people)
        if applicant is not None:
            name = applicant.get_full_name() or name
        window = procedure.processing_minutes
        due = cal.add_minutes(submitted, window)
        d = Dossier(
            commune=self.commune,
            province_code=self.commune.province_code,
            procedure=procedure,
            receipt_code=self._code(submitted),
            tracking_secret=self._secret(),
            channel=Channel.ONLINE if online else Channel.IN_PERSON,
            state=State.SUBMITTED,
            applicant_user=applicant if online else None,
            applicant_name=name,
            applicant_phone=phone or "",
            applicant_address=address or "",
            submitted_at=submitted,
            due_at=due,
            receipt_due_at=cal.add_minutes(submitted, RECEIPT_LIMIT_MINUTES) if online else None,
            received_by=self.official,
            handler=self.official,
            version=1,
        )
        events = [
            (
                submitted,
                "submit",
                "",
                State.SUBMITTED if online else State.RECEIVED,
                "Nộp trực tuyến" if online else "Tiếp nhận trực tiếp tại bộ phận một cửa",
            )
        ]
        if not online:
            d.state, d.received_at = State.RECEIVED, submitted
        if outcome == "submitted":
            return self._keep(d, events)
        if online:
            received = self._after(submitted, rng.randint(10, min(300, max(20, window // 3))))
            if outcome == "not_received":
                events.append(
                    (
                        received,
                        "refuse",
                        State.SUBMITTED,
                        State.NOT_RECEIVED,
                        "Hồ sơ nộp nhầm thủ tục, đề nghị nộp lại đúng thủ tục.",
                    )
                )
                d.state, d.outcome_reason = State.NOT_RECEIVED, events[-1][4]
                return self._keep(d, events)
            events.append((received, "receive", State.SUBMITTED, State.RECEIVED, ""))
            d.state, d.received_at = State.RECEIVED, received
        assert d.received_at is not None  # received above, online or at the desk
        clock = self._after(d.received_at, rng.randint(5, 60))
        events.append((clock, "process", State.RECEIVED, State.PROCESSING, ""))
        d.state = State.PROCESSING
        if outcome in ("supplement", "completed_supplement"):
            asked = self._after(clock, rng.randint(10, 120))
            events.append(
                (
                    asked,
                    "request_supplement",
                    State.PROCESSING,
                    State.SUPPLEMENT_REQUESTED,
                    "Đề nghị bổ sung bản chụp giấy tờ tùy thân rõ nét.",
                )
            )
            d.state, d.paused_at = State.SUPPLEMENT_REQUESTED, asked
            if outcome == "supplement":
                return self._keep(d, events)
            back = self._after(asked, rng.randint(240, 1440))
            paused = cal.minutes_between(asked, back)
            d.paused_minutes, d.paused_at = paused, None
            d.due_at = cal.add_minutes(d.due_at, paused)
            events.append(
                (
                    back,
                    "supplement",
                    State.SUPPLEMENT_REQUESTED,
                    State.SUPPLEMENTED,
                    "Đã bổ sung giấy tờ.",
                )
            )
            events.append(
                (self._after(back, 30), "process", State.SUPPLEMENTED, State.PROCESSING, "")
            )
            clock = events[-1][0]
            d.state = State.PROCESSING
        if outcome == "processing":
            return self._keep(d, events)
        if outcome == "withdrawn":
            at = self._after(clock, rng.randint(30, 240))
            events.append(
                (at, "withdraw", State.PROCESSING, State.WITHDRAWN, "Người dân xin rút hồ sơ.")
            )
            d.state, d.outcome_reason = State.WITHDRAWN, events[-1][4]
            return self._keep(d, events)
        remaining = max(1, cal.minutes_between(clock, d.due_at))
        if outcome == "late":
            settled = self._after(d.due_at, rng.randint(120, 1440))
        else:
            settled = self._after(clock, int(remaining * rng.uniform(0.2, 0.97)))
        if settled > self.now:
            return self._keep(d, events)  # still in processing today
        d.settled_at = settled
        d.timeliness = (
            Timeliness.LATE
            if settled > d.due_at
            else Timeliness.EARLY
            if timezone.localtime(settled).date() < timezone.localtime(d.due_at).date()
            else Timeliness.ON_TIME
        )
        d.processing_minutes = max(0, cal.minutes_between(submitted, settled) - d.paused_minutes)
        if outcome == "rejected":
            events.append(
                (
                    settled,
                    "reject",
                    State.PROCESSING,
                    State.REJECTED,
                    "Không đủ điều kiện theo quy định.",
                )
            )
            d.state, d.outcome_reason = State.REJECTED, events[-1][4]
            return self._keep(d, events)
        events.append((settled, "complete", State.PROCESSING, State.COMPLETED, ""))
        d.state = State.COMPLETED
        returned = self._after(settled, rng.randint(10, 600))
        if returned <= self.now and rng.random() < 0.9:
            events.append(
                (
                    returned,
                    "return_result",
                    State.COMPLETED,
                    State.RETURNED,
                    "Trả kết quả trực tuyến" if online else "Trả kết quả tại quầy",
                )
            )
            d.state = State.RETURNED
        rating = None
        if rng.random() < 0.88:
            roll = rng.random()
            level = (
                "not_satisfied"
                if roll < 0.01 or (outcome == "late" and roll < 0.4)
                else "satisfied"
                if roll < 0.3
                else "very_satisfied"
            )
            rating = (
                level,
                RatingChannel.ONLINE if online else RatingChannel.KIOSK,
                self._after(settled, rng.randint(30, 2000)),
            )
        return self._keep(d, events, rating)

    def _keep(self, d: Dossier, events: list, rating=None) -> Dossier:
        d.version = len(events)
        self.dossiers.append(d)
        self.events.append(events)
        self.ratings.append(rating)
        return d

    def save(self) -> None:
        Dossier.objects.bulk_create(self.dossiers, batch_size=500)
        if not all(d.pk for d in self.dossiers):
            ids = dict(
                Dossier.objects.filter(commune=self.commune).values_list("receipt_code", "id")
            )
            for d in self.dossiers:
                d.pk = d.id = ids[d.receipt_code]
        actor_names: dict[int | None, str] = {None: ""}
        for user in (self.official, self.resident):
            if user is not None:
                actor_names[user.pk] = user.get_full_name() or user.username
        rows, ratings = [], []
        for d, events, rating in zip(self.dossiers, self.events, self.ratings, strict=True):
            for at, action, source, target, comment in events:
                actor = (
                    d.applicant_user
                    if action in ("submit", "supplement", "withdraw") and d.applicant_user
                    else self.official
                )
                rows.append(
                    DossierEvent(
                        dossier=d,
                        at=at,
                        actor=actor,
                        actor_name=actor_names.get(getattr(actor, "pk", None), ""),
                        action=action,
                        from_state=source,
                        to_state=target,
                        comment=comment,
                    )
                )
            if rating is not None and rating[2] <= self.now:
                ratings.append(
                    Rating(dossier=d, level=rating[0], channel=rating[1], rated_at=rating[2])
                )
        DossierEvent.objects.bulk_create(rows, batch_size=1000)
        Rating.objects.bulk_create(ratings, batch_size=1000)
        existing = set(
            ReceiptSequence.objects.filter(commune=self.commune).values_list("day", flat=True)
        )
        ReceiptSequence.objects.bulk_create(
            [
                ReceiptSequence(commune=self.commune, day=day, last=last)
                for day, last in self.sequences.items()
                if day not in existing
            ]
        )


def _outcome(rng: random.Random, submitted: datetime, now: datetime) -> str:
    age = (now - submitted).days
    if age < 12:  # recent dossiers are still moving through the desk
        return rng.choice(
            [
                "submitted",
                "processing",
                "processing",
                "supplement",
                "completed",
                "completed",
                "completed",
            ]
        )
    roll = rng.random()
    if roll < 0.005:
        return "late"
    if roll < 0.010:
        return "rejected"
    if roll < 0.013:
        return "withdrawn"
    if roll < 0.016:
        return "not_received"
    if roll < 0.06:
        return "completed_supplement"
    return "completed"


def _resident_samples(builder: _Builder, now: datetime) -> list[Dossier]:
    """A few dossiers of the demo resident account, in different states."""
    if builder.resident is None:
        return []
    by_code = {p.code: p for p in builder.procedures}
    plan = [
        ("1.004873", "completed", 40),
        ("1.001193", "completed", 20),
        ("2.000635", "supplement", 3),
        ("1.001612", "submitted", 0),
    ]
    made = []
    for code, outcome, days_ago in plan:
        procedure = by_code.get(code)
        if procedure is None:
            continue
        day = builder.cal.working_days_after(now.date() - timedelta(days=days_ago + 3), 1)
        submitted = timezone.make_aware(datetime.combine(day, time(8, 15)))
        if submitted > now:
            submitted = now - timedelta(hours=2)
        d = builder.build(
            submitted, outcome=outcome, applicant=builder.resident, procedure=procedure
        )
        builder.ratings[-1] = None  # leave them for the resident to rate
        made.append(d)
    return made


def _attach_files(dossiers: list[Dossier], actor, stdout) -> None:
    from .results import issue_result_document

    for d in dossiers:
        f = DossierFile(
            dossier=d,
            kind=FileKind.APPLICATION,
            original_name="to-khai.pdf",
            content_type="application/pdf",
            size=len(PDF_STUB),
            sha256="",
        )
        f.file.save("demo.pdf", ContentFile(PDF_STUB), save=True)
        if d.state in (State.COMPLETED, State.RETURNED):
            document_id = None
            # The documents demo runs after this one and skips itself when the commune
            # already has documents, so results are signed here only once it has run.
            if DemoRun.objects.filter(app="documents").exists():
                try:
                    with transaction.atomic():
                        document_id = issue_result_document(
                            actor=actor, dossier=d, comment="Kết quả mẫu"
                        )
                except Exception as exc:  # no certificate configured, for instance
                    stdout.write(f"  (bỏ qua văn bản ký số cho {d.receipt_code}: {exc})")
            if document_id is not None:
                Dossier.objects.filter(pk=d.pk).update(result_document_id=document_id)
            else:
                r = DossierFile(
                    dossier=d,
                    kind=FileKind.RESULT,
                    original_name=f"ket-qua-{d.receipt_code}.pdf",
                    content_type="application/pdf",
                    size=len(PDF_STUB),
                    sha256="",
                )
                r.file.save("demo-result.pdf", ContentFile(PDF_STUB), save=True)


def load_demo(*, commune, province, seed: int, stdout) -> None:
    load_catalogue(commune=commune)
    now = min(timezone.now(), timezone.make_aware(datetime.combine(END, time(17, 0))))
    builder = _Builder(commune=commune, seed=seed, now=now)
    rng = builder.rng
    days = (min(END, timezone.localtime(now).date()) - START).days + 1
    per_day = TOTAL / ((END - START).days + 1)
    moments: list[datetime] = []
    for offset in range(days):
        day = START + timedelta(days=offset)
        weight = 1.0 if builder.cal.is_working_day(day) else 0.35
        count = int(rng.gauss(per_day * weight * 1.25, 1.5) + 0.5)
        moments.extend(_random_submission(rng, day) for _ in range(max(0, count)))
    moments = sorted(m for m in moments if m < now)
    for submitted in moments:
        builder.build(submitted, outcome=_outcome(rng, submitted, now))
    samples = _resident_samples(builder, now)
    builder.save()
    _attach_files(samples, builder.leader or builder.official, stdout)
    alerts = flag_dossiers(now=now, commune_ids=[commune.pk])
    online = sum(1 for d in builder.dossiers if d.channel == Channel.ONLINE)
    stdout.write(
        f"  {len(builder.procedures)} thủ tục, {len(builder.dossiers)} hồ sơ "
        f"({online * 100 / max(1, len(builder.dossiers)):.1f}% trực tuyến), "
        f"{alerts} cảnh báo hạn"
    )
