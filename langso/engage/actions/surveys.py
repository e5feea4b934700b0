import re
from collections.abc import Sequence
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from langso.core import audit
from langso.core.exceptions import ValidationFailed
from langso.core.models import AuditAction
from langso.core.uploads import XLSX, check_bytes
from langso.core.validation import validate
from langso.people.actors import Actor

from .. import expressions
from ..answering import walk_form
from ..exceptions import (
    AlreadyAnswered,
    InvalidAnswers,
    InvalidExpression,
    NotAllowed,
    SurveyClosed,
)
from ..models import (
    Participation,
    Question,
    QuestionType,
    Survey,
    SurveyAttachment,
    SurveyKind,
    SurveyResponse,
    SurveyStatus,
)
from ..permissions import can_manage
from ..xlsform import parse_xlsform

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")
SELECTS = (QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE)


EXPRESSION_COLUMNS = ("relevant", "constraint", "calculation", "required_if", "repeat_count")


def _check_expression(name: str, column: str, text: str, known: set[str], *, children=False):
    try:
        tree = expressions.parse(text, children=children)
    except InvalidExpression as exc:
        raise ValidationFailed(
            _("Câu “%(name)s”, %(col)s: %(reason)s")
            % {"name": name, "col": column, "reason": exc.message}
        ) from exc
    missing = expressions.references(tree) - known - {name}
    if missing:
        raise ValidationFailed(
            _("Câu “%(name)s”, %(col)s nhắc đến câu chưa có: %(refs)s")
            % {"name": name, "col": column, "refs": ", ".join(sorted(missing))}
        )


def _check_question(
    data: dict, known: set[str], *, all_names: set[str], allow_choice_duplicates: bool = False
) -> None:
    """`known`: the questions before this one (a built survey may only look back);
    `all_names`: every question of the form (an imported form, like ODK, may look ahead)."""
    name = data.get("name", "")
    if not _NAME.match(name):
        raise ValidationFailed(
            _("Tên biến “%(name)s” chỉ gồm chữ không dấu, số, dấu gạch dưới, bắt đầu bằng chữ.")
            % {"name": name}
        )
    if name in known:
        raise ValidationFailed(_("Tên biến “%(name)s” bị trùng.") % {"name": name})
    if data.get("qtype") not in QuestionType.values:
        raise ValidationFailed(_("Loại câu hỏi không hợp lệ."))
    if data["qtype"] in SELECTS:
        choices = data.get("choices") or []
        if not choices:
            raise ValidationFailed(
                _("Câu hỏi “%(name)s” cần ít nhất một lựa chọn.") % {"name": name}
            )
        names = [c["name"] for c in choices]
        if len(set(names)) != len(names) and not allow_choice_duplicates:
            raise ValidationFailed(_("Lựa chọn của câu “%(name)s” bị trùng.") % {"name": name})
    if data["qtype"] == QuestionType.CALCULATE and not data.get("calculation"):
        raise ValidationFailed(_("Câu “%(name)s” cần công thức tính.") % {"name": name})
    for column in EXPRESSION_COLUMNS:
        text = data.get(column) or ""
        if text:
            _check_expression(name, column, text, all_names or known)
    if data.get("choice_filter"):
        _check_expression(
            name, "choice_filter", data["choice_filter"], all_names or known, children=True
        )


