"""Checking a resident's answers against the survey's rules, on the server: type, required,
`relevant` (a question that is not relevant is dropped) and `constraint`."""

import math
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .expressions import context_value, is_true
from .models import QuestionType

MAX_TEXT = 2000


def _first(raw):
    if isinstance(raw, list | tuple):
        return raw[0] if raw else ""
    return raw if raw is not None else ""


def parse_value(question, raw):
    """(value, error). Empty answers give (None, None)."""
    qtype = question.qtype
    if qtype == QuestionType.SELECT_MULTIPLE:
        items = raw if isinstance(raw, list | tuple) else (str(raw).split() if raw else [])
        items = [str(i).strip() for i in items if str(i).strip()]
        if not items:
            return None, None
        allowed = {c["name"] for c in question.choices}
        if any(i not in allowed for i in items):
            return None, _("Lựa chọn không có trong danh sách.")
        return [c["name"] for c in question.choices if c["name"] in items], None
    text = str(_first(raw)).strip()
    if text == "":
        return None, None
    if qtype == QuestionType.TEXT:
        if len(text) > MAX_TEXT:
            return None, _("Câu trả lời dài quá %(max)s ký tự.") % {"max": MAX_TEXT}
        return text, None
    if qtype == QuestionType.INTEGER:
        try:
            return int(text), None
        except ValueError:
            return None, _("Hãy nhập một số nguyên.")
    if qtype == QuestionType.DECIMAL:
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            return None, _("Hãy nhập một số.")
        if not number.is_finite():
            return None, _("Hãy nhập một số.")
        return float(number), None
    if qtype == QuestionType.SELECT_ONE:
        if text not in {c["name"] for c in question.choices}:
            return None, _("Lựa chọn không có trong danh sách.")
        return text, None
    if qtype == QuestionType.DATE:
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, _("Hãy nhập ngày theo dạng năm-tháng-ngày.")
    if qtype == QuestionType.GEOPOINT:
        parts = text.replace(",", " ").split()
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            return None, _("Hãy nhập vĩ độ và kinh độ, ví dụ 21.70 105.77.")
        if math.isnan(lat) or math.isnan(lon) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None, _("Vĩ độ, kinh độ nằm ngoài phạm vi.")
        return f"{lat:.6f} {lon:.6f}", None
    return None, None


def evaluate_form(questions, raw: dict, *, today: date | None = None):
    """Walk the questions in order. Returns (answers, errors, relevance)."""
    values: dict = {}
    answers: dict = {}
    errors: dict[str, str] = {}
    relevance: dict[str, bool] = {}
    for q in questions:
        relevant = True
        if q.relevant:
            relevant = is_true(q.relevant, values=values, today=today)
        relevance[q.name] = relevant
        if not relevant or q.qtype == QuestionType.NOTE:
            values[q.name] = ""
            continue
        value, error = parse_value(q, raw.get(q.name))
        if error is None and value is None and q.required:
            error = q.required_message or _("Câu này bắt buộc trả lời.")
        if error is None and value is not None and q.constraint:
            if not is_true(q.constraint, values=values, current=context_value(value), today=today):
                error = q.constraint_message or _("Câu trả lời không thỏa điều kiện của câu hỏi.")
        if error:
            errors[q.name] = error
            values[q.name] = ""
            continue
        values[q.name] = "" if value is None else context_value(value)
        if value is not None:
            answers[q.name] = value
    return answers, errors, relevance
