from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from langso.core.exceptions import ValidationFailed
from langso.core.uploads import SCANS, check_upload
from langso.core.validation import validate

from ..exceptions import DossierState, InvalidScores, NotEvaluator
from ..market_cache import market_changed
from ..models import Certificate, CertificateKind, OcopDossier, OcopDossierFile, OcopEvaluation
from ..ocop_rules import (
    certificate_valid_to,
    criteria_set_for,
    is_certifiable,
    level_rules_on,
    star_for,
)
from ..permissions import can_evaluate
from ._common import AuditAction, record_change, require_editor

LEVEL_ORDER = {"commune": 0, "district": 1, "province": 2, "central": 3}
ISSUERS = {
    "district": "UBND cấp huyện",
    "province": "UBND tỉnh",
    "central": "Bộ Nông nghiệp và Môi trường",
    "commune": "UBND xã",
}
TWO_PLACES = Decimal("0.01")
MAX_FILE_BYTES = 10 * 1024 * 1024


def score_parts(criteria_set, scores: dict, *, complete: bool = True) -> dict[str, Decimal]:
    """Validate scores against the sheet; returns part sums and the total."""
    criteria = list(criteria_set.criteria.all())
    known = {c.code for c in criteria}
    unknown = set(scores) - known
    if unknown:
        raise InvalidScores(
            _("Tiêu chí không có trong phiếu chấm: %(codes)s.")
            % {"codes": ", ".join(sorted(unknown))}
        )
    parts = {"A": Decimal(0), "B": Decimal(0), "C": Decimal(0)}
    for criterion in criteria:
        if criterion.code not in scores:
            if complete:
                raise InvalidScores(
                    _("Chưa chấm tiêu chí %(code)s (%(label)s).")
                    % {"code": criterion.code, "label": criterion.label}
                )
            continue
        try:
            value = Decimal(str(scores[criterion.code]))
        except (InvalidOperation, ValueError) as exc:
            raise InvalidScores(
                _("Điểm tiêu chí %(code)s không phải là số.") % {"code": criterion.code}
            ) from exc
        if not value.is_finite() or value < 0 or value > criterion.max_points:
            raise InvalidScores(
                _("Điểm tiêu chí %(code)s phải từ 0 đến %(max)s.")
                % {"code": criterion.code, "max": criterion.max_points}
            )
        parts[criterion.part] += value
    parts["total"] = parts["A"] + parts["B"] + parts["C"]
    return parts


def _normalise(scores: dict) -> dict[str, str]:
    return {k: str(Decimal(str(v)).normalize()) for k, v in scores.items()}


@transaction.atomic
def file_dossier(
    *, actor, product, filed_on: date, self_scores: dict | None = None, note: str = ""
) -> OcopDossier:
    """The producer (or the commune for them) files an OCOP dossier with a self-assessment."""
    require_editor(actor, product.producer)
    if not product.ocop_group:
        raise ValidationFailed(_("Cần chọn nhóm sản phẩm OCOP trước khi nộp hồ sơ."))
    sheet = criteria_set_for(product.ocop_group, filed_on)
    if sheet is None:
        raise ValidationFailed(_("Chưa có bộ tiêu chí OCOP áp dụng cho ngày nộp này."))
    self_scores = self_scores or {}
    self_total = None
    if self_scores:
        self_total = score_parts(sheet, self_scores, complete=False)["total"]
    rules = level_rules_on(filed_on)
    dossier = OcopDossier(
        product=product,
        producer=product.producer,
        commune=product.producer.commune,
        province_code=product.producer.province_code,
        criteria_set=sheet,
        filed_on=filed_on,
        self_scores=_normalise(self_scores),
        self_total=self_total,
        note=note,
        created_by=actor,
        status=OcopDossier.Status.SUBMITTED,
        current_level=rules.receives,
    )
    validate(dossier, exclude=["created_by"])
    dossier.save()
    record_change(actor=actor, action=AuditAction.CREATE, target=dossier)
    return dossier


@transaction.atomic
def attach_dossier_file(*, actor, dossier: OcopDossier, upload, title: str) -> OcopDossierFile:
    require_editor(actor, dossier.producer)
    checked = check_upload(upload, kinds=SCANS, max_bytes=MAX_FILE_BYTES)
    upload.name = checked.safe_name(dossier.public_id.hex[:12])
    item = OcopDossierFile(dossier=dossier, title=title.strip()[:200] or upload.name, file=upload)
    item.save()
    record_change(actor=actor, action=AuditAction.CREATE, target=item)
    return item


def _open_for_scoring(dossier: OcopDossier) -> None:
    if dossier.status not in (OcopDossier.Status.SUBMITTED, OcopDossier.Status.REFERRED):
        raise DossierState(_("Hồ sơ đã có kết luận, không chấm thêm được."))
    if dossier.current_level not in level_rules_on(dossier.filed_on).rating_levels:
        raise DossierState(
            _("Hồ sơ đang ở bước tiếp nhận của xã; xã cần chuyển hồ sơ lên cấp đánh giá trước.")
        )