def _create_questions(
    survey: Survey, questions: list[dict], *, start: int = 0, look_ahead: bool = False
) -> None:
    known = set(survey.questions.values_list("name", flat=True)) if start else set()
    all_names = {q["name"] for q in questions} | known if look_ahead else set()
    repeats = {q["name"] for q in questions if q.get("qtype") == QuestionType.REPEAT}
    rows = []
    for offset, data in enumerate(questions):
        _check_question(
            data,
            known | {q["name"] for q in questions[:offset]},
            all_names=all_names,
            allow_choice_duplicates=survey.allow_choice_duplicates,
        )
        repeat = data.get("repeat", "") or ""
        if repeat and repeat not in repeats:
            raise ValidationFailed(
                _("Câu “%(name)s” thuộc nhóm lặp “%(repeat)s” không có.")
                % {"name": data["name"], "repeat": repeat}
            )
        rows.append(
            Question(
                survey=survey,
                position=start + offset + 1,
                name=data["name"],
                label=data.get("label", "")[:500] or data["name"],
                hint=data.get("hint", "")[:500],
                group_label=data.get("group_label", "")[:200],
                qtype=data["qtype"],
                required=bool(data.get("required")),
                required_if=data.get("required_if", "") or "",
                required_message=data.get("required_message", "")[:300],
                constraint=data.get("constraint", "") or "",
                constraint_message=data.get("constraint_message", "")[:300],
                relevant=data.get("relevant", "") or "",
                calculation=data.get("calculation", "") or "",
                choice_filter=data.get("choice_filter", "") or "",
                default=data.get("default", "") or "",
                read_only=bool(data.get("read_only")),
                repeat=repeat,
                repeat_count=data.get("repeat_count", "") or "",
                translations=data.get("translations") or {},
                choices=data.get("choices", []) if data["qtype"] in SELECTS else [],
            )
        )
    Question.objects.bulk_create(rows)


@transaction.atomic
def create_survey(
    *,
    actor: Actor,
    commune,
    title: str,
    description: str = "",
    kind: str = SurveyKind.GENERAL,
    anonymous: bool = False,
    one_response_per_resident: bool = True,
    login_required: bool = True,
    opens_on: date | None = None,
    closes_on: date | None = None,
    questions: Sequence[dict] = (),
    satisfaction_question: str = "",
    satisfied_values: Sequence[str] = (),
    form_id: str = "",
    version: str = "",
    default_language: str = "",
    allow_choice_duplicates: bool = False,
    look_ahead: bool = False,
) -> Survey:
    """`look_ahead`: questions may read questions further down (an imported XLSForm)."""
    if not can_manage(actor, commune):
        raise NotAllowed(_("Bạn không có quyền tạo khảo sát của xã này."))
    if one_response_per_resident and not login_required:
        raise ValidationFailed(
            _("Muốn mỗi người trả lời một lần thì người trả lời phải đăng nhập.")
        )
    survey = Survey(
        commune=commune,
        province_code=commune.province_code,
        title=title.strip(),
        description=description,
        kind=kind,
        anonymous=anonymous,
        one_response_per_resident=one_response_per_resident,
        login_required=login_required,
        opens_on=opens_on,
        closes_on=closes_on,
        satisfaction_question=satisfaction_question,
        satisfied_values=list(satisfied_values),
        form_id=form_id,
        version=version,
        default_language=default_language[:100],
        allow_choice_duplicates=allow_choice_duplicates,
        created_by=actor,
    )
    validate(survey)
    survey.save()
    _create_questions(survey, list(questions), look_ahead=look_ahead)
    if (
        satisfaction_question
        and not survey.questions.filter(
            name=satisfaction_question, qtype=QuestionType.SELECT_ONE
        ).exists()
    ):
        raise ValidationFailed(
            _("Câu hỏi mức hài lòng chung “%(name)s” phải là câu chọn một.")
            % {"name": satisfaction_question}
        )
    audit.record_change(actor=actor, action=AuditAction.CREATE, target=survey)
    return survey


MAX_XLSFORM_BYTES = 5_000_000


@transaction.atomic
def import_xlsform(
    *,
    actor: Actor,
    commune,
    data: bytes,
    file_name: str = "form.xlsx",
    anonymous: bool | None = None,
    one_response_per_resident: bool | None = None,
    kind: str | None = None,
) -> Survey:
    """Create a draft survey from an XLSForm. The settings sheet may carry Làng Số's own
    columns: anonymous, one_response (yes/no), kind, satisfaction_question,
    satisfied_values (space separated)."""
    if not can_manage(actor, commune):
        raise NotAllowed(_("Bạn không có quyền tạo khảo sát của xã này."))
    check_bytes(data, name=file_name, kinds=[XLSX], max_bytes=MAX_XLSFORM_BYTES)
    form = parse_xlsform(data, file_name=file_name)
    s = form.settings

    def flag(key, given, default):
        if given is not None:
            return given
        value = s.get(key, "").lower()
        return default if not value else value in ("yes", "true", "1", "có")

    survey = create_survey(
        actor=actor,
        commune=commune,
        title=form.title[:200],
        description=s.get("description", ""),
        kind=kind or s.get("kind") or SurveyKind.GENERAL,
        anonymous=flag("anonymous", anonymous, False),
        one_response_per_resident=flag("one_response", one_response_per_resident, True),
        questions=[{k: v for k, v in q.items() if k != "row"} for q in form.questions],
        satisfaction_question=s.get("satisfaction_question", ""),
        satisfied_values=s.get("satisfied_values", "").split(),
        form_id=form.form_id,
        version=form.version,
        default_language=form.default_language,
        allow_choice_duplicates=form.allow_choice_duplicates,
        look_ahead=True,
    )
    survey.source_file.save(
        file_name.rsplit("/", 1)[-1][:100] or "form.xlsx", ContentFile(data), save=False
    )
    survey.save(update_fields=["source_file"])
    audit.record_change(actor=actor, action=AuditAction.IMPORT, target=survey)
    return survey


@transaction.atomic
def add_question(*, actor: Actor, survey: Survey, **data) -> Question:
    if not can_manage(actor, survey.commune):
        raise NotAllowed(_("Bạn không có quyền sửa khảo sát này."))
    if survey.status != SurveyStatus.DRAFT:
        raise SurveyClosed(_("Chỉ sửa được khảo sát đang soạn."))
    start = survey.questions.count()
    _create_questions(survey, [data], start=start)
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=survey, changed=["questions"]
    )
    return survey.questions.get(name=data["name"])


@transaction.atomic
def remove_question(*, actor: Actor, survey: Survey, name: str) -> None:
    """Drop a question from a draft survey; refused while another question's relevance or
    constraint still reads it."""
    if not can_manage(actor, survey.commune):
        raise NotAllowed(_("Bạn không có quyền sửa khảo sát này."))
    if survey.status != SurveyStatus.DRAFT:
        raise SurveyClosed(_("Chỉ sửa được khảo sát đang soạn."))
    others = survey.questions.exclude(name=name)
    for q in others:
        for text in (q.relevant, q.constraint, q.calculation, q.required_if, q.choice_filter):
            tree = expressions.parse(text, children=text == q.choice_filter) if text else None
            if tree is not None and name in expressions.references(tree):
                raise ValidationFailed(
                    _("Câu “%(other)s” còn dùng câu “%(name)s”.") % {"other": q.name, "name": name}
                )
    survey.questions.filter(name=name).delete()
    for position, q in enumerate(others.order_by("position"), start=1):
        if q.position != position:
            q.position = position
            q.save(update_fields=["position"])
    audit.record_change(
        actor=actor, action=AuditAction.UPDATE, target=survey, changed=["questions"]
    )


def _set_status(actor: Actor, survey: Survey, status: str) -> Survey:
    if not can_manage(actor, survey.commune):
        raise NotAllowed(_("Bạn không có quyền sửa khảo sát này."))
    if status == SurveyStatus.OPEN and not survey.questions.exists():
        raise ValidationFailed(_("Khảo sát chưa có câu hỏi."))
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    audit.record_change(actor=actor, action=AuditAction.UPDATE, target=survey, changed=["status"])
    return survey


@transaction.atomic
def open_survey(*, actor: Actor, survey: Survey) -> Survey:
    return _set_status(actor, survey, SurveyStatus.OPEN)


@transaction.atomic
def close_survey(*, actor: Actor, survey: Survey) -> Survey:
    return _set_status(actor, survey, SurveyStatus.CLOSED)