@transaction.atomic
def accept_dossier(*, actor, dossier: OcopDossier) -> OcopDossier:
    """The receiving level (the commune, since July 2025) pre-checks the dossier and sends it
    to the first rating level of the rules in force on the filing date."""
    dossier = OcopDossier.objects.select_for_update().get(pk=dossier.pk)
    rules = level_rules_on(dossier.filed_on)
    if (
        dossier.status != OcopDossier.Status.SUBMITTED
        or dossier.current_level != rules.receives
        or rules.receives in rules.rating_levels
    ):
        raise DossierState(_("Hồ sơ không ở bước tiếp nhận."))
    if not can_evaluate(actor, dossier, rules.receives):
        raise NotEvaluator(_("Chỉ cán bộ xã nơi có chủ thể được tiếp nhận hồ sơ."))
    dossier.current_level = rules.first_level
    dossier.save(update_fields=["current_level", "updated_at"])
    record_change(actor=actor, action=AuditAction.UPDATE, target=dossier, changed=["current_level"])
    return dossier


@transaction.atomic
def score_dossier(
    *, actor, dossier: OcopDossier, scores: dict, comment: str = ""
) -> OcopEvaluation:
    """An evaluator of the level now handling the dossier fills (or corrects) their sheet."""
    dossier = OcopDossier.objects.select_for_update().get(pk=dossier.pk)
    level = dossier.current_level
    _open_for_scoring(dossier)
    if not can_evaluate(actor, dossier, level):
        raise NotEvaluator(_("Bạn không thuộc hội đồng đánh giá OCOP cấp này."))
    parts = score_parts(dossier.criteria_set, scores)
    total = parts["total"]
    evaluation, created = OcopEvaluation.objects.update_or_create(
        dossier=dossier,
        evaluator=actor,
        level=level,
        defaults={
            "scores": _normalise(scores),
            "part_a": parts["A"],
            "part_b": parts["B"],
            "part_c": parts["C"],
            "total": total,
            "star": star_for(total),
            "comment": comment,
        },
    )
    record_change(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=evaluation,
        changed=["scores"],
    )
    return evaluation


def _next_certificate_number(dossier: OcopDossier, issued_on: date) -> str:
    prefix = f"OCOP-{dossier.province_code}-{issued_on.year}-"
    count = Certificate.objects.filter(kind=CertificateKind.OCOP, number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


@transaction.atomic
def decide_dossier(
    *, actor, dossier: OcopDossier, decided_on: date, number: str = ""
) -> OcopDossier:
    """Conclude at the current level: the mean of the evaluators' totals gives the star.

    If the rules in force on the filing date give that star to a higher level, the dossier
    is referred there; otherwise it is rated, and a certificate issued for 3★ and above."""
    dossier = OcopDossier.objects.select_for_update().get(pk=dossier.pk)
    level = dossier.current_level
    _open_for_scoring(dossier)
    if not can_evaluate(actor, dossier, level):
        raise NotEvaluator(_("Bạn không thuộc hội đồng đánh giá OCOP cấp này."))
    sheets = list(dossier.evaluations.filter(level=level))
    if not sheets:
        raise DossierState(_("Chưa có phiếu chấm nào ở cấp này."))
    mean = (sum((s.total for s in sheets), Decimal(0)) / len(sheets)).quantize(
        TWO_PLACES, ROUND_HALF_UP
    )
    star = star_for(mean)
    rules = level_rules_on(dossier.filed_on)
    star_level = rules.level_for_star(star)
    changed = ["status", "result_total", "result_star", "decided_on", "current_level"]
    dossier.result_total, dossier.result_star, dossier.decided_on = mean, star, decided_on
    if LEVEL_ORDER[star_level] > LEVEL_ORDER[level]:
        dossier.status = OcopDossier.Status.REFERRED
        dossier.current_level = star_level
    else:
        dossier.status = OcopDossier.Status.RATED
        if is_certifiable(star):
            issuing_level = star_level
            Certificate.objects.create(
                kind=CertificateKind.OCOP,
                star=star,
                issuing_level=issuing_level,
                number=number.strip() or _next_certificate_number(dossier, decided_on),
                issuer=ISSUERS.get(issuing_level, issuing_level),
                scope=_("Sản phẩm OCOP %(star)s sao: %(name)s")
                % {"star": star, "name": dossier.product.name},
                producer=dossier.producer,
                product=dossier.product,
                dossier=dossier,
                valid_from=decided_on,
                valid_to=certificate_valid_to(decided_on),
                total_score=mean,
            )
            market_changed()  # the product's stars
    dossier.save(update_fields=[*changed, "updated_at"])
    record_change(actor=actor, action=AuditAction.UPDATE, target=dossier, changed=changed)
    return dossier


@transaction.atomic
def return_dossier(*, actor, dossier: OcopDossier, reason: str) -> OcopDossier:
    if not can_evaluate(actor, dossier, dossier.current_level):
        raise NotEvaluator(_("Bạn không thuộc hội đồng đánh giá OCOP cấp này."))
    _open_for_scoring(dossier)
    dossier.status = OcopDossier.Status.RETURNED
    dossier.note = (dossier.note + "\n" + _("Trả lại: %(reason)s") % {"reason": reason}).strip()
    dossier.save(update_fields=["status", "note", "updated_at"])
    record_change(actor=actor, action=AuditAction.UPDATE, target=dossier, changed=["status"])
    return dossier