def survey_accepts(survey: Survey, today: date) -> bool:
    return (
        survey.status == SurveyStatus.OPEN
        and (survey.opens_on is None or survey.opens_on <= today)
        and (survey.closes_on is None or today <= survey.closes_on)
    )


@transaction.atomic
def submit_response(
    *, actor: Actor, survey: Survey, raw: dict, today: date | None = None, submitted_at=None
) -> SurveyResponse:
    """Check the answers and store them. Anonymous surveys store no link to the person:
    only a Participation row (to refuse a second answer) that says nothing about which
    response is theirs."""
    now = submitted_at or timezone.now()
    today = today or timezone.localdate(now)
    if not survey_accepts(survey, today):
        raise SurveyClosed(_("Khảo sát này không nhận trả lời."))
    user = actor if actor.is_authenticated else None
    if survey.login_required and user is None:
        raise NotAllowed(_("Hãy đăng nhập để trả lời khảo sát."))
    questions = list(survey.questions.all())
    state = walk_form(questions, raw, today=today, files=True)
    if state.errors:
        raise InvalidAnswers(
            _("Có %(count)s câu trả lời chưa hợp lệ.") % {"count": len(state.errors)},
            errors=state.errors,
        )
    answers = state.answers
    if survey.one_response_per_resident and user is not None:
        try:
            with transaction.atomic():
                Participation.objects.create(survey=survey, user=user)
        except IntegrityError as exc:
            raise AlreadyAnswered(_("Bạn đã trả lời khảo sát này rồi.")) from exc
    response = SurveyResponse(
        survey=survey,
        answers=answers,
        submitted_on=today,
        respondent=None if survey.anonymous else user,
        submitted_at=None if survey.anonymous else now,
    )
    _store_files(response, state.files)
    response.save()
    # No audit line for anonymous answers: it would tie the person to the moment of answering.
    if not survey.anonymous and user is not None:
        audit.record_change(
            actor=user, action=AuditAction.CREATE, target=response, unit=survey.commune
        )
    return response


def _store_files(response: SurveyResponse, files: dict) -> None:
    """Save each checked upload and put its stored name in the answers where it belongs
    (`repeat[i].name` keys point inside the repeat's list)."""
    if not files:
        return
    places = []
    for key, (question, checked) in files.items():
        target = response.answers
        if question.repeat:
            index = int(key[len(question.repeat) + 1 : key.index("]")])
            target = response.answers[question.repeat][index]
        target[question.name] = ""  # the stored name, once the file is saved
        places.append((key, target, question, checked))
    response.save()
    for key, target, question, checked in places:
        attachment = SurveyAttachment(
            response=response, question=key, content_type=checked.content_type, size=checked.size
        )
        attachment.file.save(checked.name, checked.content, save=False)
        validate(attachment)
        attachment.save()
        target[question.name] = attachment.file.name.rsplit("/", 1)[-1]


SATISFACTION_TEMPLATE = "khao_sat_hai_long_ntm.xlsx"


@transaction.atomic
def install_satisfaction_survey(
    *,
    actor: Actor,
    commune,
    open_now: bool = True,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> Survey:
    """The programme's satisfaction survey from the shipped XLSForm, with the commune's own
    hamlets as the choices of the hamlet question."""
    from pathlib import Path

    from langso.places.models import Hamlet

    path = Path(__file__).resolve().parent.parent / "data" / SATISFACTION_TEMPLATE
    survey = import_xlsform(
        actor=actor, commune=commune, data=path.read_bytes(), file_name=SATISFACTION_TEMPLATE
    )
    hamlets = [
        {"name": h.code.replace("-", "_"), "label": str(h)}
        for h in Hamlet.objects.filter(commune=commune).order_by("code")
    ]
    if hamlets:
        survey.questions.filter(name="thon").update(
            choices=[*hamlets, {"name": "khac", "label": _("Khác")}]
        )
    if opens_on or closes_on:
        survey.opens_on, survey.closes_on = opens_on, closes_on
        survey.save(update_fields=["opens_on", "closes_on"])
    if open_now:
        open_survey(actor=actor, survey=survey)
    return survey
